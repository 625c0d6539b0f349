import { describe, expect, it } from 'vitest'
import { connectionKeys, dump, type TestApp } from '../support/app.js'
import { isActive } from '../support/as-client.js'
import { loginAndConsent } from '../support/browser-client.js'
import { authorizeIn, browserAs, connect, json } from '../support/flows.js'
import { useOAuthSuite } from '../support/suite.js'

const suite = useOAuthSuite()

type ErrorBody = { error: { code: string; message: string } }

/** A link made server-side, as an agent would: no browser headers, no cookie. */
async function startLink(app: TestApp, owner: string, body: Record<string, unknown> = {}) {
  const response = await fetch(`${app.mount}/connections/start`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-user': owner },
    body: JSON.stringify({ provider: 'local', ...body }),
  })
  expect(response.status).toBe(201)
  expect(response.headers.get('set-cookie')).toBeNull()
  return (await json<{ data: { authorizationUrl: string; pendingConnectionId: string } }>(response)).data
}

describe('the callback refuses', () => {
  it('a replayed callback, and stores nothing the second time', async () => {
    const app = await suite.appWith()
    const browser = browserAs(app, 'ana')
    const callbackUrl = await authorizeIn(browser, app, 'ana')
    expect((await browser.request(callbackUrl)).status).toBe(200)
    const before = dump(app.raw)

    const replay = await browser.request(callbackUrl)
    expect(replay.status).toBe(400)
    expect((await json<ErrorBody>(replay)).error.code).toBe('invalid_request')
    expect(dump(app.raw)).toBe(before)
    expect(app.events).toHaveLength(1)
    expect(await app.router.connections.list('ana')).toHaveLength(1)
  })

  it('an unknown state', async () => {
    const app = await suite.appWith()
    const response = await browserAs(app, 'ana').request(`${app.mount}/callback/local?code=abc&state=forged`)
    expect(response.status).toBe(400)
    expect(connectionKeys(app.raw)).toEqual([])
  })

  it('a state from another browser, even when nobody is signed in there', async () => {
    const app = await suite.appWith()
    for (const victim of [browserAs(app), browserAs(app, 'ana')]) {
      const callbackUrl = await authorizeIn(browserAs(app, 'ana'), app, 'mallory')
      const response = await victim.request(callbackUrl)
      expect(response.status).toBe(403)
      expect((await json<ErrorBody>(response)).error.code).toBe('forbidden')
    }
    expect(connectionKeys(app.raw)).toEqual([])
    expect(app.events).toHaveLength(0)
  })

  it('a caller whom the host identifies as another owner, in the browser that started the flow', async () => {
    const app = await suite.appWith()
    const browser = browserAs(app, 'ana')
    const callbackUrl = await authorizeIn(browser, app, 'ana')
    const response = await browser.request(callbackUrl, { headers: { 'x-user': 'mallory' } })
    expect(response.status).toBe(403)
    expect(connectionKeys(app.raw)).toEqual([])
  })

  it('a callback for another provider than the one the flow started with', async () => {
    const app = await suite.appWith()
    const browser = browserAs(app, 'ana')
    const callbackUrl = new URL(await authorizeIn(browser, app, 'ana'))
    const response = await browser.request(`${app.mount}/callback/local2${callbackUrl.search}`)
    expect(response.status).toBe(404)
    expect(connectionKeys(app.raw)).toEqual([])
  })

  it.each([
    ['names another authorization server', 'https://evil.example'],
    ['is missing where the provider is known to send it', null],
  ])(
    'an error response whose iss %s (RFC 9207 §2.4): refused, and the flow is used up',
    async (_name, iss) => {
      const app = await suite.appWith()
      const browser = browserAs(app, 'ana')
      const callbackUrl = new URL(await authorizeIn(browser, app, 'ana', '?return_url=/settings'))
      const forged = new URL(`${app.mount}/callback/local`)
      forged.searchParams.set('state', callbackUrl.searchParams.get('state') ?? '')
      forged.searchParams.set('error', 'access_denied')
      if (iss !== null) forged.searchParams.set('iss', iss)
      const response = await browser.request(forged)
      expect(response.status).toBe(403)
      expect(response.headers.get('location')).toBeNull()
      // Fail closed: the state is spent, so the code that came with it cannot be used either.
      expect((await browser.request(callbackUrl)).status).toBe(400)
      expect(connectionKeys(app.raw)).toEqual([])
    },
  )

  it.each([
    ['names another authorization server', 'https://evil.example'],
    ['is missing where the provider is known to send it', null],
  ])('an iss that %s (RFC 9207)', async (_name, iss) => {
    const app = await suite.appWith()
    const browser = browserAs(app, 'ana')
    const callbackUrl = new URL(await authorizeIn(browser, app, 'ana'))
    expect(callbackUrl.searchParams.get('iss')).toBe(suite.oauth.issuer)
    if (iss === null) callbackUrl.searchParams.delete('iss')
    else callbackUrl.searchParams.set('iss', iss)
    const response = await browser.request(callbackUrl)
    expect(response.status).toBe(403)
    expect(connectionKeys(app.raw)).toEqual([])
  })

  it('a connect started by a page on another site (Sec-Fetch-Site: cross-site)', async () => {
    const app = await suite.appWith()
    const response = await browserAs(app, 'ana').request(`${app.mount}/connect/local?scopes=admin`, {
      headers: { 'sec-fetch-site': 'cross-site' },
    })
    expect(response.status).toBe(403)
    expect(response.headers.get('location')).toBeNull()
    expect(app.raw.size).toBe(0)
    const sameSite = await browserAs(app, 'ana').request(`${app.mount}/connect/local`, {
      headers: { 'sec-fetch-site': 'same-origin' },
    })
    expect(sameSite.status).toBe(302)
  })
})

