import { describe, expect, it } from 'vitest'
import { twitch } from '../../src/providers/presets/twitch.js'
import { startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

describe('twitch preset', () => {
  it('sends Client-Id to Helix, reads the array of scopes, and revokes at Twitch', async () => {
    // https://dev.twitch.tv/docs/authentication/getting-tokens-oauth/#authorization-code-grant-flow
    const fake = await startFakeProvider({
      token: () => ({
        access_token: 'rfx2uswqe8l4g1mkagrvg5tv0ks3-CANARY',
        expires_in: 14124,
        refresh_token: '5b93chm6hdve3mycz05zfzatkfdenfspp1h1ar2xxdalen01-CANARY',
        scope: ['user:read:email'],
        token_type: 'bearer',
      }),
      // https://dev.twitch.tv/docs/api/reference/#get-users
      userInfo: () => ({
        data: [
          {
            id: '141981764',
            login: 'twitchdev',
            display_name: 'TwitchDev',
            type: '',
            broadcaster_type: 'partner',
            email: 'not-real@email.com',
            created_at: '2016-12-14T20:32:28Z',
          },
        ],
      }),
      routes: { '/channels': () => ({ data: [] }) },
    })
    const provider = twitch({
      clientId: 'hof5gwx0su6owfnys0yan9c87zr6t',
      clientSecret: 'twitch-secret-CANARY',
      endpoints: { ...fake.endpoints, apiBaseUrl: fake.url },
    })
    const run = await connectThroughFake(provider, fake)

    expect(run.authorization.get('scope')).toBe('user:read:email')
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({
      method: 'post',
      clientId: 'hof5gwx0su6owfnys0yan9c87zr6t',
      clientSecret: 'twitch-secret-CANARY',
    })
    expect(fake.userInfoRequests[0]?.headers['client-id']).toBe('hof5gwx0su6owfnys0yan9c87zr6t')
    expect(run.connection).toMatchObject({
      provider: 'twitch',
      accountId: '141981764',
      accountEmail: 'not-real@email.com',
      grantedScopes: ['user:read:email'],
      metadata: { login: 'twitchdev' },
    })
    const lifetime = Date.parse(run.connection.expiresAt ?? '') - Date.now()
    expect(lifetime).toBeGreaterThan(14000_000)
    expect(lifetime).toBeLessThanOrEqual(14124_000)

    await run.app.router.connections.fetch('ana', run.connection.id, '/channels?broadcaster_id=141981764')
    const call = fake.requests.find((r) => r.path === '/channels')
    expect(call?.headers['client-id']).toBe('hof5gwx0su6owfnys0yan9c87zr6t')

    await run.app.router.connections.revoke('ana', run.connection.id)
    expect(fake.revocations.map((r) => r.form.token).sort()).toEqual([
      '5b93chm6hdve3mycz05zfzatkfdenfspp1h1ar2xxdalen01-CANARY',
      'rfx2uswqe8l4g1mkagrvg5tv0ks3-CANARY',
    ])
    expect(fake.revocations.every((r) => r.form.client_id === 'hof5gwx0su6owfnys0yan9c87zr6t')).toBe(true)
  })
})
