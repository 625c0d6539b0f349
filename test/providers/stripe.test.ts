import { describe, expect, it } from 'vitest'
import { stripe } from '../../src/providers/presets/stripe.js'
import { startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

describe('stripe preset', () => {
  it('names the connected account from the token response and never calls a revocation endpoint', async () => {
    // https://docs.stripe.com/connect/oauth-reference#post-token-response
    const fake = await startFakeProvider({
      token: () => ({
        access_token: 'sk_test_51ConnectedAccountKey-CANARY',
        livemode: false,
        refresh_token: 'rt_H9g3ConnectedRefresh-CANARY',
        token_type: 'bearer',
        stripe_publishable_key: 'pk_test_51ConnectedPublishable',
        stripe_user_id: 'acct_1032D82eZvKYlo2C',
        scope: 'read_write',
      }),
    })
    const provider = stripe({
      clientId: 'ca_32D88BD1qLklliziD7gYQvctJIhWBSQ7',
      clientSecret: 'sk_test_platformSecret-CANARY',
      // No profile (nor revocation) endpoint: only the authorization and token URLs are pointed at the fake.
      endpoints: {
        authorizationUrl: fake.endpoints.authorizationUrl,
        tokenUrl: fake.endpoints.tokenUrl,
        apiBaseUrl: fake.url,
      },
    })
    const run = await connectThroughFake(provider, fake)

    expect(run.authorization.get('scope')).toBe('read_write')
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({
      method: 'post',
      clientId: 'ca_32D88BD1qLklliziD7gYQvctJIhWBSQ7',
      clientSecret: 'sk_test_platformSecret-CANARY',
    })
    expect(fake.userInfoRequests).toHaveLength(0)
    expect(run.connection).toMatchObject({
      provider: 'stripe',
      accountId: 'acct_1032D82eZvKYlo2C',
      accountEmail: null,
      grantedScopes: ['read_write'],
      expiresAt: null,
      metadata: {
        stripeUserId: 'acct_1032D82eZvKYlo2C',
        livemode: false,
        publishableKey: 'pk_test_51ConnectedPublishable',
      },
    })

    await run.app.router.connections.revoke('ana', run.connection.id)
    expect(fake.revocations).toHaveLength(0)
    expect(provider.revocationUrl).toBeNull()
  })
})