describe('state-changing requests made by another site', () => {
  const writes = (id: string): Array<[string, string, string]> => [
    ['POST', `/connections/${id}/revoke`, ''],
    ['POST', `/connections/${id}/reauth`, '{}'],
    ['PUT', `/connections/${id}/label`, '{"label":"pwned"}'],
    ['POST', '/connections/start', '{"provider":"local"}'],
    ['POST', '/connections', '{"provider":"local","credentials":{}}'],
    ['POST', '/custom-providers', '{}'],
    ['DELETE', '/custom-providers/team-sso', ''],
    ['POST', `/connections/${id}/proxy/me`, 'x=1'],
  ]

  it('are refused on every endpoint, by Sec-Fetch-Site or by a foreign Origin, and change nothing', async () => {
    const app = await suite.appWith({ authorize: () => true, returnUrls: ['https://app.example.com'] })
    const id = await connect(app, 'ana')
    const before = dump(app.raw)
    const events = app.events.length
    const attacks: Array<Record<string, string>> = [
      { 'sec-fetch-site': 'cross-site' },
      // A form post from a sibling subdomain: same-site for the browser, but not an origin of the app.
      { origin: 'https://evil.example.com', 'sec-fetch-site': 'same-site' },
      { origin: 'https://evil.example' },
      { origin: 'null' },
    ]
    for (const headers of attacks) {
      for (const [method, path, body] of writes(id)) {
        const response = await fetch(`${app.mount}${path}`, {
          method,
          headers: { 'x-user': 'ana', 'content-type': 'text/plain', ...headers },
          ...(body ? { body } : {}),
        })
        expect(response.status, `${method} ${path} ${JSON.stringify(headers)}`).toBe(403)
        expect((await json<ErrorBody>(response)).error.code).toBe('forbidden')
      }
    }
    expect(dump(app.raw)).toBe(before)
    expect(app.events).toHaveLength(events)
    expect(
      await isActive(suite.oauth, (await app.router.connections.getAccessToken('ana', id)).accessToken),
    ).toBe(true)
  })

  it("are served from the app's own origin, an allowed return origin, and clients that are not browsers", async () => {
    const app = await suite.appWith({ returnUrls: ['https://app.example.com'] })
    const id = await connect(app, 'ana')
    const relabel = (headers: Record<string, string>, label: string) =>
      fetch(`${app.mount}/connections/${id}/label`, {
        method: 'PUT',
        headers: { 'x-user': 'ana', 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ label }),
      })
    expect((await relabel({ origin: app.url, 'sec-fetch-site': 'same-origin' }, 'own page')).status).toBe(200)
    expect(
      (await relabel({ origin: 'https://app.example.com', 'sec-fetch-site': 'same-site' }, 'app')).status,
    ).toBe(200)
    expect((await relabel({}, 'server code')).status).toBe(200)
    expect((await app.router.connections.get('ana', id)).label).toBe('server code')
  })
})

