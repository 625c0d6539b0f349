import { describe, expect, it } from 'vitest'
import { bindConnectionParams } from '../../src/providers/connection-params.js'
import { okta } from '../../src/providers/presets/okta.js'
import { type FakeProvider, startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

const app = { clientId: '0oa1abcdefGHIJKLmn5d7', clientSecret: 'okta-secret-CANARY' }

/** The fake's endpoints as per-org templates: `/t/<org>/token` is the token endpoint of <org>. */
const perOrg = (fake: FakeProvider) => ({
  authorizationUrl: `${fake.url}/t/{org}/authorize`,
  tokenUrl: `${fake.url}/t/{org}/token`,
  userInfoUrl: `${fake.url}/t/{org}/userinfo`,
  revocationUrl: `${fake.url}/t/{org}/revoke`,
  apiBaseUrl: `${fake.url}/t/{org}/api/v1`,
})

describe('okta preset', () => {
  it('connects to the org named at connect time, for every call: exchange, profile, API and revocation', async () => {
    // https://developer.okta.com/docs/api/openapi/okta-oauth/oauth (token and userinfo responses, read 2026-12-07)
    const fake = await startFakeProvider({
      token: () => ({
        token_type: 'Bearer',
        expires_in: 3600,
        access_token: 'eyJraWQiOiJhY21lIn0.okta-access-CANARY',
        scope: 'openid profile email offline_access',
        refresh_token: 'a9VpZDRCeFh3Nkk2VdY-CANARY',
        id_token: 'eyJraWQiOiJhY21lIn0.e30.sig-CANARY',
      }),
      userInfo: () => ({
        sub: '00uid4BxXw6I6TV4m0g3',
        name: 'John Doe',
        preferred_username: 'john.doe@example.com',
        email: 'john.doe@example.com',
        email_verified: true,
        zoneinfo: 'America/Los_Angeles',
      }),
      routes: {
        // https://developer.okta.com/docs/api/openapi/okta-management/management/tag/User/ (read 2026-12-07)
        '/api/v1/users/me': () => ({
          id: '00uid4BxXw6I6TV4m0g3',
          status: 'ACTIVE',
          profile: { login: 'john.doe@example.com' },
        }),
      },
    })
    const provider = okta({ ...app, endpoints: perOrg(fake) })
    const run = await connectThroughFake(provider, fake, { query: { org: 'acme' } })

    expect(run.authorization.get('scope')).toBe('openid profile email offline_access')
    expect(fake.tokenRequests[0]?.tenant).toBe('acme')
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({
      method: 'basic',
      clientId: app.clientId,
      clientSecret: app.clientSecret,
    })
    expect(fake.userInfoRequests[0]?.tenant).toBe('acme')
    expect(run.connection).toMatchObject({
      provider: 'okta',
      accountId: '00uid4BxXw6I6TV4m0g3',
      accountEmail: 'john.doe@example.com',
      metadata: { authorizationServer: 'org' },
    })
    const response = await run.app.router.connections.fetch('ana', 'okta', '/users/me')
    expect(await response.json()).toMatchObject({ status: 'ACTIVE' })
    expect(fake.requests.find((r) => r.path === '/api/v1/users/me')?.tenant).toBe('acme')

    await run.app.router.connections.revoke('ana', run.connection.id)
    expect(fake.revocations.map((r) => r.tenant)).toEqual(['acme', 'acme'])
  })

  it("fills the org into Okta's hosts, on the app's Okta domain and authorization server", () => {
    const org = bindConnectionParams(okta(app), { org: 'acme' })
    expect(org.authorizationUrl).toBe('https://acme.okta.com/oauth2/v1/authorize')
    expect(org.tokenUrl).toBe('https://acme.okta.com/oauth2/v1/token')
    expect(org.userInfoUrl).toBe('https://acme.okta.com/oauth2/v1/userinfo')
    expect(org.revocationUrl).toBe('https://acme.okta.com/oauth2/v1/revoke')
    expect(org.apiBaseUrl).toBe('https://acme.okta.com/api/v1')
    const custom = bindConnectionParams(
      okta({ ...app, oktaDomain: 'oktapreview.com', authorizationServerId: 'default' }),
      { org: 'dev-123456' },
    )
    expect(custom.authorizationUrl).toBe('https://dev-123456.oktapreview.com/oauth2/default/v1/authorize')
    expect(custom.tokenUrl).toBe('https://dev-123456.oktapreview.com/oauth2/default/v1/token')
    // A custom authorization server's tokens are for your APIs, not Okta's.
    expect(custom.apiBaseUrl).toBeNull()
    expect(
      bindConnectionParams(okta({ ...app, oktaDomain: 'okta-emea.com' }), { org: 'acme' }).tokenUrl,
    ).toBe('https://acme.okta-emea.com/oauth2/v1/token')
  })

  it.each(['evil.com/x', 'acme.okta.com', 'acme@evil.com', '', '-acme', 'a b', '..'])(
    'refuses an org that is not an Okta subdomain (%j)',
    (org) => {
      expect(() => bindConnectionParams(okta(app), { org })).toThrow(/org/)
    },
  )

  it('refuses an Okta domain or authorization server id it does not know', () => {
    expect(() => okta({ ...app, oktaDomain: 'evil.com' as never })).toThrow(/oktaDomain/)
    expect(() => okta({ ...app, authorizationServerId: '../admin' })).toThrow(/authorizationServerId/)
  })
})
