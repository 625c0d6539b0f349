import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { OAuth2Server } from 'oauth2-mock-server'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { providers } from '../../src/index.js'
import { connectionKeys } from '../support/app.js'
import { sleep, storedSecrets } from '../support/as-client.js'
import { authorizeIn, browserAs, connect } from '../support/flows.js'
import { useOAuthSuite } from '../support/suite.js'

const suite = useOAuthSuite()

/** The suite's client, found through its issuer (oidc-provider serves RFC 8414-compatible metadata). */
function discoverLocal(overrides: { tokenAuth?: 'client_secret_post' | 'client_secret_basic' } = {}) {
  return providers.discover({
    id: 'local',
    name: 'Local',
    issuer: suite.oauth.issuer,
    clientId: suite.oauth.clientId,
    clientSecret: suite.oauth.clientSecret,
    tokenAuth: 'client_secret_post',
    scopes: ['openid', 'email'],
    ...overrides,
  })
}

/** Metadata served by a stand-in for a server that is not the issuer it names, or that says little. */
const servers: Server[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))))
})
async function serveMetadata(build: (origin: string) => Record<string, unknown>): Promise<string> {
  const server = createServer((req, res) => {
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    if (req.url !== '/.well-known/oauth-authorization-server') return void res.writeHead(404).end()
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(build(origin)))
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

describe('providers.discover (RFC 8414)', () => {
  it('reads the endpoints and iss support from the issuer’s metadata, and connects through them', async () => {
    const local = await discoverLocal()
    expect(local).toMatchObject({
      authorizationUrl: suite.oauth.authorizationUrl,
      tokenUrl: suite.oauth.tokenUrl,
      revocationUrl: suite.oauth.revocationUrl,
      userInfoUrl: suite.oauth.userInfoUrl,
      issuer: suite.oauth.issuer,
      // oidc-provider advertises authorization_response_iss_parameter_supported.
      requireIss: true,
    })
    const app = await suite.appWith({ providers: [local], authorize: () => true })
    const id = await connect(app, 'ana')
    expect(await app.router.connections.get('ana', id)).toMatchObject({ status: 'active' })
    expect((await app.router.connections.getAccessToken('ana', id)).accessToken).toBeTruthy()
    const revoked = await app.router.connections.revoke('ana', id)
    expect(revoked.connection.status).toBe('revoked')
  })

  it('then refuses a callback without iss, since the server said it always sends one (RFC 9207 §2.4)', async () => {
    const app = await suite.appWith({ providers: [await discoverLocal()] })
    const browser = browserAs(app, 'ana')
    const callbackUrl = new URL(await authorizeIn(browser, app, 'ana'))
    callbackUrl.searchParams.delete('iss')
    expect((await browser.request(callbackUrl)).status).toBe(403)
    expect(connectionKeys(app.raw)).toEqual([])
  })

  it('picks client_secret_post when the server lists it (no encoding to disagree on), else Basic (RFC 8414’s default)', async () => {
    expect((await discoverLocal({ tokenAuth: undefined })).tokenAuth).toBe('client_secret_post')
    expect((await discoverLocal({ tokenAuth: 'client_secret_basic' })).tokenAuth).toBe('client_secret_basic')
    const discoverFrom = async (methods?: string[]) => {
      const issuer = await serveMetadata((origin) => ({
        issuer: origin,
        authorization_endpoint: `${origin}/authorize`,
        token_endpoint: `${origin}/token`,
        ...(methods ? { token_endpoint_auth_methods_supported: methods } : {}),
      }))
      return providers.discover({ id: 'acme', issuer, clientId: 'id', clientSecret: 'CANARY-s' })
    }
    expect(await discoverFrom(['client_secret_post'])).toMatchObject({
      tokenAuth: 'client_secret_post',
      requireIss: false,
      revocationUrl: null,
    })
    expect((await discoverFrom(['client_secret_basic', 'private_key_jwt'])).tokenAuth).toBe(
      'client_secret_basic',
    )
    expect((await discoverFrom()).tokenAuth).toBe('client_secret_basic')
  })

  it.each([
    [
      'names another issuer (RFC 8414 §3.3)',
      (origin: string) => ({
        issuer: 'https://login.example.com',
        authorization_endpoint: `${origin}/a`,
        token_endpoint: `${origin}/t`,
      }),
      /names another issuer/,
    ],
    [
      'does not offer PKCE with S256',
      (origin: string) => ({
        issuer: origin,
        authorization_endpoint: `${origin}/a`,
        token_endpoint: `${origin}/t`,
        code_challenge_methods_supported: ['plain'],
      }),
      /PKCE with S256/,
    ],
    [
      'does not offer the code flow',
      (origin: string) => ({
        issuer: origin,
        authorization_endpoint: `${origin}/a`,
        token_endpoint: `${origin}/t`,
        response_types_supported: ['token'],
      }),
      /authorization code flow/,
    ],
    [
      'lacks a token endpoint',
      (origin: string) => ({ issuer: origin, authorization_endpoint: `${origin}/a` }),
      /oauth-authorization-server is not valid metadata/,
    ],
  ])('refuses metadata that %s', async (_name, build, message) => {
    const issuer = await serveMetadata(build)
    await expect(
      providers.discover({ id: 'acme', issuer, clientId: 'id', clientSecret: 'CANARY-secret' }),
    ).rejects.toThrow(message)
  })

  it('refuses an http issuer outside loopback, and says so when nothing answers, without the secret', async () => {
    await expect(
      providers.discover({
        id: 'acme',
        issuer: 'http://sso.example.com',
        clientId: 'id',
        clientSecret: 'CANARY-s',
      }),
    ).rejects.toThrow(/must be https/)
    const error = await providers
      .discover({
        id: 'acme',
        issuer: 'http://127.0.0.1:9/',
        clientId: 'id',
        clientSecret: 'CANARY-s',
        timeoutMs: 2000,
      })
      .catch((e: unknown) => e)
    expect(String(error)).toMatch(
      /could not read the metadata of http:\/\/127\.0\.0\.1:9\/: \/\.well-known\/oauth-authorization-server did not answer/,
    )
    expect(String(error)).not.toMatch(/CANARY/)
  })
})

describe('providers.discover on a server that takes public clients only (oauth2-mock-server 8)', () => {
  const mock = new OAuth2Server()
  beforeAll(async () => {
    await mock.issuer.keys.generate('RS256')
    await mock.start(0, '127.0.0.1')
  })
  afterAll(async () => {
    await mock.stop()
  })

  it("connects, refreshes and revokes as a public client with tokenAuth 'none', sending client_id only", async () => {
    const requests: Array<Record<string, string>> = []
    const note = (req: { body?: unknown; headers: Record<string, unknown> }) => {
      const body = (req.body ?? {}) as Record<string, string>
      requests.push({ ...body, authorization: String(req.headers.authorization) })
    }
    // Tokens that live 2 s, so that one is expiring a second later.
    const shortLived = (response: { body: Record<string, unknown> }, req: Parameters<typeof note>[0]) => {
      response.body.expires_in = 2
      note(req)
    }
    mock.service.on('beforeResponse', shortLived)
    mock.service.on('beforeRevoke', (_response, req) => note(req))
    const found = await providers.discover({
      id: 'local',
      issuer: mock.issuer.url ?? '',
      clientId: 'public-app',
      tokenAuth: 'none',
      scopes: ['openid'],
    })
    expect(found).toMatchObject({ tokenAuth: 'none', clientSecret: null, revocationUrl: expect.any(String) })
    const app = await suite.appWith({ providers: [found], authorize: () => true })
    const id = await connect(app, 'ana')
    const first = storedSecrets(app.raw, id)
    await sleep(1100)
    await app.router.connections.getAccessToken('ana', id)
    expect(storedSecrets(app.raw, id)?.refreshToken).not.toBe(first?.refreshToken)
    expect((await app.router.connections.revoke('ana', id)).connection.status).toBe('revoked')

    // The mock reads no revocation body: the two revocations are seen by their missing Basic header.
    expect(requests.map((r) => r.grant_type ?? 'revocation')).toEqual([
      'authorization_code',
      'refresh_token',
      'revocation',
      'revocation',
    ])
    for (const request of requests) {
      expect(request.authorization).toBe('undefined')
      expect(request).not.toHaveProperty('client_secret')
      if (request.grant_type) expect(request.client_id).toBe('public-app')
    }
  })

  it('tells a client with a secret that the server takes public clients only', async () => {
    await expect(
      providers.discover({
        id: 'acme',
        issuer: mock.issuer.url ?? '',
        clientId: 'id',
        clientSecret: 'CANARY-s',
      }),
    ).rejects.toThrow(
      /takes neither client_secret_post nor client_secret_basic: it takes public clients \(tokenAuth: 'none', no clientSecret\)/,
    )
  })
})
