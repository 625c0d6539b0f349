import { describe, expect, it } from 'vitest'
import { gitlab } from '../../src/providers/presets/gitlab.js'
import { startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

describe('gitlab preset', () => {
  it('connects with a two-hour token, names the account from /api/v4/user, and revokes both tokens', async () => {
    // https://docs.gitlab.com/api/oauth2/#authorization-code-with-proof-key-for-code-exchange-pkce
    const fake = await startFakeProvider({
      token: () => ({
        access_token: 'de6780bc506a0446309bd9362820ba8aed28aa506c71eedbe1c5c4f9dd350e54-CANARY',
        token_type: 'bearer',
        expires_in: 7200,
        refresh_token: '8257e65c97202ed1726cf9571600918f3bffb2544b26e00a61df9897668c33a1-CANARY',
        scope: 'read_user read_api',
        created_at: 1607635748,
      }),
      // https://docs.gitlab.com/api/users/#retrieve-the-current-user
      userInfo: () => ({
        id: 1,
        username: 'john_smith',
        email: 'john@example.com',
        name: 'John Smith',
        state: 'active',
      }),
    })
    const provider = gitlab({
      clientId: 'gl-id',
      clientSecret: 'gl-secret-CANARY',
      endpoints: { ...fake.endpoints, apiBaseUrl: fake.url },
    })
    const run = await connectThroughFake(provider, fake)

    expect(run.authorization.get('scope')).toBe('read_user read_api')
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({
      method: 'post',
      clientId: 'gl-id',
      clientSecret: 'gl-secret-CANARY',
    })
    expect(run.connection).toMatchObject({
      provider: 'gitlab',
      accountId: '1',
      accountEmail: 'john@example.com',
      grantedScopes: ['read_user', 'read_api'],
    })
    const lifetime = Date.parse(run.connection.expiresAt ?? '') - Date.now()
    expect(lifetime).toBeGreaterThan(7100_000)
    expect(lifetime).toBeLessThanOrEqual(7200_000)

    await run.app.router.connections.revoke('ana', run.connection.id)
    expect(fake.revocations.map((r) => r.form.token).sort()).toEqual([
      '8257e65c97202ed1726cf9571600918f3bffb2544b26e00a61df9897668c33a1-CANARY',
      'de6780bc506a0446309bd9362820ba8aed28aa506c71eedbe1c5c4f9dd350e54-CANARY',
    ])
    expect(clientCredentials(fake.revocations[0])).toMatchObject({ clientId: 'gl-id' })
  })

  it('points at a self-managed GitLab', () => {
    const provider = gitlab({ clientId: 'a', clientSecret: 'b', baseUrl: 'https://gitlab.example.com/' })
    expect(provider.authorizationUrl).toBe('https://gitlab.example.com/oauth/authorize')
    expect(provider.revocationUrl).toBe('https://gitlab.example.com/oauth/revoke')
    expect(provider.userInfoUrl).toBe('https://gitlab.example.com/api/v4/user')
    expect(provider.apiBaseUrl).toBe('https://gitlab.example.com/api/v4')
  })
})
