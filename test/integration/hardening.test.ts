import http from 'node:http'
import { describe, expect, it } from 'vitest'
import type { RateLimitedAction } from '../../src/index.js'
import { dump, localProvider } from '../support/app.js'
import { loginAndConsent } from '../support/browser-client.js'
import { authorizeIn, browserAs, connect } from '../support/flows.js'
import { useOAuthSuite } from '../support/suite.js'

const suite = useOAuthSuite()

describe('the rateLimit hook', () => {
  it('answers 429 before storing anything on connect, start, reauth, callback and credentials', async () => {
    const asked: Array<{ owner: string | null; action: RateLimitedAction }> = []
    let limited = false
    const app = await suite.appWith({
      rateLimit: ({ owner, action }) => {
        asked.push({ owner, action })
        return !limited
      },
    })
    const id = await connect(app, 'ana')
    const browser = browserAs(app, 'ana')
    const callbackUrl = await authorizeIn(browser, app, 'ana')
    expect(asked.map((a) => a.action)).toEqual(['connect', 'callback', 'connect'])
    expect(asked[0]?.owner).toBe('ana')

    limited = true
    const before = dump(app.raw)
    const json = { 'x-user': 'ana', 'content-type': 'application/json' }
    const responses = [
      await browser.request(`${app.mount}/connect/local`),
      await fetch(`${app.mount}/connections/start`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ provider: 'local' }),
      }),
      await fetch(`${app.mount}/connections/${id}/reauth`, { method: 'POST', headers: json, body: '{}' }),
      await browser.request(callbackUrl),
      await fetch(`${app.mount}/connections`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ provider: 'local', credentials: {} }),
      }),
    ]
    for (const response of responses) {
      expect(response.status).toBe(429)
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('rate_limited')
    }
    expect(dump(app.raw)).toBe(before)
    expect(asked.slice(3).map((a) => a.action)).toEqual([
      'connect',
      'connect',
      'connect',
      'callback',
      'credentials',
    ])

    // The refused callback's state is still there: once the limit lifts, it completes.
    limited = false
    expect((await browser.request(callbackUrl)).status).toBe(200)
  })
})

describe('Referrer-Policy', () => {
  it('is no-referrer on the connect redirect and on every callback answer', async () => {
    const app = await suite.appWith()
    const browser = browserAs(app, 'ana')
    const start = await browser.request(`${app.mount}/connect/local`)
    expect(start.status).toBe(302)
    expect(start.headers.get('referrer-policy')).toBe('no-referrer')
    const callbackUrl = await authorizeIn(browser, app, 'ana', '?return_url=/settings')
    const done = await browser.request(callbackUrl)
    expect(done.status).toBe(302)
    expect(done.headers.get('referrer-policy')).toBe('no-referrer')
    const replayed = await browser.request(callbackUrl)
    expect(replayed.status).toBe(400)
    expect(replayed.headers.get('referrer-policy')).toBe('no-referrer')
  })
})