describe('a link started server-side (POST /connections/start without a browser)', () => {
  it('completes for the owner who asked for it, in any browser where the host identifies them', async () => {
    const app = await suite.appWith()
    const link = await startLink(app, 'ana', { label: 'From the agent' })
    const browser = browserAs(app, 'ana')
    const { callbackUrl } = await loginAndConsent(browser, link.authorizationUrl, 'ana')
    const response = await browser.request(callbackUrl)
    expect(response.status).toBe(200)
    expect((await json<{ data: { label: string } }>(response)).data.label).toBe('From the agent')
  })

  it('is refused when another owner completes it, and stores nothing', async () => {
    const app = await suite.appWith()
    const link = await startLink(app, 'ana')
    const mallory = browserAs(app, 'mallory')
    const { callbackUrl } = await loginAndConsent(mallory, link.authorizationUrl, 'mallory')
    const response = await mallory.request(callbackUrl)
    expect(response.status).toBe(403)
    expect(connectionKeys(app.raw)).toEqual([])
    expect(await app.router.connections.list('ana')).toEqual([])
    expect(await app.router.connections.list('mallory')).toEqual([])
  })

  it('is refused in a browser where nobody is signed in, unless the host opted in', async () => {
    const strict = await suite.appWith()
    const link = await startLink(strict, 'ana')
    const anonymous = browserAs(strict)
    const { callbackUrl } = await loginAndConsent(anonymous, link.authorizationUrl, 'ana')
    expect((await anonymous.request(callbackUrl)).status).toBe(403)
    expect(connectionKeys(strict.raw)).toEqual([])

    const lenient = await suite.appWith({ allowLinkCompletionWithoutSession: true })
    const link2 = await startLink(lenient, 'ana')
    const anonymous2 = browserAs(lenient)
    const second = await loginAndConsent(anonymous2, link2.authorizationUrl, 'ana')
    const response = await anonymous2.request(second.callbackUrl)
    expect(response.status).toBe(200)
    expect(await lenient.router.connections.list('ana')).toHaveLength(1)
  })

  it('binds to the browser session when a browser asks for the link', async () => {
    const app = await suite.appWith()
    const browser = browserAs(app, 'ana')
    const started = await browser.request(`${app.mount}/connections/start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: app.url },
      body: JSON.stringify({ provider: 'local' }),
    })
    expect(started.status).toBe(201)
    const { authorizationUrl } = (await json<{ data: { authorizationUrl: string } }>(started)).data
    const { callbackUrl } = await loginAndConsent(browser, authorizationUrl, 'ana')
    // Same owner, other browser: refused, since the flow belongs to the browser that started it.
    expect((await browserAs(app, 'ana').request(callbackUrl)).status).toBe(403)
    expect(connectionKeys(app.raw)).toEqual([])
  })
})

describe('return_url', () => {
  const foreign = [
    'https://evil.example/steal',
    '//evil.example/x',
    'javascript:alert(1)',
    'http://user:pw@evil.example/',
    'data:text/html,hi',
  ]

  it.each(foreign)(
    'refuses %s with a 400 on /connect and on /connections/start, redirecting nowhere',
    async (url) => {
      const app = await suite.appWith()
      const before = dump(app.raw)
      const browser = browserAs(app, 'ana')
      const connect = await browser.request(
        `${app.mount}/connect/local?return_url=${encodeURIComponent(url)}`,
      )
      expect(connect.status).toBe(400)
      expect(connect.headers.get('location')).toBeNull()
      expect((await json<ErrorBody>(connect)).error.code).toBe('invalid_request')
      const start = await browser.request(`${app.mount}/connections/start`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ provider: 'local', returnUrl: url }),
      })
      expect(start.status).toBe(400)
      expect(dump(app.raw)).toBe(before)
    },
  )

  it('accepts a relative path and an origin from the allow-list', async () => {
    const app = await suite.appWith({ returnUrls: ['https://app.example'] })
    const browser = browserAs(app, 'ana')
    const ok = await browser.request(
      `${app.mount}/connect/local?return_url=${encodeURIComponent('https://app.example/settings')}`,
    )
    expect(ok.status).toBe(302)
    const own = await suite.appWith()
    const relative = await browserAs(own, 'ana').request(`${own.mount}/connect/local?return_url=%2Fsettings`)
    expect(relative.status).toBe(302)
  })
})

describe('an async returnUrls policy', () => {
  const evil = encodeURIComponent('https://evil.example/phish')
  const good = encodeURIComponent('https://app.example/settings')

  it('is awaited: only true allows, so a promise is never taken for a yes', async () => {
    const app = await suite.appWith({ returnUrls: async (url) => url.origin === 'https://app.example' })
    const browser = browserAs(app, 'ana')
    const refused = await browser.request(`${app.mount}/connect/local?return_url=${evil}`)
    expect(refused.status).toBe(400)
    expect(refused.headers.get('location')).toBeNull()
    const allowed = await browser.request(`${app.mount}/connect/local?return_url=${good}`)
    expect(allowed.status).toBe(302)
    const truthy = await suite.appWith({ returnUrls: async () => 'yes' as unknown as boolean })
    const notTrue = await browserAs(truthy, 'ana').request(`${truthy.mount}/connect/local?return_url=${good}`)
    expect(notTrue.status).toBe(400)
  })

  it('that throws answers 400 on /connect and /connections/start, redirecting nowhere and storing nothing', async () => {
    const app = await suite.appWith({
      returnUrls: async () => {
        throw new Error('policy service down')
      },
    })
    const before = dump(app.raw)
    const browser = browserAs(app, 'ana')
    const connect = await browser.request(`${app.mount}/connect/local?return_url=${good}`)
    expect(connect.status).toBe(400)
    expect(connect.headers.get('location')).toBeNull()
    const start = await browser.request(`${app.mount}/connections/start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider: 'local', returnUrl: 'https://app.example/settings' }),
    })
    expect(start.status).toBe(400)
    expect(await start.text()).not.toContain('policy service down')
    expect(dump(app.raw)).toBe(before)
  })
})

