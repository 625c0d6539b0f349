/**
 * Tests for rows of the SECURITY.md §3 checklist that no other suite proves: mix-up by redirect URI
 * (R4), the session cookie behind a TLS-terminating proxy (R23/P5), a provider refusing a revocation
 * (V4), the proxy's body limit (P3), constant-time comparison of the browser binding (P4) and provider
 * calls that answer with a redirect (P6). Each title starts with the row it proves.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import express from 'express'
import Keyv from 'keyv'
import request from 'supertest'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { CallbackCaller } from '../../src/core/flow-caller.js'
import type { PendingFlow } from '../../src/core/model.js'
import { createConnectionsRouter, providers } from '../../src/index.js'
import { connectionKeys, dump, localProvider, TEST_KEY } from '../support/app.js'
import { storedRecord } from '../support/as-client.js'
import { releaseStore, scannedLogger, watchStore } from '../support/canary.js'
import { startFakeProvider } from '../support/fake-provider.js'
import { authorizeIn, browserAs, connect, json } from '../support/flows.js'
import { startEchoApi } from '../support/http-fakes.js'
import { connectThroughFake } from '../support/preset-flow.js'
import { useOAuthSuite } from '../support/suite.js'

const suite = useOAuthSuite()

type ErrorBody = { error: { code: string; message: string } }

/** Servers a test starts itself (apart from fakes and suite apps, which are closed for it). */
const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

describe('R4: mix-up defence by distinct redirect URIs', () => {
  it('R4: a flow started for one configured provider and completed at another configured provider’s callback is refused with 403, its code is never redeemed there, and nothing is stored', async () => {
    const other = await startFakeProvider({
      token: () => ({ access_token: 'r4-other-access-CANARY', token_type: 'Bearer', expires_in: 3600 }),
      userInfo: () => ({ sub: 'mallory' }),
    })
    const app = await suite.appWith({
      providers: [
        localProvider(suite.oauth),
        providers.oauth2({
          id: 'other',
          name: 'Other',
          ...other.endpoints,
          clientId: 'other-client',
          clientSecret: 'r4-other-secret-CANARY',
        }),
      ],
    })
    const catalogue = await request(app.url).get('/integrations/providers').set('x-user', 'ana')
    expect(catalogue.body.data.map((p: { id: string }) => p.id).sort()).toEqual(['local', 'other'])

    const browser = browserAs(app, 'ana')
    const callbackUrl = new URL(await authorizeIn(browser, app, 'ana'))
    expect(callbackUrl.pathname).toBe('/integrations/callback/local')
    const mixedUp = await browser.request(`${app.mount}/callback/other${callbackUrl.search}`)
    expect(mixedUp.status).toBe(403)
    expect((await json<ErrorBody>(mixedUp)).error).toMatchObject({
      code: 'forbidden',
      message: 'This authorization was started for another provider.',
    })
    // The code of one authorization server never reaches the other one's token endpoint.
    expect(other.requests).toEqual([])
    expect(connectionKeys(app.raw)).toEqual([])
    expect(app.events).toEqual([])
    // Fail closed: the state is spent, so the right callback cannot use it afterwards either.
    expect((await browser.request(callbackUrl)).status).toBe(400)
    expect(connectionKeys(app.raw)).toEqual([])
  })
})

