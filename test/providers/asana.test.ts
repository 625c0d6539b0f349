import { describe, expect, it } from 'vitest'
import { asana } from '../../src/providers/presets/asana.js'
import { startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

describe('asana preset', () => {
  it('names the account from the token response data without a profile request, and revokes', async () => {
    // https://developers.asana.com/docs/oauth#token-exchange-endpoint
    const fake = await startFakeProvider({
      token: () => ({
        access_token: 'f6ds7fdsa69ags7ag9sd5a-CANARY',
        expires_in: 3600,
        token_type: 'bearer',
        data: { id: 4673218951, gid: '4673218951', name: 'Greg Sanchez', email: 'gsanchez@example.com' },
        refresh_token: 'hjkl325hjkl4325hj4kl32fjds-CANARY',
      }),
    })
    const { userInfoUrl: _none, ...endpoints } = fake.endpoints
    const provider = asana({
      clientId: '1201234567890',
      clientSecret: 'asana-secret-CANARY',
      endpoints: { ...endpoints, apiBaseUrl: fake.url },
    })
    const run = await connectThroughFake(provider, fake)

    expect(run.authorization.get('scope')).toBe('users:read workspaces:read projects:read tasks:read')
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({
      method: 'post',
      clientId: '1201234567890',
      clientSecret: 'asana-secret-CANARY',
    })
    expect(provider.userInfoUrl).toBeNull()
    expect(run.connection).toMatchObject({
      provider: 'asana',
      accountId: '4673218951',
      accountEmail: 'gsanchez@example.com',
      // No scope in the answer: the requested ones.
      grantedScopes: ['users:read', 'workspaces:read', 'projects:read', 'tasks:read'],
    })
    const lifetime = Date.parse(run.connection.expiresAt ?? '') - Date.now()
    expect(lifetime).toBeGreaterThan(3500_000)
    expect(lifetime).toBeLessThanOrEqual(3600_000)

    // https://developers.asana.com/docs/oauth#token-deauthorization-endpoint
    await run.app.router.connections.revoke('ana', run.connection.id)
    expect(fake.revocations.map((r) => r.form.token).sort()).toEqual([
      'f6ds7fdsa69ags7ag9sd5a-CANARY',
      'hjkl325hjkl4325hj4kl32fjds-CANARY',
    ])
  })

  it('asks a Full permissions app for `default`, and a granular one for its scopes', async () => {
    const fake = await startFakeProvider({
      token: () => ({
        access_token: 'f6ds7fdsa69ags7ag9sd5b-CANARY',
        expires_in: 3600,
        token_type: 'bearer',
        data: { gid: '4673218951', name: 'Greg Sanchez', email: 'gsanchez@example.com' },
        refresh_token: 'hjkl325hjkl4325hj4kl32fjdt-CANARY',
      }),
    })
    const { userInfoUrl: _none, ...endpoints } = fake.endpoints
    const full = asana({
      clientId: '1201234567890',
      clientSecret: 'asana-secret-CANARY',
      permissions: 'full',
      endpoints,
    })
    const run = await connectThroughFake(full, fake)
    // https://developers.asana.com/docs/oauth-scopes: Full permissions apps refuse granular scopes.
    expect(run.authorization.get('scope')).toBe('default')
    expect(run.connection.accountId).toBe('4673218951')

    expect(asana({ clientId: 'a', clientSecret: 'b', permissions: 'granular' }).scopes).toEqual([
      'users:read',
      'workspaces:read',
      'projects:read',
      'tasks:read',
    ])
    expect(
      asana({ clientId: 'a', clientSecret: 'b', permissions: 'full', scopes: ['tasks:read'] }).scopes,
    ).toEqual(['tasks:read'])
    expect(() => asana({ clientId: 'a', clientSecret: 'b', permissions: 'all' as never })).toThrow(
      /granular' or 'full/,
    )
  })
})
