import { describe, expect, it } from 'vitest'
import { createTokenEndpoint } from '../../src/oauth/token-client.js'
import { monday } from '../../src/providers/presets/monday.js'
import { type FakeRequest, startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

describe('monday preset', () => {
  it('reads the user and account with a GraphQL `me` query, installs on the way, and keeps the refresh token', async () => {
    const graphql: FakeRequest[] = []
    // OAuth 2.1 token response: https://developer.monday.com/apps/docs/oauth-2-1 (read 2026-12-07)
    const fake = await startFakeProvider({
      token: () => ({
        access_token: 'eyJhbGciOiJIUzI1NiJ9.monday-CANARY',
        token_type: 'Bearer',
        expires_in: 3600,
        refresh_token: 'mnd_rt_8c1f2e-CANARY',
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
    // An admin whose account has not installed the app is taken through the installation.
    expect(run.authorization.get('force_install_if_needed')).toBe('true')
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
      metadata: { mondayAccountId: '1825528', mondayAccountName: 'Acme', mondayAccountSlug: 'acme' },
    })
    // OAuth 2.1 tokens expire: the connection knows when.
    const lifetime = Date.parse(run.connection.expiresAt ?? '') - Date.now()
    expect(lifetime).toBeGreaterThan(3500_000)
    expect(lifetime).toBeLessThanOrEqual(3600_000)
  })

  it('exchanges codes at the OAuth 2.1 token endpoint', () => {
    const provider = monday({ clientId: 'a', clientSecret: 'b' })
    expect(provider.tokenUrl).toBe('https://auth.monday.com/oauth_ms/oauth/token')
    expect(provider.authorizationUrl).toBe('https://auth.monday.com/oauth2/authorize')
    expect(provider.authorizationParams).toEqual({ force_install_if_needed: 'true' })
  })

  it('refreshes an OAuth 2.1 access token at the token endpoint with the refresh token', async () => {
    const fake = await startFakeProvider({
      token: () => ({
        access_token: 'eyJhbGciOiJIUzI1NiJ9.monday-new-CANARY',
        token_type: 'Bearer',
        expires_in: 3600,
        refresh_token: 'mnd_rt_9d2a3f-CANARY',
      }),
    })
    const provider = monday({
      clientId: 'monday-id',
      clientSecret: 'monday-secret-CANARY',
      endpoints: { tokenUrl: fake.endpoints.tokenUrl },
    })
    const tokens = await createTokenEndpoint(2000).refresh(provider, 'mnd_rt_8c1f2e-CANARY')
    expect(tokens).toMatchObject({ access_token: 'eyJhbGciOiJIUzI1NiJ9.monday-new-CANARY', expires_in: 3600 })
    expect(fake.tokenRequests[0]?.form).toMatchObject({
      grant_type: 'refresh_token',
      refresh_token: 'mnd_rt_8c1f2e-CANARY',
      client_id: 'monday-id',
      client_secret: 'monday-secret-CANARY',
    })
  })
})
