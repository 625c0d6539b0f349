import { generateKeyPairSync } from 'node:crypto'
import { afterEach, describe, expect, it, type MockInstance, vi } from 'vitest'
import { providers } from '../../src/index.js'
import type { ClientAssertionKey } from '../../src/oauth/client-assertion.js'
import { createTokenEndpoint, GrantRevokedError } from '../../src/oauth/token-client.js'
import { connectionKeys, dump } from '../support/app.js'
import { sleep, storedSecrets } from '../support/as-client.js'
import { registerPrivateKey } from '../support/canary.js'
import { authorizeIn, browserAs, connect, json } from '../support/flows.js'
import type { OAuthServer } from '../support/oauth-server.js'
import { useOAuthSuite } from '../support/suite.js'

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 })

const keyMaterial = [
  ...registerPrivateKey(rsa.privateKey, 'client RSA private key'),
  ...registerPrivateKey(ec.privateKey, 'client EC private key'),
  ...registerPrivateKey(stranger.privateKey, 'wrong private key'),
]

const CLIENT_ID = 'jwt-client'

const ACCESS_TOKEN_SECONDS = 2

// The authorization server knows the client by its public keys only: it has no secret to accept.
const suite = useOAuthSuite({
  // Short-lived: the router refreshes a token in the second half of its life.
  accessTokenTtl: ACCESS_TOKEN_SECONDS,
  clients: [
    {
      clientId: CLIENT_ID,
      clientSecret: 'never-registered-CANARY',
      redirectUris: [],
      jwks: {
        keys: [
          { ...rsa.publicKey.export({ format: 'jwk' }), kid: 'rsa-1', use: 'sig' },
          { ...ec.publicKey.export({ format: 'jwk' }), kid: 'ec-1', use: 'sig' },
        ],
      },
    },
  ],
})

function jwtProvider(oauth: OAuthServer, clientAssertionKey: ClientAssertionKey) {
  return providers.oauth2({
    id: 'local',
    name: 'Local OAuth',
    authorizationUrl: oauth.authorizationUrl,
    tokenUrl: oauth.tokenUrl,
    userInfoUrl: oauth.userInfoUrl,
    revocationUrl: oauth.revocationUrl,
    issuer: oauth.issuer,
    clientId: CLIENT_ID,
    tokenAuth: 'private_key_jwt',
    clientAssertionKey,
    scopes: ['openid', 'email', 'offline_access'],
    authorizationParams: { prompt: 'consent' },
  })
}

/** The form bodies the router posted to the authorization server's token and revocation endpoints. */
function serverPosts(oauth: OAuthServer, sent: MockInstance<typeof fetch>) {
  return sent.mock.calls
    .filter(([url]) => [oauth.tokenUrl, oauth.revocationUrl].includes(String(url)))
    .map(([url, init]) => ({ url: String(url), form: Object.fromEntries(init?.body as URLSearchParams) }))
}

function claimsOf(jwt: string | undefined): Record<string, unknown> {
  const [, claims = ''] = (jwt ?? '').split('.')
  return JSON.parse(Buffer.from(claims, 'base64url').toString()) as Record<string, unknown>
}

