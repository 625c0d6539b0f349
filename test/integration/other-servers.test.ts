import request from 'supertest'
import { afterEach, describe, expect, it } from 'vitest'
import { providers } from '../../src/index.js'
import { connectionKeys, startTestApp, type TestApp } from '../support/app.js'
import { sleep, storedSecrets } from '../support/as-client.js'
import {
  type Authentication,
  type LocalAuthServer,
  type LocalAuthServerOptions,
  outsideProvider,
} from '../support/as-shell.js'
import { authorizeIn, browserAs, connect } from '../support/flows.js'
import { startJmondiServer } from '../support/jmondi-server.js'
import { startNodeOAuthServer } from '../support/node-oauth-server.js'

/**
 * Two authorization servers besides oidc-provider, each run as its users run it (an Express app
 * around the library), through the whole life of a connection: connect (PKCE S256), refresh with
 * rotation, proxy, revoke. Both read client_secret_basic without form-decoding it.
 */

const open: Array<{ close(): Promise<void> }> = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((server) => server.close()))
})

const SERVERS = [
  ['@node-oauth/oauth2-server', startNodeOAuthServer],
  ['@jmondi/oauth2-server', startJmondiServer],
] as const

// Access tokens live 2 s: a test has an expiring one by waiting a second.
const TTL = 2

async function serverAndApp<S extends LocalAuthServer>(
  start: (options: LocalAuthServerOptions) => Promise<S>,
  options: LocalAuthServerOptions,
  authentication: (server: LocalAuthServer) => Authentication | Promise<Authentication>,
): Promise<{ server: S; app: TestApp }> {
  const server = await start({ accessTokenTtl: TTL, ...options })
  open.push(server)
  const provider = outsideProvider(server, await authentication(server))
  const app = await startTestApp(null, { providers: [provider], authorize: () => true })
  open.push(app)
  server.setRedirectUris([`${app.mount}/callback/as`])
  return { server, app }
}

/** connect → refresh (rotated) → proxy → revoke, with each step checked at the server itself. */
async function fullLife(server: LocalAuthServer, app: TestApp): Promise<void> {
  const id = await connect(app, 'ana', 'ana', 'as')
  expect(await app.router.connections.get('ana', id)).toMatchObject({
    status: 'active',
    accountId: 'user-ana',
    accountEmail: 'ana@example.com',
  })
  const first = storedSecrets(app.raw, id)
  expect(first?.refreshToken).toBeTruthy()

  await sleep(1100)
  const token = await request(app.url).get(`/integrations/connections/${id}/token`).set('x-user', 'ana')
  expect(token.status).toBe(200)
  expect(server.grants.refreshToken).toBe(1)
  const rotated = storedSecrets(app.raw, id)
  expect(rotated?.accessToken).toBe(token.body.data.accessToken)
  expect(rotated?.refreshToken).not.toBe(first?.refreshToken)
  expect(await server.isActive(rotated?.refreshToken ?? '')).toBe(true)

  const proxied = await request(app.url)
    .get(`/integrations/connections/${id}/proxy/api/me`)
    .set('x-user', 'ana')
  expect(proxied.status).toBe(200)
  expect(proxied.body).toMatchObject({ sub: 'user-ana' })

  const revoked = await request(app.url).post(`/integrations/connections/${id}/revoke`).set('x-user', 'ana')
  expect(revoked.status).toBe(200)
  expect(await server.isActive(rotated?.accessToken ?? '')).toBe(false)
  expect(await server.isActive(rotated?.refreshToken ?? '')).toBe(false)
}

describe.each(SERVERS)('%s as the authorization server', (_name, start) => {
  it('runs connect → refresh → proxy → revoke with a base64 secret, discovered as client_secret_post', async () => {
    const { server, app } = await serverAndApp(start, {}, async (s) => {
      const found = await providers.discover({
        id: 'as',
        issuer: s.issuer,
        clientId: s.clientId,
        clientSecret: s.clientSecret ?? '',
      })
      return { tokenAuth: found.tokenAuth as 'client_secret_post', clientSecret: s.clientSecret ?? '' }
    })
    await fullLife(server, app)
    expect(new Set(server.clientAuthentication)).toEqual(new Set(['post']))
  })

  it("runs it with client_secret_basic and basicAuthEncoding 'raw', the secret holding / + =", async () => {
    const { server, app } = await serverAndApp(start, {}, (s) => ({
      tokenAuth: 'client_secret_basic',
      clientSecret: s.clientSecret ?? '',
      basicAuthEncoding: 'raw',
    }))
    expect(server.clientSecret).toMatch(/\/.*\+.*=/)
    await fullLife(server, app)
    expect(new Set(server.clientAuthentication)).toEqual(new Set(['basic']))
  })

  it('runs it as a public client (tokenAuth none), sending its client_id only', async () => {
    const { server, app } = await serverAndApp(start, { clientSecret: null }, () => ({ tokenAuth: 'none' }))
    await fullLife(server, app)
    expect(new Set(server.clientAuthentication)).toEqual(new Set(['none']))
  })
})

