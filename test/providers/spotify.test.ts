import { describe, expect, it } from 'vitest'
import { spotify } from '../../src/providers/presets/spotify.js'
import { endpointsWithout, startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

describe('spotify preset', () => {
  it('authenticates with Basic, names the account from /v1/me and has nothing to revoke at Spotify', async () => {
    // https://developer.spotify.com/documentation/web-api/tutorials/code-flow#request-access-token
    const fake = await startFakeProvider({
      token: () => ({
        access_token: 'NgCXRK...MzYjw-CANARY',
        token_type: 'Bearer',
        scope: 'user-read-email user-read-private',
        expires_in: 3600,
        refresh_token: 'NgAagA...Um_SHo-CANARY',
      }),
      // https://developer.spotify.com/documentation/web-api/reference/get-current-users-profile
      // account_id: https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids
      userInfo: () => ({
        account_id: 'aB3dE5fG7h',
        country: 'SE',
        display_name: 'JM Wizzler',
        email: 'email@example.com',
        id: 'wizzler',
        product: 'premium',
        type: 'user',
        uri: 'spotify:user:wizzler',
      }),
    })
    const provider = spotify({
      clientId: 'spotify-id',
      clientSecret: 'spotify-secret-CANARY',
      endpoints: { ...endpointsWithout(fake, 'revocationUrl'), apiBaseUrl: fake.url },
    })
    const run = await connectThroughFake(provider, fake)

    expect(run.authorization.get('scope')).toBe('user-read-email user-read-private')
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({
      method: 'basic',
      clientId: 'spotify-id',
      clientSecret: 'spotify-secret-CANARY',
    })
    expect(run.connection).toMatchObject({
      provider: 'spotify',
      // The immutable account id, not the user id (which can change).
      accountId: 'aB3dE5fG7h',
      accountEmail: 'email@example.com',
      grantedScopes: ['user-read-email', 'user-read-private'],
    })
    const lifetime = Date.parse(run.connection.expiresAt ?? '') - Date.now()
    expect(lifetime).toBeGreaterThan(3500_000)
    expect(lifetime).toBeLessThanOrEqual(3600_000)

    expect(spotify({ clientId: 'a', clientSecret: 'b' }).revocationUrl).toBeNull()
    await run.app.router.connections.revoke('ana', run.connection.id)
    expect(fake.revocations).toHaveLength(0)
  })

  it('falls back to the user id when a profile has no account_id', () => {
    const provider = spotify({ clientId: 'a', clientSecret: 'b' })
    expect(provider.profile({ id: 'wizzler', display_name: 'JM' }, {}).accountId).toBe('wizzler')
    expect(provider.profile({ id: 'wizzler', account_id: 'aB3dE5fG7h' }, {}).accountId).toBe('aB3dE5fG7h')
  })
})
