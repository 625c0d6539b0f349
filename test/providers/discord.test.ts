import { describe, expect, it } from 'vitest'
import { discord } from '../../src/providers/presets/discord.js'
import { startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

describe('discord preset', () => {
  it('asks for identify and email, names the account from /users/@me and revokes both tokens', async () => {
    // https://discord.com/developers/docs/topics/oauth2#authorization-code-grant-access-token-response
    const fake = await startFakeProvider({
      token: () => ({
        access_token: '6qrZcUqja7812RVdnEKjpzOL4CvHBFG-CANARY',
        token_type: 'Bearer',
        expires_in: 604800,
        refresh_token: 'D43f5y0ahjqew82jZ4NViEr2YafMKhue-CANARY',
        scope: 'identify email',
      }),
      // https://discord.com/developers/docs/resources/user#user-object
      userInfo: () => ({
        id: '80351110224678912',
        username: 'nelly',
        discriminator: '0',
        global_name: 'Nelly',
        avatar: '8342729096ea3675442027381ff50dfe',
        verified: true,
        email: 'nelly@discord.com',
      }),
    })
    const provider = discord({
      clientId: '157730590492196864',
      clientSecret: 'discord-secret-CANARY',
      endpoints: { ...fake.endpoints, apiBaseUrl: fake.url },
    })
    const run = await connectThroughFake(provider, fake)

    expect(run.authorization.get('scope')).toBe('identify email')
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({
      method: 'post',
      clientId: '157730590492196864',
      clientSecret: 'discord-secret-CANARY',
    })
    expect(run.connection).toMatchObject({
      provider: 'discord',
      accountId: '80351110224678912',
      accountEmail: 'nelly@discord.com',
      grantedScopes: ['identify', 'email'],
      metadata: { username: 'nelly' },
    })
    const lifetime = Date.parse(run.connection.expiresAt ?? '') - Date.now()
    expect(lifetime).toBeGreaterThan(604700_000)
    expect(lifetime).toBeLessThanOrEqual(604800_000)

    // https://discord.com/developers/docs/topics/oauth2#authorization-code-grant-token-revocation-example
    await run.app.router.connections.revoke('ana', run.connection.id)
    expect(fake.revocations.map((r) => [r.form.token, r.form.token_type_hint]).sort()).toEqual([
      ['6qrZcUqja7812RVdnEKjpzOL4CvHBFG-CANARY', 'access_token'],
      ['D43f5y0ahjqew82jZ4NViEr2YafMKhue-CANARY', 'refresh_token'],
    ])
  })
})