/** A host app behind a TLS-terminating proxy (or not): startTestApp has no `trust proxy` option. */
async function startProxiedApp(trustProxy: boolean): Promise<{ mount: string; logs: string[] }> {
  const raw = new Map<string, unknown>()
  const logs: string[] = []
  const keep = (level: string) => (message: string, meta?: Record<string, unknown>) => {
    logs.push(`${level} ${message} ${JSON.stringify(meta ?? {})}`)
  }
  // The secret canary: the setup file watches every Express app's responses; the store and the log
  // lines are handed to it here, as startTestApp does.
  watchStore(raw, 'proxied app store')
  const app = express()
  if (trustProxy) app.set('trust proxy', 1)
  app.use((req, _res, next) => {
    const user = req.get('x-user')
    if (user) (req as express.Request & { user?: { id: string } }).user = { id: user }
    next()
  })
  app.use(
    '/integrations',
    createConnectionsRouter({
      store: new Keyv({ store: raw }),
      encryptionKey: TEST_KEY,
      providers: [localProvider(suite.oauth)],
      logger: scannedLogger({ warn: keep('warn'), error: keep('error') }),
    }),
  )
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s))
  })
  closers.push(
    () =>
      new Promise((resolve) => {
        releaseStore(raw)
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  )
  return { mount: `http://127.0.0.1:${(server.address() as AddressInfo).port}/integrations`, logs }
}

/** The attributes of the router's session cookie set by GET /connect/local. */
async function sessionCookieOf(mount: string, headers: Record<string, string>): Promise<string[]> {
  const start = await fetch(`${mount}/connect/local`, {
    headers: { 'x-user': 'ana', ...headers },
    redirect: 'manual',
  })
  expect(start.status).toBe(302)
  const cookies = start.headers.getSetCookie()
  expect(cookies).toHaveLength(1)
  const [pair = '', ...attributes] = (cookies[0] ?? '').split(';').map((part) => part.trim())
  expect(pair).toMatch(/^connections\.sid=s%3A.+/)
  return attributes.map((attribute) => attribute.toLowerCase())
}

describe('R23/P5: the session cookie', () => {
  it('R23/P5: is HttpOnly, SameSite=Lax and Path=/integrations, and Secure behind a TLS-terminating proxy with trust proxy, but not over plain http nor on a spoofed X-Forwarded-Proto without trust proxy', async () => {
    const proxied = await startProxiedApp(true)
    const direct = await startProxiedApp(false)
    const overHttps = await sessionCookieOf(proxied.mount, { 'x-forwarded-proto': 'https' })
    const overHttp = await sessionCookieOf(proxied.mount, {})
    const spoofed = await sessionCookieOf(direct.mount, { 'x-forwarded-proto': 'https' })
    for (const attributes of [overHttps, overHttp, spoofed]) {
      expect(attributes).toContain('httponly')
      expect(attributes).toContain('samesite=lax')
      expect(attributes).toContain('path=/integrations')
    }
    expect(overHttps).toContain('secure')
    expect(overHttp).not.toContain('secure')
    expect(spoofed).not.toContain('secure')
    expect([...proxied.logs, ...direct.logs]).toEqual([])
  })
})

describe('V4: a provider that refuses the revocation', () => {
  it('V4: a revocation endpoint answering 503 still revokes the connection: 200 revoked, the secrets destroyed, and the audit entry records the provider’s failure', async () => {
    const ACCESS = 'v4-access-token-CANARY'
    const REFRESH = 'v4-refresh-token-CANARY'
    const fake = await startFakeProvider({
      token: () => ({
        access_token: ACCESS,
        refresh_token: REFRESH,
        token_type: 'Bearer',
        expires_in: 3600,
      }),
      userInfo: () => ({ sub: 'acct-1', email: 'ana@acme.example' }),
      routes: {
        '/revoke-unavailable': () => ({ status: 503, body: { error: 'temporarily_unavailable' } }),
      },
    })
    const provider = providers.oauth2({
      id: 'acme',
      name: 'Acme',
      ...fake.endpoints,
      revocationUrl: `${fake.url}/revoke-unavailable`,
      clientId: 'acme-client',
      clientSecret: 'v4-client-secret-CANARY',
    })
    const { app, connection } = await connectThroughFake(provider, fake)
    expect(dump(app.raw)).not.toContain(ACCESS)

    const response = await request(app.url)
      .post(`/integrations/connections/${connection.id}/revoke`)
      .set('x-user', 'ana')
    expect(response.status).toBe(200)
    expect(response.body.data.connection).toMatchObject({ id: connection.id, status: 'revoked' })

    // Both tokens were offered to the provider, which refused both.
    const revocations = fake.requests.filter((r) => r.path === '/revoke-unavailable')
    expect(revocations.map((r) => r.form.token).sort()).toEqual([ACCESS, REFRESH].sort())
    // The secrets are gone all the same.
    expect(storedRecord(app.raw, connection.id).secrets).toBeNull()
    const raw = dump(app.raw)
    expect(raw).not.toContain(ACCESS)
    expect(raw).not.toContain(REFRESH)
    const token = await request(app.url)
      .get(`/integrations/connections/${connection.id}/token`)
      .set('x-user', 'ana')
    expect(token.status).toBe(409)

    const audit = await request(app.url)
      .get(`/integrations/audit?connectionId=${connection.id}`)
      .set('x-user', 'ana')
    expect(audit.body.data[0]).toMatchObject({
      id: response.body.data.auditId,
      action: 'revoked',
      connectionId: connection.id,
      detail: 'provider revocation failed for 2 of 2 tokens',
    })
  })
})

describe('P3: the proxy body limit', () => {
  it('P3: a proxied body over proxyBodyLimit is refused with 413 payload_too_large, with or without a Content-Length, and the provider’s API receives nothing', async () => {
    const echo = await startEchoApi()
    closers.push(() => echo.close())
    const app = await suite.appWith({
      authorize: () => true,
      proxyBodyLimit: 1024,
      providers: [localProvider(suite.oauth, { apiBaseUrl: echo.url })],
    })
    const id = await connect(app, 'ana')
    const proxy = `/integrations/connections/${id}/proxy/items`

    // At the limit: relayed (the limit is the option's, not some other cap).
    const atLimit = await request(app.url)
      .post(proxy)
      .set('x-user', 'ana')
      .set('content-type', 'application/octet-stream')
      .send(Buffer.alloc(1024, 'a'))
    expect(atLimit.status).toBe(200)
    expect(echo.seen).toHaveLength(1)
    expect(echo.seen[0]?.body).toHaveLength(1024)

    const withLength = await request(app.url)
      .post(proxy)
      .set('x-user', 'ana')
      .set('content-type', 'application/octet-stream')
      .send(Buffer.alloc(1025, 'a'))
    expect(withLength.status).toBe(413)
    expect(withLength.body.error.code).toBe('payload_too_large')

    // No Content-Length: the limit holds while the body streams in.
    const chunks = [Buffer.alloc(900, 'b'), Buffer.alloc(900, 'c'), Buffer.alloc(900, 'd')]
    const chunked = await fetch(`${app.url}${proxy}`, {
      method: 'POST',
      headers: { 'x-user': 'ana', 'content-type': 'application/octet-stream' },
      body: new ReadableStream<Uint8Array>({
        pull(controller) {
          const next = chunks.shift()
          if (next) controller.enqueue(new Uint8Array(next))
          else controller.close()
        },
      }),
      duplex: 'half',
    } as RequestInit)
    expect(chunked.status).toBe(413)
    expect((await json<ErrorBody>(chunked)).error.code).toBe('payload_too_large')

    expect(echo.seen).toHaveLength(1)
  })
})

describe('P4: constant-time comparison', () => {
  const flowWith = (sessionId: string | null): PendingFlow => ({
    id: 'flow-1',
    owner: 'ana',
    provider: 'local',
    scopes: [],
    label: null,
    returnUrl: null,
    metadata: {},
    sessionId,
    allowSessionless: false,
    reauthConnectionId: null,
    createdAt: new Date().toISOString(),
    expiresAt: new Date(Date.now() + 600_000).toISOString(),
    verifier: 'v1.sealed',
  })
  const caller = (sessionId: string | null): CallbackCaller => ({
    provider: 'local',
    sessionId,
    owner: 'ana',
  })

  it('P4: the browser binding goes through crypto.timingSafeEqual: the same session id passes; another id of the same length, of another length, or none is refused, without throwing', async () => {
    // flow-caller.ts loaded afresh on a node:crypto whose timingSafeEqual is the real one, watched.
    // (The copy the setup file loaded keeps the real module: nothing else in this file is touched.)
    const spy = vi.fn(timingSafeEqual)
    vi.resetModules()
    vi.doMock('node:crypto', async (importOriginal) => ({
      ...(await importOriginal<Record<string, unknown>>()),
      timingSafeEqual: spy,
    }))
    const { refuseForeignCaller } = await import('../../src/core/flow-caller.js')
    vi.doUnmock('node:crypto')
    vi.resetModules()
    const sessionId = randomBytes(24).toString('base64url')
    const flow = flowWith(sessionId)

    spy.mockClear()
    // An equal string that is not the same object: compared by content.
    expect(refuseForeignCaller(flow, caller(`${sessionId.slice(0, 10)}${sessionId.slice(10)}`))).toBeNull()
    expect(spy).toHaveBeenCalledTimes(1)
    expect(spy.mock.calls[0]?.map((b) => Buffer.from(b as Uint8Array).toString())).toEqual([
      sessionId,
      sessionId,
    ])

    // A fresh module graph: its ConnectionsError is another class than this file's, so no instanceof.
    const refused = (result: { name: string; code: string } | null) => {
      expect(result).toMatchObject({ name: 'ConnectionsError', code: 'forbidden' })
    }
    spy.mockClear()
    const sameLength = `${sessionId.slice(0, -1)}${sessionId.endsWith('A') ? 'B' : 'A'}`
    refused(refuseForeignCaller(flow, caller(sameLength)))
    expect(spy).toHaveBeenCalledTimes(1)

    // Lengths differ: refused before timingSafeEqual, which would throw on buffers of unequal length.
    spy.mockClear()
    refused(refuseForeignCaller(flow, caller(sessionId.slice(0, -1))))
    refused(refuseForeignCaller(flow, caller(`${sessionId}x`)))
    refused(refuseForeignCaller(flow, caller('')))
    // The same number of UTF-16 units but not of bytes.
    refused(refuseForeignCaller(flowWith('ab'), caller('aé')))
    refused(refuseForeignCaller(flow, caller(null)))
    expect(spy).not.toHaveBeenCalled()
  })

  it('P4: no === or !== in src/ compares two secret-named values (a name with secret, token, sessionId or verifier on both sides)', () => {
    expect(secretComparisons(SELF_TEST, 'self-test')).toEqual([
      'self-test:1 a.accessToken === rejectedToken',
      'self-test:2 secret !== other.clientSecret',
      'self-test:3 caller.sessionId === flow?.sessionId',
      'self-test:4 verifier===stored.codeVerifier',
      'self-test:5 latest.secrets === rotated.from.secrets',
      'self-test:6 token !== refreshToken',
      'self-test:7 flow.verifier!==stored.verifier!',
    ])
    const root = fileURLToPath(new URL('../../src/', import.meta.url))
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))
    expect(files.length).toBeGreaterThan(20)
    const found = files.flatMap((file) => secretComparisons(readFileSync(`${root}${file}`, 'utf8'), file))
    expect(found, 'compare secrets in constant time (timingSafeEqual), never with === or !==').toEqual([])
  })
})

