import { describe, expect, it } from 'vitest'
import { hubspot } from '../../src/providers/presets/hubspot.js'
import { endpointsWithout, type FakeRequest, startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

const accessToken = 'CJSP5qf1KhICAQEYs-gDIIGOBii1hQIyGQAf3xBKmlwHjX7OIpuIFEavB2-qYAGQsF4-CANARY'

describe('hubspot preset', () => {
  it('connects with space-separated scopes and names the hub and user from token introspection, and revokes at HubSpot', async () => {
    // https://developers.hubspot.com/docs/api-reference/2026-03/authentication/oauth-tokens/refresh-oauth-token
    const introspections: FakeRequest[] = []
    const fake = await startFakeProvider({
      token: () => ({
        token_type: 'bearer',
        refresh_token: '6f18f21e-a743-4509-b7fd-1a5e632fffa1-CANARY',
        access_token: accessToken,
        expires_in: 1800,
      }),
      routes: {
        // https://developers.hubspot.com/docs/api-reference/2026-03/authentication/oauth-tokens/token-introspect
        // (read 2026-12-07): POST with the client's credentials and the token in the form.
        '/token/introspect': (request) => {
          introspections.push(request)
          return {
            active: true,
            token: accessToken,
            user: 'test@hubspot.com',
            hub_domain: 'demo.hubapi.com',
            scopes: ['oauth', 'crm.objects.contacts.read'],
            hub_id: 62515,
            app_id: 456,
            expires_in: 1754,
            user_id: 123,
            token_type: 'access',
          }
        },
      },
    })
    const provider = hubspot({
      clientId: 'hs-id',
      clientSecret: 'hs-secret-CANARY',
      endpoints: { ...endpointsWithout(fake, 'userInfoUrl'), apiBaseUrl: fake.url },
    })
    const run = await connectThroughFake(provider, fake)

    expect(run.authorization.get('scope')).toBe('oauth crm.objects.contacts.read')
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({
      method: 'post',
      clientId: 'hs-id',
      clientSecret: 'hs-secret-CANARY',
    })
    expect(introspections).toHaveLength(1)
    expect(introspections[0]?.method).toBe('POST')
    expect(introspections[0]?.form).toMatchObject({
      client_id: 'hs-id',
      client_secret: 'hs-secret-CANARY',
      token: accessToken,
      token_type_hint: 'access_token',
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

    // The dated API has an RFC 7009 revocation endpoint.
    await run.app.router.connections.revoke('ana', run.connection.id)
    expect(fake.revocations.map((r) => r.form.token).sort()).toEqual([
      '6f18f21e-a743-4509-b7fd-1a5e632fffa1-CANARY',
      accessToken,
    ])
  })

  it('uses the dated OAuth endpoints, not /oauth/v1 (off on 2027-02-16)', () => {
    const provider = hubspot({ clientId: 'a', clientSecret: 'b' })
    expect(provider.tokenUrl).toBe('https://api.hubapi.com/oauth/2026-03/token')
    expect(provider.revocationUrl).toBe('https://api.hubapi.com/oauth/2026-03/token/revoke')
  })

  it('reads the camelCase token response of the dated endpoint', () => {
    const provider = hubspot({ clientId: 'a', clientSecret: 'b' })
    expect(
      provider.parseTokenResponse({
        accessToken: 'at-CANARY',
        refreshToken: 'rt-CANARY',
        expiresIn: 1800,
        tokenType: 'bearer',
      }),
    ).toMatchObject({
      access_token: 'at-CANARY',
      refresh_token: 'rt-CANARY',
      expires_in: 1800,
      token_type: 'bearer',
    })
  })

  it('names the hub and user from the camelCase token response of the dated endpoint', async () => {
    // https://developers.hubspot.com/docs/api-reference/2026-03/authentication/oauth-tokens/refresh-oauth-token
    // (read 2026-12-07): accessToken, expiresIn, hubId, scopes, tokenType, userId.
    const fake = await startFakeProvider({
      token: () => ({
        accessToken,
        refreshToken: '7a29e31f-b854-4610-c8ae-2b6f743aaab2-CANARY',
        expiresIn: 1800,
        tokenType: 'bearer',
        hubId: 62515,
        userId: 123,
        scopes: ['oauth', 'crm.objects.contacts.read'],
      }),
      routes: { '/token/introspect': () => ({ active: true }) },
    })
    const provider = hubspot({
      clientId: 'hs-id',
      clientSecret: 'hs-secret-CANARY',
      endpoints: { ...endpointsWithout(fake, 'userInfoUrl'), apiBaseUrl: fake.url },
    })
    const run = await connectThroughFake(provider, fake)
    expect(run.connection).toMatchObject({
      accountId: '62515:123',
      accountEmail: null,
      metadata: { hubId: '62515', userId: '123' },
    })
    const lifetime = Date.parse(run.connection.expiresAt ?? '') - Date.now()
    expect(lifetime).toBeGreaterThan(1700_000)
    expect(lifetime).toBeLessThanOrEqual(1800_000)
  })
})
