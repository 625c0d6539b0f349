import { describe, expect, it } from 'vitest'
import { box } from '../../src/providers/presets/box.js'
import { startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

describe('box preset', () => {
  it('names the account by its login, keeps the requested scopes and revokes both tokens', async () => {
    // https://developer.box.com/reference/post-oauth2-token/ (no scope in the answer)
    const fake = await startFakeProvider({
      token: () => ({
        access_token: 'c3FIOG9vSGV4VHz8QzNuSkY1c0dBb2JOWlI0N3dK-CANARY',
        expires_in: 3600,
        issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        refresh_token: 'c3FIOG9vSGV4VHz8QzNuSkY1c0dBb2JOWlI0N3dK-refresh-CANARY',
        restricted_to: [],
        token_type: 'bearer',
      }),
      // https://developer.box.com/reference/get-users-me/
      userInfo: () => ({
        id: '11446498',
        type: 'user',
        name: 'Aaron Levie',
        login: 'ceo@example.com',
        status: 'active',
      }),
    })
    const provider = box({
      clientId: 'box-id',
      clientSecret: 'box-secret-CANARY',
      endpoints: { ...fake.endpoints, apiBaseUrl: fake.url },
    })
    const run = await connectThroughFake(provider, fake)

    expect(run.authorization.get('scope')).toBe('root_readonly')
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({
      method: 'post',
      clientId: 'box-id',
      clientSecret: 'box-secret-CANARY',
    })
    expect(run.connection).toMatchObject({
      provider: 'box',
      accountId: '11446498',
      accountEmail: 'ceo@example.com',
      grantedScopes: ['root_readonly'],
    })
    const lifetime = Date.parse(run.connection.expiresAt ?? '') - Date.now()
    expect(lifetime).toBeGreaterThan(3500_000)
    expect(lifetime).toBeLessThanOrEqual(3600_000)

    // https://developer.box.com/reference/post-oauth2-revoke/ (client_id and client_secret in the body)
    await run.app.router.connections.revoke('ana', run.connection.id)
    expect(fake.revocations.map((r) => r.form.token).sort()).toEqual([
      'c3FIOG9vSGV4VHz8QzNuSkY1c0dBb2JOWlI0N3dK-CANARY',
      'c3FIOG9vSGV4VHz8QzNuSkY1c0dBb2JOWlI0N3dK-refresh-CANARY',
    ])
    expect(fake.revocations.every((r) => r.form.client_secret === 'box-secret-CANARY')).toBe(true)
  })
})