/**
 * What the P4 check looks for. An operand is a name or a member chain (`a`, `a.b`, `a?.b.c`), with an
 * optional non-null assertion (`a.b!`); its name is the last link, because that is the value compared
 * (`secrets.accessToken` is an access token, `tokens.scope` is a scope). A comparison is flagged when
 * the names on *both* sides contain `secret`, `token`, `sessionId` or `verifier` (any case): a secret
 * compared with a literal (`=== null`, `=== ''`, `typeof x === 'string'`) leaks nothing and is left
 * alone. The operands must be whole: the lookbehind keeps a chain from starting mid-name or after a
 * `.` (a call's result, `f().token`, is not seen, nor is `a['token']`), the lookahead keeps it from
 * ending mid-name. Comments are removed first: block comments, and line comments whose `//` does not
 * follow `:` or a quote (a URL in a string).
 */
const OPERAND = String.raw`[A-Za-z_$][\w$]*(?:\??\.[A-Za-z_$][\w$]*)*`
const COMPARISON = new RegExp(String.raw`(?<![\w$.])(${OPERAND})!?\s*([!=]==)\s*(${OPERAND})!?(?![\w$])`, 'g')
const SECRET_NAME = /secret|token|sessionid|verifier/i

const SELF_TEST = [
  'if (a.accessToken === rejectedToken) return',
  'if (secret !== other.clientSecret) throw x',
  'ok = caller.sessionId === flow?.sessionId',
  'same = verifier===stored.codeVerifier',
  'latest.secrets === rotated.from.secrets && latest.updatedAt === rotated.from.updatedAt',
  'return token !== refreshToken',
  'if (flow.verifier!==stored.verifier!) return',
  // Not flagged: a literal on one side, or names that are not secrets.
  "typeof tokens.scope !== 'string' && tokens.access_token === '' && flow.sessionId !== null",
  "provider.tokenAuth === 'client_secret_basic' || tokens.scope === other.scope",
  'tokenCount === limit || record.owner !== owner',
  '// a.token === b.token, in a comment',
  '/* a.secret !== b.secret */ const url = "https://x.example/a" // token === secret',
].join('\n')