describe('connection metadata', () => {
  it('keeps what the provider reported when the start request names the same keys', async () => {
    const app = await suite.appWith({
      providers: [
        localProvider(suite.oauth, { details: async () => ({ metadata: { tenantId: 'verified' } }) }),
      ],
    })
    const browser = browserAs(app, 'ana')
    const start = await browser.request(`${app.mount}/connections/start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider: 'local', metadata: { tenantId: 'forged', note: 'kept' } }),
    })
    expect(start.status).toBe(201)
    const { authorizationUrl } = ((await start.json()) as { data: { authorizationUrl: string } }).data
    const { callbackUrl } = await loginAndConsent(browser, authorizationUrl, 'ana')
    const done = await browser.request(callbackUrl)
    expect(done.status).toBe(200)
    const { data } = (await done.json()) as { data: { metadata: Record<string, unknown> } }
    expect(data.metadata).toEqual({ tenantId: 'verified', note: 'kept' })
  })
})

describe('requests the fuzzer found answered with a 500 or worse', () => {
  it('answer 400 and change nothing: bad percent-encoding, a Host that makes no URL, deep metadata, a non-RFC 6749 scope, HEAD on the flow routes', async () => {
    const app = await suite.appWith()
    const id = await connect(app, 'ana')
    const before = dump(app.raw)
    const json = { 'x-user': 'ana', 'content-type': 'application/json' }
    const deep = `${'['.repeat(5_000)}1${']'.repeat(5_000)}`
    const responses = [
      await fetch(`${app.mount}/connections/%E0%A4%A`, { headers: json }),
      await fetch(`${app.mount}/connections/start`, {
        method: 'POST',
        headers: json,
        body: `{"provider":"local","metadata":{"a":${deep}}}`,
      }),
      await fetch(`${app.mount}/connections/start`, {
        method: 'POST',
        headers: json,
        body: '{"provider":"local","scopes":["\\udfff"]}',
      }),
      await fetch(`${app.mount}/connections/${id}/reauth`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ scopes: ['a"b'] }),
      }),
      await fetch(`${app.mount}/connect/local?scopes=${encodeURIComponent('read\\write')}`, {
        headers: json,
      }),
      await fetch(`${app.mount}/connect/local`, { method: 'HEAD', headers: json }),
      await fetch(`${app.mount}/callback/local?state=x&code=y`, { method: 'HEAD', headers: json }),
    ]
    for (const [index, response] of responses.entries()) expect(response.status, String(index)).toBe(400)
    // fetch will not send a Host header of the caller's choosing; node:http will.
    const badHost = await new Promise<number>((resolve, reject) => {
      const url = new URL(`${app.mount}/connect/local`)
      http
        .get(url, { headers: { host: 'a b', 'x-user': 'ana' } }, (res) => {
          res.resume()
          resolve(res.statusCode ?? 0)
        })
        .on('error', reject)
    })
    expect(badHost).toBe(400)
    expect(dump(app.raw)).toBe(before)
  })

  it('treats a start request that carries code or error in its query as a start', async () => {
    const app = await suite.appWith()
    const browser = browserAs(app, 'ana')
    const start = await browser.request(`${app.mount}/connect/local?code=x&error=access_denied`)
    expect(start.status).toBe(302)
    expect(new URL(start.headers.get('location') ?? '').origin).toBe(suite.oauth.issuer)
  })
})

describe('URLs a provider hands over at the callback', () => {
  it("must be https (or the provider's own origin) before they get the token: an API base, a lookup", async () => {
    for (const details of [
      async () => ({ apiBaseUrl: 'http://evil.example/api' }),
      async ({ fetchJson }: { fetchJson: (url: string) => Promise<unknown> }) => {
        await fetchJson('http://evil.example/whoami')
        return {}
      },
    ]) {
      const app = await suite.appWith({ providers: [localProvider(suite.oauth, { details })] })
      const browser = browserAs(app, 'ana')
      const response = await browser.request(await authorizeIn(browser, app, 'ana'))
      expect(response.status).toBe(502)
      expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/not https/)
      expect(await app.router.connections.list('ana')).toEqual([])
    }
  })
})

describe('scopes a flow asks for', () => {
  it('are limited to allowedScopes, and authorize sees them with the provider', async () => {
    const seen: Array<{ action: string; provider?: string; scopes?: readonly string[] }> = []
    const app = await suite.appWith({
      providers: [localProvider(suite.oauth, { allowedScopes: ['openid', 'email', 'offline_access'] })],
      authorize: ({ action, provider, scopes }) => {
        seen.push({ action, ...(provider ? { provider } : {}), ...(scopes ? { scopes } : {}) })
        return true
      },
    })
    const browser = browserAs(app, 'ana')
    const before = dump(app.raw)
    const refused = await browser.request(`${app.mount}/connect/local?scopes=openid,admin`)
    expect(refused.status).toBe(400)
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/"admin"/)
    expect(dump(app.raw)).toBe(before)

    const allowed = await browser.request(`${app.mount}/connect/local?scopes=openid,email`)
    expect(allowed.status).toBe(302)
    expect(new URL(allowed.headers.get('location') ?? '').searchParams.get('scope')).toBe('openid email')
    expect(seen.filter((s) => s.action === 'connect')).toEqual([
      { action: 'connect', provider: 'local', scopes: ['openid', 'email'] },
    ])
  })
})

describe('review follow-ups', () => {
  it('a default reauth asks only for the granted scopes allowedScopes permits, else the configured ones', async () => {
    const app = await suite.appWith({
      providers: [localProvider(suite.oauth, { allowedScopes: ['openid', 'email', 'offline_access'] })],
    })
    const id = await connect(app, 'ana')
    // Providers report scopes under other names than the ones asked for (Microsoft's URLs, say).
    const key = [...app.raw.keys()].find((k) => k.endsWith(`connection:${id}`)) ?? ''
    const stored = JSON.parse(String(app.raw.get(key))) as { value: { grantedScopes: string[] } }
    stored.value.grantedScopes = ['https://graph.example/User.Read', 'openid']
    app.raw.set(key, JSON.stringify(stored))
    const reauth = await fetch(`${app.mount}/connections/${id}/reauth`, {
      method: 'POST',
      headers: { 'x-user': 'ana', 'content-type': 'application/json' },
      body: '{}',
    })
    expect(reauth.status).toBe(201)
    const { authorizationUrl } = ((await reauth.json()) as { data: { authorizationUrl: string } }).data
    expect(new URL(authorizationUrl).searchParams.get('scope')).toBe('openid')
  })

  it('a returnUrls predicate that throws, or resolves to anything but true, trusts no Origin for writes; one that resolves to true does', async () => {
    const write = async (returnUrls: (url: URL) => boolean | Promise<boolean>) => {
      const app = await suite.appWith({ returnUrls })
      const response = await fetch(`${app.mount}/connections/start`, {
        method: 'POST',
        headers: { 'x-user': 'ana', 'content-type': 'application/json', origin: 'https://evil.example' },
        body: JSON.stringify({ provider: 'local' }),
      })
      return response.status
    }
    expect(
      await write(() => {
        throw new Error('boom')
      }),
    ).toBe(403)
    expect(await write(async () => false)).toBe(403)
    expect(await write(async () => 'yes' as unknown as boolean)).toBe(403)
    expect(await write(async (url) => url.origin === 'https://evil.example')).toBe(201)
  })

  it("keeps the meaning of an http error the host's hooks throw (429 from a rate limiter, 401 from a login)", async () => {
    const withStatus = (status: number) => Object.assign(new Error('from the host'), { status, expose: true })
    const limited = await suite.appWith({
      rateLimit: () => {
        throw withStatus(429)
      },
    })
    const first = await browserAs(limited, 'ana').request(`${limited.mount}/connect/local`)
    expect(first.status).toBe(429)
    const login = await suite.appWith({
      getOwner: () => {
        throw withStatus(401)
      },
    })
    const second = await fetch(`${login.mount}/connections`)
    expect(second.status).toBe(401)
    expect(((await second.json()) as { error: { code: string } }).error.code).toBe('unauthenticated')
  })
})
