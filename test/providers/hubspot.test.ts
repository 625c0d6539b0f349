import { describe, expect, it } from 'vitest'
import { hubspot } from '../../src/providers/presets/hubspot.js'
import { startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

const accessToken = 'CJSP5qf1KhICAQEYs-gDIIGOBii1hQIyGQAf3xBKmlwHjX7OIpuIFEavB2-qYAGQsF4-CANARY'

describe('hubspot preset', () => {
  it('connects with space-separated scopes and names the hub and user from the access-token lookup', async () => {
    // https://developers.hubspot.com/docs/api/oauth-quickstart-guide#get-oauth-2.0-access-and-refresh-tokens
    const fake = await startFakeProvider({
      token: () => ({
        token_type: 'bearer',
        refresh_token: '6f18f21e-a743-4509-b7fd-1a5e632fffa1-CANARY',
        access_token: accessToken,
        expires_in: 1800,
      }),
      routes: {
        // https://developers.hubspot.com/docs/api/oauth/tokens (GET /oauth/v1/access-tokens/:token)
        [`/oauth/v1/access-tokens/${accessToken}`]: () => ({
          token: accessToken,
          user: 'test@hubspot.com',
          hub_domain: 'demo.hubapi.com',
          scopes: ['oauth', 'crm.objects.contacts.read'],
          hub_id: 62515,
          app_id: 456,
          expires_in: 1754,
          user_id: 123,
          token_type: 'access',
        }),
      },
    })
    const provider = hubspot({
      clientId: 'hs-id',
      clientSecret: 'hs-secret-CANARY',
      endpoints: {
        authorizationUrl: fake.endpoints.authorizationUrl,
        tokenUrl: fake.endpoints.tokenUrl,
        apiBaseUrl: fake.url,
      },
    })
    const run = await connectThroughFake(provider, fake)

    expect(run.authorization.get('scope')).toBe('oauth crm.objects.contacts.read')
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({
      method: 'post',
      clientId: 'hs-id',
      clientSecret: 'hs-secret-CANARY',
    })
    expect(run.connection).toMatchObject({
      provider: 'hubspot',
      accountId: '62515:123',
      accountEmail: 'test@hubspot.com',
      // HubSpot's token response has no scope: the requested ones are recorded.
      grantedScopes: ['oauth', 'crm.objects.contacts.read'],
      metadata: { hubId: '62515', hubDomain: 'demo.hubapi.com', userId: '123' },
    })
    const lifetime = Date.parse(run.connection.expiresAt ?? '') - Date.now()
    expect(lifetime).toBeGreaterThan(1700_000)
    expect(lifetime).toBeLessThanOrEqual(1800_000)

    expect(provider.revocationUrl).toBeNull()
    await run.app.router.connections.revoke('ana', run.connection.id)
    expect(fake.revocations).toHaveLength(0)
  })
})
