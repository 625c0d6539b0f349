import { describe, expect, it } from 'vitest'
import { monday } from '../../src/providers/presets/monday.js'
import { type FakeRequest, startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

describe('monday preset', () => {
  it('reads the user and account with a GraphQL `me` query after the exchange', async () => {
    const graphql: FakeRequest[] = []
    // https://developer.monday.com/apps/docs/oauth#token-request
    const fake = await startFakeProvider({
      token: () => ({
        access_token: 'eyJhbGciOiJIUzI1NiJ9.monday-CANARY',
        token_type: 'Bearer',
        scope: 'me:read boards:read',
      }),
      routes: {
        // https://developer.monday.com/api-reference/reference/me
        '/v2': (request) => {
          graphql.push(request)
          return {
            data: {
              me: {
                id: '4012689',
                email: 'ana@acme.com',
                name: 'Ana',
                account: { id: '1825528', name: 'Acme', slug: 'acme' },
              },
            },
            account_id: 1825528,
          }
        },
      },
    })
    const provider = monday({
      clientId: 'monday-id',
      clientSecret: 'monday-secret-CANARY',
      // No profile (nor revocation) endpoint: only the authorization and token URLs are pointed at the fake.
      endpoints: {
        authorizationUrl: fake.endpoints.authorizationUrl,
        tokenUrl: fake.endpoints.tokenUrl,
        apiBaseUrl: `${fake.url}/v2`,
      },
    })
    const run = await connectThroughFake(provider, fake)

    expect(run.authorization.get('scope')).toBe('me:read boards:read')
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({
      method: 'post',
      clientId: 'monday-id',
      clientSecret: 'monday-secret-CANARY',
    })
    expect(graphql).toHaveLength(1)
    expect(graphql[0]?.method).toBe('POST')
    expect(graphql[0]?.headers.authorization).toBe('Bearer eyJhbGciOiJIUzI1NiJ9.monday-CANARY')
    expect(graphql[0]?.form.query).toContain('me { id email name account')
    expect(fake.userInfoRequests).toHaveLength(0)
    expect(run.connection).toMatchObject({
      provider: 'monday',
      accountId: '4012689',
      accountEmail: 'ana@acme.com',
      grantedScopes: ['me:read', 'boards:read'],
      expiresAt: null,
      metadata: { mondayAccountId: '1825528', mondayAccountName: 'Acme', mondayAccountSlug: 'acme' },
    })
  })
})
