import { describe, expect, it } from 'vitest'
import { linear } from '../../src/providers/presets/linear.js'
import { startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

describe('linear preset', () => {
  it('asks comma-separated scopes, reads the viewer over GraphQL, and revokes at Linear', async () => {
    // https://linear.app/developers/oauth-2-0-authentication#response
    const fake = await startFakeProvider({
      token: () => ({
        access_token: '00a21d8b0c4e2375114e49c067dfb81eb0d2076f48354714cd5df984d87b67cc-CANARY',
        token_type: 'Bearer',
        expires_in: 86399,
        refresh_token: 'lin_rt_5c1d2b0e-CANARY',
        scope: ['read', 'write'],
      }),
      routes: {
        '/graphql': (request) =>
          request.method === 'POST' && request.form.query?.includes('viewer')
            ? {
                data: {
                  viewer: { id: '2b7f9a1e-4c3d-4e5f-8a9b-0c1d2e3f4a5b', email: 'ana@acme.com', name: 'Ana' },
                  organization: { id: 'f1e2d3c4', name: 'Acme', urlKey: 'acme' },
                },
              }
            : { status: 400, body: { errors: [{ message: 'bad query' }] } },
      },
    })
    const provider = linear({
      clientId: 'lin-id',
      clientSecret: 'lin-secret-CANARY',
      scopes: ['read', 'write'],
      actor: 'app',
      endpoints: {
        authorizationUrl: fake.endpoints.authorizationUrl,
        tokenUrl: fake.endpoints.tokenUrl,
        revocationUrl: fake.endpoints.revocationUrl,
        apiBaseUrl: fake.url,
      },
    })
    const run = await connectThroughFake(provider, fake)

    expect(run.authorization.get('scope')).toBe('read,write')
    expect(run.authorization.get('actor')).toBe('app')
    // The consent screen every time, so a user can add a second workspace.
    expect(run.authorization.get('prompt')).toBe('consent')
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({
      method: 'post',
      clientId: 'lin-id',
      clientSecret: 'lin-secret-CANARY',
    })
    const lookup = fake.requests.find((r) => r.path === '/graphql')
    expect(lookup?.headers.authorization).toBe(
      'Bearer 00a21d8b0c4e2375114e49c067dfb81eb0d2076f48354714cd5df984d87b67cc-CANARY',
    )
    expect(run.connection).toMatchObject({
      provider: 'linear',
      accountId: '2b7f9a1e-4c3d-4e5f-8a9b-0c1d2e3f4a5b',
      accountEmail: 'ana@acme.com',
      grantedScopes: ['read', 'write'],
      metadata: { organizationId: 'f1e2d3c4', organizationName: 'Acme', urlKey: 'acme' },
    })
    const lifetime = Date.parse(run.connection.expiresAt ?? '') - Date.now()
    expect(lifetime).toBeGreaterThan(86300_000)
    expect(lifetime).toBeLessThanOrEqual(86399_000)

    // Linear takes the token as a Bearer header, not RFC 7009's token= form field.
    await run.app.router.connections.revoke('ana', run.connection.id)
    expect(fake.revocations).toHaveLength(1)
    expect(fake.revocations[0]?.headers.authorization).toBe(
      'Bearer 00a21d8b0c4e2375114e49c067dfb81eb0d2076f48354714cd5df984d87b67cc-CANARY',
    )
    expect(fake.revocations[0]?.form).toEqual({})
  })

  it('defaults to read, as the user, with the consent screen, against api.linear.app', () => {
    const provider = linear({ clientId: 'a', clientSecret: 'b' })
    expect(provider.scopes).toEqual(['read'])
    expect(provider.authorizationParams).toEqual({ prompt: 'consent' })
    expect(provider.apiBaseUrl).toBe('https://api.linear.app')
  })
})
