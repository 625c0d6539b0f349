import { describe, expect, it } from 'vitest'
import { calendly } from '../../src/providers/presets/calendly.js'
import { startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

const owner = 'https://api.calendly.com/users/EBHAAFHDCAEQTSEZ'
const organization = 'https://api.calendly.com/organizations/EBHAAFHDCAEQTSEZ'

describe('calendly preset', () => {
  it('uses the user URI as account id, keeps the organization and revokes both tokens', async () => {
    // https://developer.calendly.com/api-docs/calendly-o-auth/o-auth/post-oauth-token
    const fake = await startFakeProvider({
      token: () => ({
        token_type: 'Bearer',
        access_token:
          'eyJraWQiOiIxY2UxZTEzNjE3ZGNmNzY2YjNjZWJjY2Y4ZGM1YmFmYThhNjVlNjg0MDIzZjdjMzJiZTgzNDliMjM4MDEzNWI0IiwidHlwIjoiUEFUIiwiYWxnIjoiRVMyNTYifQ-CANARY',
        refresh_token: 'b77a76ffce83d3bc20531ddfa76704e584f0ee963f6041b8bcc6c636a5d2f6e2-CANARY',
        scope: 'users:read event_types:read scheduled_events:read',
        created_at: 1548689183,
        expires_in: 7200,
        owner,
        organization,
      }),
      // https://developer.calendly.com/api-docs/calendly-api/users/get-current-user
      userInfo: () => ({
        resource: {
          uri: owner,
          name: 'John Doe',
          slug: 'acmesales',
          email: 'test@example.com',
          scheduling_url: 'https://calendly.com/acmesales',
          timezone: 'America/New York',
          current_organization: organization,
          resource_type: 'User',
        },
      }),
    })
    const provider = calendly({
      clientId: 'calendly-id',
      clientSecret: 'calendly-secret-CANARY',
      endpoints: { ...fake.endpoints, apiBaseUrl: fake.url },
    })
    const run = await connectThroughFake(provider, fake)

    expect(run.authorization.get('scope')).toBe('users:read event_types:read scheduled_events:read')
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({
      method: 'post',
      clientId: 'calendly-id',
      clientSecret: 'calendly-secret-CANARY',
    })
    expect(run.connection).toMatchObject({
      provider: 'calendly',
      accountId: owner,
      accountEmail: 'test@example.com',
      grantedScopes: ['users:read', 'event_types:read', 'scheduled_events:read'],
      metadata: { organization, schedulingUrl: 'https://calendly.com/acmesales' },
    })
    const lifetime = Date.parse(run.connection.expiresAt ?? '') - Date.now()
    expect(lifetime).toBeGreaterThan(7100_000)
    expect(lifetime).toBeLessThanOrEqual(7200_000)

    // https://developer.calendly.com/api-docs/calendly-o-auth/o-auth/post-oauth-revoke
    await run.app.router.connections.revoke('ana', run.connection.id)
    expect(fake.revocations.map((r) => r.form.token).sort()).toEqual([
      'b77a76ffce83d3bc20531ddfa76704e584f0ee963f6041b8bcc6c636a5d2f6e2-CANARY',
      'eyJraWQiOiIxY2UxZTEzNjE3ZGNmNzY2YjNjZWJjY2Y4ZGM1YmFmYThhNjVlNjg0MDIzZjdjMzJiZTgzNDliMjM4MDEzNWI0IiwidHlwIjoiUEFUIiwiYWxnIjoiRVMyNTYifQ-CANARY',
    ])
  })
})