describe('RFC 6749 §2.3.1 form encoding in client_secret_basic (the default)', () => {
  it.each(SERVERS)(
    'is refused by %s, whose Basic is not form-decoded: the reason for raw',
    async (_name, start) => {
      const { app } = await serverAndApp(start, {}, (s) => ({
        tokenAuth: 'client_secret_basic',
        clientSecret: s.clientSecret ?? '',
      }))
      const browser = browserAs(app, 'ana')
      const callback = await browser.request(await authorizeIn(browser, app, 'ana', '', 'as'))
      expect(callback.status).toBe(502)
      expect(connectionKeys(app.raw)).toEqual([])
    },
  )
})

describe('an expires_in out of range (@node-oauth/oauth2-server sending an extended attribute)', () => {
  /** The server answers with `expires_in` = `odd.value` while it is set (its accessTokenLifetime otherwise). */
  const odd: { value: unknown } = { value: undefined }
  const startOdd = (options: LocalAuthServerOptions) =>
    startNodeOAuthServer({
      ...options,
      tokenExtras: () => (odd.value === undefined ? {} : { expires_in: odd.value }),
    })
  const secretPost = (s: LocalAuthServer): Authentication => ({ clientSecret: s.clientSecret ?? '' })
  afterEach(() => {
    odd.value = undefined
  })

  it.each([1e13, Number.MAX_VALUE, -60])(
    'is an unknown expiry at the callback (%s), not a 500 with the state spent',
    async (value) => {
      odd.value = value
      const { app } = await serverAndApp(startOdd, {}, secretPost)
      const id = await connect(app, 'ana', 'ana', 'as')
      expect(await app.router.connections.get('ana', id)).toMatchObject({ status: 'active', expiresAt: null })
    },
  )

  it('at a refresh, keeps the rotated refresh token it came with (the expiry taken as unknown)', async () => {
    const { server, app } = await serverAndApp(startOdd, {}, secretPost)
    const id = await connect(app, 'ana', 'ana', 'as')
    const first = storedSecrets(app.raw, id)
    await sleep(1100)
    odd.value = 1e13
    const token = await request(app.url).get(`/integrations/connections/${id}/token`).set('x-user', 'ana')
    expect(token.status).toBe(200)
    expect(server.grants.refreshToken).toBe(1)
    const rotated = storedSecrets(app.raw, id)
    // node-oauth has already dropped the old refresh token: losing the new one would end the connection.
    expect(await server.isActive(first?.refreshToken ?? '')).toBe(false)
    expect(rotated?.refreshToken).toBe(server.issued.at(-1)?.refresh_token)
    expect(await server.isActive(rotated?.refreshToken ?? '')).toBe(true)
    // As for an answer without expires_in: the token is assumed to live as long as the last one.
    const connection = await app.router.connections.get('ana', id)
    expect(connection.status).toBe('active')
    const lifetime = Date.parse(connection.expiresAt ?? '') - Date.parse(connection.lastRefreshedAt ?? '')
    expect(lifetime).toBeGreaterThan(0)
    expect(lifetime).toBeLessThanOrEqual(TTL * 1000)
  })
})

describe('a grant revoked at @jmondi/oauth2-server (startJmondiServer().revokeGrants())', () => {
  it('ends the tokens at the server, which then answers a refresh with invalid_request, not invalid_grant', async () => {
    const { server, app } = await serverAndApp(startJmondiServer, {}, (s) => ({
      clientSecret: s.clientSecret ?? '',
    }))
    const id = await connect(app, 'ana', 'ana', 'as')
    const secrets = storedSecrets(app.raw, id)
    expect(server.revokeGrants()).toBe(1)
    expect(await server.isActive(secrets?.accessToken ?? '')).toBe(false)
    const refresh = await fetch(server.tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: secrets?.refreshToken ?? '',
        client_id: server.clientId,
        client_secret: server.clientSecret ?? '',
      }),
    })
    expect(refresh.status).toBe(400)
    expect(await refresh.json()).toMatchObject({ error: 'invalid_request' })
  })

  it('ends the connection in needs_reauth after the router is refused three times, instead of a 502 forever', async () => {
    const { server, app } = await serverAndApp(startJmondiServer, {}, (s) => ({
      clientSecret: s.clientSecret ?? '',
    }))
    const id = await connect(app, 'ana', 'ana', 'as')
    server.revokeGrants()
    await sleep(TTL * 1000 + 100)
    const statuses: number[] = []
    // Between refusals the connection backs off (about 1 s, then 2 s): requests in between answer
    // 502 at once, without asking the server.
    const deadline = Date.now() + 15_000
    while (Date.now() < deadline) {
      const token = await request(app.url).get(`/integrations/connections/${id}/token`).set('x-user', 'ana')
      statuses.push(token.status)
      if (token.status !== 502) break
      await sleep(200)
    }
    expect(statuses.at(-1)).toBe(409)
    expect(server.grants.refreshToken).toBe(0)
    const connection = await app.router.connections.get('ana', id)
    expect(connection.status).toBe('needs_reauth')
    expect(connection.statusReason).toMatch(/invalid_request/)
  }, 30_000)
})
