import { describe, expect, it } from 'vitest'
import { zoom } from '../../src/providers/presets/zoom.js'
import { startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

describe('zoom preset', () => {
  it('authenticates with Basic, names the account from /users/me and revokes with Basic', async () => {
    // https://developers.zoom.us/docs/integrations/oauth/#step-2-request-access-token
    const fake = await startFakeProvider({
      token: () => ({
        access_token: 'eyJzdiI6IjAwMDAwMSIsImFsZyI6IkhTNTEyIn0.zoom-CANARY',
        token_type: 'bearer',
        refresh_token: 'eyJzdiI6IjAwMDAwMSIsImFsZyI6IkhTNTEyIn0.refresh-CANARY',
        expires_in: 3599,
        scope: 'user:read:user meeting:read:list_meetings',
        api_url: 'https://api.zoom.us',
      }),
      // https://developers.zoom.us/docs/api/users/#tag/users/GET/users/{userId}
      userInfo: () => ({
        id: 'KDcuGIm1QgePTO8WbOqwIQ',
        first_name: 'Jill',
        last_name: 'Chill',
        display_name: 'Jill Chill',
        email: 'jchill@example.com',
        type: 1,
        account_id: 'q6gBJVO5TzexKYTb_I2rpg',
      }),
    })
    const provider = zoom({
      clientId: 'zoom-id',
      clientSecret: 'zoom-secret-CANARY',
      endpoints: { ...fake.endpoints, apiBaseUrl: fake.url },
    })
    const run = await connectThroughFake(provider, fake)

    // The scopes are the app's, set in the Marketplace.
    expect(run.authorization.get('scope') ?? '').toBe('')
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({
      method: 'basic',
      clientId: 'zoom-id',
      clientSecret: 'zoom-secret-CANARY',
    })
    expect(fake.tokenRequests[0]?.form.client_secret).toBeUndefined()
    expect(run.connection).toMatchObject({
      provider: 'zoom',
      accountId: 'KDcuGIm1QgePTO8WbOqwIQ',
      accountEmail: 'jchill@example.com',
      grantedScopes: ['user:read:user', 'meeting:read:list_meetings'],
      metadata: { zoomAccountId: 'q6gBJVO5TzexKYTb_I2rpg' },
    })
    const lifetime = Date.parse(run.connection.expiresAt ?? '') - Date.now()
    expect(lifetime).toBeGreaterThan(3500_000)
    expect(lifetime).toBeLessThanOrEqual(3599_000)

    await run.app.router.connections.revoke('ana', run.connection.id)
    expect(fake.revocations.map((r) => r.form.token).sort()).toEqual([
      'eyJzdiI6IjAwMDAwMSIsImFsZyI6IkhTNTEyIn0.refresh-CANARY',
      'eyJzdiI6IjAwMDAwMSIsImFsZyI6IkhTNTEyIn0.zoom-CANARY',
    ])
    expect(fake.revocations.every((r) => r.basic?.clientId === 'zoom-id')).toBe(true)
  })
})
