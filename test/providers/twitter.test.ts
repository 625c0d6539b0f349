import { describe, expect, it } from 'vitest'
import { twitter } from '../../src/providers/presets/twitter.js'
import { startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

describe('twitter preset', () => {
  it('authenticates with Basic, keeps the refresh token, names the account by @username and revokes', async () => {
    // https://docs.x.com/fundamentals/authentication/oauth-2-0/user-access-token
    const fake = await startFakeProvider({
      token: () => ({
        token_type: 'bearer',
        expires_in: 7200,
        access_token: 'VGNibzFWSWREZm01bjN1N3dicWlNUG1oa2xRRVNNdmVHelJGY2hPWGxNd2dxOjE2MjIxNjA4-CANARY',
        scope: 'tweet.read users.read offline.access',
        refresh_token: 'bWRWa3gzdnk3WHRGU1o0bmRRcTJ5VUxWX1lZTDdJSUtmaWcxbTVxdEFXcW5tOjE2MjIxNDc3-CANARY',
      }),
      // https://docs.x.com/x-api/users/user-lookup-me
      userInfo: () => ({ data: { id: '2244994945', name: 'Developers', username: 'XDevelopers' } }),
    })
    const provider = twitter({
      clientId: 'x-client-id',
      clientSecret: 'x-secret-CANARY',
      endpoints: { ...fake.endpoints, apiBaseUrl: fake.url },
    })
    const run = await connectThroughFake(provider, fake)

    expect(run.authorization.get('scope')).toBe('tweet.read users.read offline.access')
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({
      method: 'basic',
      clientId: 'x-client-id',
      clientSecret: 'x-secret-CANARY',
    })
    expect(fake.tokenRequests[0]?.form.client_secret).toBeUndefined()
    expect(run.connection).toMatchObject({
      provider: 'twitter',
      accountId: '2244994945',
      accountEmail: null,
      grantedScopes: ['tweet.read', 'users.read', 'offline.access'],
      metadata: { username: 'XDevelopers', name: 'Developers' },
    })
    const lifetime = Date.parse(run.connection.expiresAt ?? '') - Date.now()
    expect(lifetime).toBeGreaterThan(7100_000)
    expect(lifetime).toBeLessThanOrEqual(7200_000)

    await run.app.router.connections.revoke('ana', run.connection.id)
    expect(fake.revocations.map((r) => r.form.token).sort()).toEqual([
      'VGNibzFWSWREZm01bjN1N3dicWlNUG1oa2xRRVNNdmVHelJGY2hPWGxNd2dxOjE2MjIxNjA4-CANARY',
      'bWRWa3gzdnk3WHRGU1o0bmRRcTJ5VUxWX1lZTDdJSUtmaWcxbTVxdEFXcW5tOjE2MjIxNDc3-CANARY',
    ])
    expect(fake.revocations.every((r) => r.basic?.clientId === 'x-client-id')).toBe(true)
  })

  it('authorizes on x.com and calls the API on api.x.com', () => {
    const provider = twitter({ clientId: 'a', clientSecret: 'b' })
    expect(provider.authorizationUrl).toBe('https://x.com/i/oauth2/authorize')
    expect(provider.tokenUrl).toBe('https://api.x.com/2/oauth2/token')
    expect(provider.revocationUrl).toBe('https://api.x.com/2/oauth2/revoke')
    expect(provider.apiBaseUrl).toBe('https://api.x.com/2')
  })
})