function secretComparisons(source: string, file: string): string[] {
  const code = source
    .replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ' '))
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1')
  const found: string[] = []
  for (const match of code.matchAll(COMPARISON)) {
    const [text, left = '', , right = ''] = match
    const name = (operand: string) => operand.split('.').at(-1) ?? ''
    if (!SECRET_NAME.test(name(left)) || !SECRET_NAME.test(name(right))) continue
    const line = code.slice(0, match.index).split('\n').length
    found.push(`${file}:${line} ${text.replace(/\s+/g, ' ')}`)
  }
  return found
}

describe('P6: provider calls never follow redirects', () => {
  it('P6: a profile endpoint answering 302 fails the connect with provider_error, and the redirect target receives nothing (no token)', async () => {
    const elsewhere = await startFakeProvider({
      token: () => ({ access_token: 'p6-elsewhere-CANARY' }),
      userInfo: () => ({ sub: 'mallory' }),
    })
    const fake = await startFakeProvider({
      token: () => ({ access_token: 'p6-profile-access-CANARY', token_type: 'Bearer', expires_in: 3600 }),
      userInfo: () => ({ status: 302, headers: { location: `${elsewhere.url}/userinfo` }, body: '' }),
    })
    const app = await suite.appWith({
      providers: [
        providers.oauth2({
          id: 'acme',
          name: 'Acme',
          ...fake.endpoints,
          clientId: 'acme-client',
          clientSecret: 'p6-client-secret-CANARY',
        }),
      ],
    })
    const { response, hops } = await browserAs(app, 'ana').follow(`${app.mount}/connect/acme`)
    expect(hops.at(-1)).toMatch(/\/integrations\/callback\/acme\?/)
    expect(response.status).toBe(502)
    expect((await json<ErrorBody>(response)).error.code).toBe('provider_error')
    expect(fake.tokenRequests).toHaveLength(1)
    expect(fake.userInfoRequests).toHaveLength(1)
    expect(elsewhere.requests).toEqual([])
    expect(connectionKeys(app.raw)).toEqual([])
  })

  it('P6: a credentials check answering 302 is a provider_error, the redirect target receives nothing (no credentials), and nothing is stored', async () => {
    // providers.twilio checks with the package's own check request; an apiKey provider's check is
    // the host's `validate`, which makes its own calls.
    const SID = `AC${'b'.repeat(32)}`
    const AUTH_TOKEN = 'CANARYp6TwilioAuthToken012345678'
    const account = `/2010-04-01/Accounts/${SID}.json`
    const elsewhere = await startFakeProvider({
      token: () => ({}),
      routes: { [account]: () => ({ sid: SID, friendly_name: 'Stolen', status: 'active' }) },
    })
    const fake = await startFakeProvider({
      token: () => ({}),
      routes: {
        [account]: () => ({ status: 302, headers: { location: `${elsewhere.url}${account}` }, body: '' }),
      },
    })
    const app = await suite.appWith({ providers: [providers.twilio({ baseUrl: fake.url })] })
    const response = await request(app.url)
      .post('/integrations/connections')
      .set('x-user', 'ana')
      .send({ provider: 'twilio', credentials: { accountSid: SID, authToken: AUTH_TOKEN } })
    expect(response.status).toBe(502)
    expect(response.body.error.code).toBe('provider_error')
    expect(fake.requests.map((r) => r.path)).toEqual([account])
    expect(elsewhere.requests).toEqual([])
    expect(connectionKeys(app.raw)).toEqual([])
    expect(dump(app.raw)).not.toContain(AUTH_TOKEN)
  })

  it('P6: the proxy relays a provider API’s 3xx without its Location and does not follow it: the redirect target receives nothing', async () => {
    const elsewhere = await startFakeProvider({
      token: () => ({}),
      routes: { '/api/stolen': () => ({ stolen: true }) },
    })
    const moved = (status: number) => () => ({
      status,
      headers: { location: `${elsewhere.url}/api/stolen` },
      body: '',
    })
    const fake = await startFakeProvider({
      token: () => ({ access_token: 'p6-proxy-access-CANARY', token_type: 'Bearer', expires_in: 3600 }),
      userInfo: () => ({ sub: 'acct-1' }),
      routes: { '/api/moved': moved(302), '/api/moved-post': moved(307) },
    })
    const provider = providers.oauth2({
      id: 'acme',
      name: 'Acme',
      ...fake.endpoints,
      apiBaseUrl: `${fake.url}/api`,
      clientId: 'acme-client',
      clientSecret: 'p6-proxy-client-secret-CANARY',
    })
    const { app, connection } = await connectThroughFake(provider, fake)
    const proxy = `/integrations/connections/${connection.id}/proxy`

    const get = await request(app.url).get(`${proxy}/moved`).set('x-user', 'ana').redirects(0)
    expect(get.status).toBe(302)
    expect(get.headers.location).toBeUndefined()
    const post = await request(app.url)
      .post(`${proxy}/moved-post`)
      .set('x-user', 'ana')
      .set('content-type', 'application/json')
      .send({ name: 'Widget' })
      .redirects(0)
    expect(post.status).toBe(307)
    expect(post.headers.location).toBeUndefined()

    const sent = fake.requests.filter((r) => r.path.startsWith('/api/'))
    expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/moved', 'POST /api/moved-post'])
    expect(sent[0]?.headers.authorization).toBe('Bearer p6-proxy-access-CANARY')
    expect(elsewhere.requests).toEqual([])
  })
})
