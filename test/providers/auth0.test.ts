import { describe, expect, it } from 'vitest'
import { bindConnectionParams } from '../../src/providers/connection-params.js'
import { auth0 } from '../../src/providers/presets/auth0.js'
import { type FakeProvider, startFakeProvider } from '../support/fake-provider.js'
import { connectThroughFake } from '../support/preset-flow.js'

const app = { clientId: 'kbyuFDidLLm280LIwVFiazOqjO3ty8KH', clientSecret: 'auth0-secret-CANARY' }

/** The fake's endpoints as per-tenant templates: `/t/<tenant>/token` is the token endpoint of <tenant>. */
const perTenant = (fake: FakeProvider) => ({
  authorizationUrl: `${fake.url}/t/{tenant}/authorize`,
  tokenUrl: `${fake.url}/t/{tenant}/token`,
  userInfoUrl: `${fake.url}/t/{tenant}/userinfo`,
  revocationUrl: `${fake.url}/t/{tenant}/revoke`,
  apiBaseUrl: `${fake.url}/t/{tenant}/api/v2`,
})

describe('auth0 preset', () => {
  it('connects two tenants through one provider, refreshes and revokes each at its own tenant, and refuses a tenant outside the pattern with nothing sent', async () => {
    let calls = 0
    // https://auth0.com/docs/api/authentication (token, userinfo and revoke responses, read 2026-12-07)
    const fake = await startFakeProvider({
      token: (request) => ({
        access_token: `eyJhbGciOiJkaXIi.${request.tenant}-${request.form.grant_type}-CANARY`,
        ...(request.form.grant_type === 'authorization_code'
          ? { refresh_token: `v1.M${request.tenant}-refresh-CANARY` }
          : {}),
        id_token: 'eyJhbGciOiJSUzI1NiJ9.e30.sig-CANARY',
        scope: 'openid profile email offline_access',
        expires_in: 86400,
        token_type: 'Bearer',
      }),
      userInfo: (request) => ({
        sub: `auth0|${request.tenant}-5f7c8ec7c33c6c004bbafe82`,
        name: 'Jane Josephine Doe',
        nickname: 'jane',
        picture: 'https://s.gravatar.com/avatar/jane.png',
        updated_at: '2026-12-01T12:00:00.000Z',
        email: `jane@${request.tenant}.example`,
        email_verified: true,
      }),
      routes: {
        // https://auth0.com/docs/api/management/v2/users/get-users-by-id (read 2026-12-07)
        '/api/v2/users/me': () =>
          ++calls === 1
            ? { status: 401, body: { statusCode: 401, error: 'Unauthorized' } }
            : { user_id: 'x' },
      },
    })
    const provider = auth0({ ...app, endpoints: perTenant(fake) })
    const run = await connectThroughFake(provider, fake, { query: { tenant: 'acme', region: 'eu' } })
    const second = await connectThroughFake(provider, fake, { query: { tenant: 'initech' }, app: run.app })

    expect(run.authorization.get('scope')).toBe('openid profile email offline_access')
    expect(run.connection).toMatchObject({
      provider: 'auth0',
      params: { tenant: 'acme', region: 'eu' },
      accountId: 'auth0|acme-5f7c8ec7c33c6c004bbafe82',
      accountEmail: 'jane@acme.example',
    })
    expect(second.connection).toMatchObject({
      params: { tenant: 'initech', region: 'us' },
      accountId: 'auth0|initech-5f7c8ec7c33c6c004bbafe82',
    })
    expect(fake.tokenRequests.map((r) => [r.tenant, r.form.client_id, r.form.client_secret])).toEqual([
      ['acme', app.clientId, app.clientSecret],
      ['initech', app.clientId, app.clientSecret],
    ])

    // A 401 refreshes at the connection's own tenant; Auth0 keeps the refresh token when it does not rotate.
    const me = await run.app.router.connections.fetch('ana', run.connection.id, '/users/me')
    expect(me.status).toBe(200)
    const refresh = fake.tokenRequests[2]
    expect([refresh?.tenant, refresh?.form.grant_type, refresh?.form.refresh_token]).toEqual([
      'acme',
      'refresh_token',
      'v1.Macme-refresh-CANARY',
    ])

    // /oauth/revoke takes the refresh token only, as JSON with the client's credentials.
    await run.app.router.connections.revoke('ana', run.connection.id)
    expect(fake.revocations).toHaveLength(1)
    expect(fake.revocations[0]?.tenant).toBe('acme')
    expect(fake.revocations[0]?.headers['content-type']).toContain('application/json')
    expect(fake.revocations[0]?.form).toEqual({
      client_id: app.clientId,
      client_secret: app.clientSecret,
      token: 'v1.Macme-refresh-CANARY',
    })

    const sent = fake.requests.length
    const refused: Array<Record<string, string>> = [
      { tenant: 'evil.com/x' },
      { tenant: 'acme.eu.auth0.com' },
      { tenant: 'acme@evil.com' },
      { tenant: '-acme' },
      { tenant: '' },
      { tenant: 'acme', region: 'evil.com' },
      { tenant: 'acme', region: 'de' },
    ]
    for (const query of refused) {
      const response = await fetch(`${run.app.mount}/connect/auth0?${new URLSearchParams(query)}`, {
        headers: { 'x-user': 'ana' },
        redirect: 'manual',
      })
      expect(response.status, JSON.stringify(query)).toBe(400)
      expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(
        /tenant|region/,
      )
    }
    expect(fake.requests).toHaveLength(sent)
  })

  it("fills the tenant and region into Auth0's hosts, and the issuer", () => {
    const eu = bindConnectionParams(auth0(app), { tenant: 'acme', region: 'eu' })
    expect(eu.authorizationUrl).toBe('https://acme.eu.auth0.com/authorize')
    expect(eu.tokenUrl).toBe('https://acme.eu.auth0.com/oauth/token')
    expect(eu.userInfoUrl).toBe('https://acme.eu.auth0.com/userinfo')
    expect(eu.revocationUrl).toBe('https://acme.eu.auth0.com/oauth/revoke')
    expect(eu.apiBaseUrl).toBe('https://acme.eu.auth0.com/api/v2')
    expect(eu.issuer).toBe('https://acme.eu.auth0.com/')
    for (const region of ['us', 'au', 'jp', 'uk', 'ca']) {
      expect(bindConnectionParams(auth0(app), { tenant: 'acme', region }).tokenUrl).toBe(
        `https://acme.${region}.auth0.com/oauth/token`,
      )
    }
    expect(bindConnectionParams(auth0(app), { tenant: 'acme' }).issuer).toBe('https://acme.us.auth0.com/')
    const legacy = bindConnectionParams(auth0({ ...app, legacyUsDomain: true }), { tenant: 'acme' })
    expect(legacy.authorizationUrl).toBe('https://acme.auth0.com/authorize')
    expect(legacy.issuer).toBe('https://acme.auth0.com/')
    expect(() =>
      bindConnectionParams(auth0({ ...app, legacyUsDomain: true }), { tenant: 'acme', region: 'eu' }),
    ).toThrow(/region/)
  })

  it('asks for the API named by the audience option', () => {
    expect(auth0({ ...app, audience: 'https://api.example.com' }).authorizationParams).toEqual({
      audience: 'https://api.example.com',
    })
    expect(() => auth0({ ...app, audience: 'not a url' })).toThrow(/audience/)
  })

  it.each(['evil.com/x', 'acme.auth0.com', 'acme@evil.com', 'ab', '-acme', 'acme-', 'a b', '..', 'ACME'])(
    'refuses a tenant that is not an Auth0 tenant name (%j)',
    (tenant) => {
      expect(() => bindConnectionParams(auth0(app), { tenant })).toThrow(/tenant/)
    },
  )
})
