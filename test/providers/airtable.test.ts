import { describe, expect, it } from 'vitest'
import { airtable } from '../../src/providers/presets/airtable.js'
import { endpointsWithout, startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

describe('airtable preset', () => {
  it('sends PKCE, authenticates with Basic and names the account from whoami', async () => {
    // https://airtable.com/developers/web/api/oauth-reference#token-creation-response
    const fake = await startFakeProvider({
      token: () => ({
        access_token: 'oaaKUyAwPTu5ZnQ5c.v1.eyJ1c2VySWQiOiJ1c3IifQ-CANARY',
        refresh_token: 'oaaKUyAwPTu5ZnQ5c.v1.refresh-CANARY',
        token_type: 'Bearer',
        scope: 'data.records:read schema.bases:read user.email:read',
        expires_in: 3600,
        refresh_expires_in: 5184000,
      }),
      // https://airtable.com/developers/web/api/get-user-id-scopes
      userInfo: () => ({
        id: 'usrL2PNC5o3H4lBEi',
        email: 'foo@bar.com',
        scopes: ['data.records:read', 'schema.bases:read', 'user.email:read'],
      }),
    })
    const provider = airtable({
      clientId: 'airtable-id',
      clientSecret: 'airtable-secret-CANARY',
      endpoints: { ...endpointsWithout(fake, 'revocationUrl'), apiBaseUrl: fake.url },
    })
    const run = await connectThroughFake(provider, fake)

    expect(run.authorization.get('scope')).toBe('data.records:read schema.bases:read user.email:read')
    expect(run.authorization.get('code_challenge')?.length).toBe(43)
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({
      method: 'basic',
      clientId: 'airtable-id',
      clientSecret: 'airtable-secret-CANARY',
    })
    expect(run.connection).toMatchObject({
      provider: 'airtable',
      accountId: 'usrL2PNC5o3H4lBEi',
      accountEmail: 'foo@bar.com',
      grantedScopes: ['data.records:read', 'schema.bases:read', 'user.email:read'],
    })
    // expires_in, not refresh_expires_in, sets the expiry.
    const lifetime = Date.parse(run.connection.expiresAt ?? '') - Date.now()
    expect(lifetime).toBeGreaterThan(3500_000)
    expect(lifetime).toBeLessThanOrEqual(3600_000)
    expect(airtable({ clientId: 'a', clientSecret: 'b' }).revocationUrl).toBeNull()
  })
})