describe("another owner's connection", () => {
  it('is "not found" on every endpoint, and nothing changes', async () => {
    // Token and proxy allowed to everyone: the owner check alone must stop them.
    const app = await suite.appWith({ authorize: () => true })
    const id = await connect(app, 'ana')
    const before = dump(app.raw)
    const mallory = { 'x-user': 'mallory', 'content-type': 'application/json' }
    const attempts = [
      fetch(`${app.mount}/connections/${id}`, { headers: mallory }),
      fetch(`${app.mount}/connections/${id}/label`, {
        method: 'PUT',
        headers: mallory,
        body: JSON.stringify({ label: 'pwned' }),
      }),
      fetch(`${app.mount}/connections/${id}/token`, { headers: mallory }),
      fetch(`${app.mount}/connections/${id}/proxy/me`, { headers: mallory }),
      fetch(`${app.mount}/connections/${id}/reauth`, { method: 'POST', headers: mallory, body: '{}' }),
      fetch(`${app.mount}/connections/${id}/revoke`, { method: 'POST', headers: mallory }),
      fetch(`${app.mount}/audit?connectionId=${id}`, { headers: mallory }),
    ]
    for (const response of await Promise.all(attempts)) {
      expect(response.status).toBe(404)
      expect((await json<ErrorBody>(response)).error.code).toBe('not_found')
    }
    const list = await fetch(`${app.mount}/connections`, { headers: mallory })
    expect((await json<{ data: unknown[] }>(list)).data).toEqual([])
    await expect(app.router.connections.get('mallory', id)).rejects.toMatchObject({ code: 'not_found' })
    expect(dump(app.raw)).toBe(before)
  })
})