async function userInfoStatus(oauth: OAuthServer, accessToken: string): Promise<number> {
  const response = await fetch(oauth.userInfoUrl, { headers: { authorization: `Bearer ${accessToken}` } })
  await response.body?.cancel()
  return response.status
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('private_key_jwt against a real authorization server (oidc-provider)', () => {
  it.each([
    ['RS256', { privateKey: rsa.privateKey, keyId: 'rsa-1' }],
    ['PS256', { privateKey: rsa.privateKey, keyId: 'rsa-1', algorithm: 'PS256' }],
    ['ES256', { privateKey: ec.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() }],
  ] as const)(
    'connects, refreshes and revokes with %s assertions and never a client secret',
    async (_alg, key) => {
      const sent = vi.spyOn(globalThis, 'fetch')
      const oauth = suite.oauth
      const app = await suite.appWith({ providers: [jwtProvider(oauth, key)] })

      // connect → login → consent → callback: the code exchange
      const id = await connect(app, 'ana')
      const connected = storedSecrets(app.raw, id)
      expect(await userInfoStatus(oauth, connected?.accessToken ?? '')).toBe(200)
      expect(await app.router.connections.get('ana', id)).toMatchObject({
        status: 'active',
        accountId: 'ana',
      })

      // refresh
      const refreshes = oauth.grants.refreshToken
      await sleep((ACCESS_TOKEN_SECONDS * 1000) / 2 + 100)
      const token = await app.router.connections.getAccessToken('ana', id)
      expect(oauth.grants.refreshToken).toBe(refreshes + 1)
      expect(token.accessToken).not.toBe(connected?.accessToken)
      expect(await userInfoStatus(oauth, token.accessToken)).toBe(200)
      const refreshed = storedSecrets(app.raw, id)

      // revoke: both tokens, at the provider
      const result = await app.router.connections.revoke('ana', id)
      expect(result.connection.status).toBe('revoked')
      const audit = await app.router.connections.audit('ana', { connectionId: id })
      expect(audit.entries[0]).toMatchObject({ action: 'revoked', detail: 'revoked at the provider' })
      expect(await userInfoStatus(oauth, token.accessToken)).toBe(401)

      const posts = serverPosts(oauth, sent)
      expect(posts.map((p) => p.form.grant_type ?? p.form.token_type_hint).sort()).toEqual([
        'access_token',
        'authorization_code',
        'refresh_token',
        'refresh_token',
      ])
      const jtis = new Set<unknown>()
      for (const { form } of posts) {
        expect(form).toMatchObject({
          client_id: CLIENT_ID,
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        })
        expect(form).not.toHaveProperty('client_secret')
        const claims = claimsOf(form.client_assertion)
        expect(claims).toMatchObject({ iss: CLIENT_ID, sub: CLIENT_ID, aud: oauth.tokenUrl })
        expect(Number(claims.exp) - Number(claims.iat)).toBeLessThanOrEqual(60)
        jtis.add(claims.jti)
      }
      expect(jtis.size).toBe(posts.length)

      // The grant is gone at the server: the last refresh token no longer works either.
      const endpoint = createTokenEndpoint(5000)
      await expect(
        endpoint.refresh(jwtProvider(oauth, key), refreshed?.refreshToken ?? ''),
      ).rejects.toBeInstanceOf(GrantRevokedError)
      for (const part of keyMaterial) expect(dump(app.raw)).not.toContain(part)
    },
  )

  it('is refused at the code exchange with the wrong key, and stores nothing', async () => {
    const sent = vi.spyOn(globalThis, 'fetch')
    const oauth = suite.oauth
    const exchanges = oauth.grants.authorizationCode
    const app = await suite.appWith({
      providers: [jwtProvider(oauth, { privateKey: stranger.privateKey, keyId: 'rsa-1' })],
    })
    const browser = browserAs(app, 'ana')
    const response = await browser.request(await authorizeIn(browser, app, 'ana'))
    expect(response.status).toBe(502)
    const body = await json<{ error: { code: string; message: string } }>(response)
    expect(body.error.code).toBe('provider_error')
    expect(body.error.message).toMatch(/invalid_client/)
    expect(oauth.grants.authorizationCode).toBe(exchanges)
    expect(connectionKeys(app.raw)).toEqual([])
    expect(await app.router.connections.list('ana')).toEqual([])
    const [exchange] = serverPosts(oauth, sent)
    expect(exchange?.form).toMatchObject({ grant_type: 'authorization_code', client_id: CLIENT_ID })
    expect(exchange?.form).not.toHaveProperty('client_secret')
  })

  it('lists the provider without any of its key', async () => {
    const app = await suite.appWith({
      providers: [jwtProvider(suite.oauth, { privateKey: rsa.privateKey, keyId: 'rsa-1' })],
    })
    const listing = await fetch(`${app.mount}/providers`, { headers: { 'x-user': 'ana' } })
    const text = await listing.text()
    expect(JSON.parse(text)).toEqual({ data: [expect.objectContaining({ id: 'local', kind: 'oauth2' })] })
    for (const part of keyMaterial) expect(text).not.toContain(part)
    expect(text).not.toMatch(/rsa-1|RS256|assertion/i)
  })
})
