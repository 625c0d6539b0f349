import { describe, expect, it } from 'vitest'
import { linkedin } from '../../src/providers/presets/linkedin.js'
import { endpointsWithout, startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

describe('linkedin preset', () => {
  it('signs in with OpenID Connect, names the account from userinfo and sends the version headers', async () => {
    // https://learn.microsoft.com/en-us/linkedin/consumer/integrations/self-serve/sign-in-with-linkedin-v2 (read 2026-12-07)
    const fake = await startFakeProvider({
      token: () => ({
        access_token: 'AQUXEw1Rl-kF6Tq6lG2uVwmD3wXxq0hZ9o2Nu8tN-CANARY',
        expires_in: 5183999,
        scope: 'email,openid,profile',
        token_type: 'Bearer',
        id_token: 'eyJ6aXAiOiJERUYiLCJhbGciOiJSUzI1NiJ9.linkedin-id-token.signature',
      }),
      userInfo: () => ({
        sub: '782bbtaQ',
        name: 'Ana Silva',
        given_name: 'Ana',
        family_name: 'Silva',
        picture: 'https://media.licdn.com/dms/image/C4D03AQ/profile.jpg',
        locale: { country: 'PT', language: 'pt' },
        email: 'ana@acme.com',
        email_verified: true,
      }),
      routes: { '/rest/posts': () => ({ elements: [] }) },
    })
    const provider = linkedin({
      clientId: '86yoursclientid',
      clientSecret: 'linkedin-secret-CANARY',
      apiVersion: '202611',
      endpoints: { ...endpointsWithout(fake, 'revocationUrl'), apiBaseUrl: fake.url },
    })
    const run = await connectThroughFake(provider, fake)

    expect(run.authorization.get('scope')).toBe('openid profile email')
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({
      method: 'post',
      clientId: '86yoursclientid',
      clientSecret: 'linkedin-secret-CANARY',
    })
    expect(run.connection).toMatchObject({
      provider: 'linkedin',
      accountId: '782bbtaQ',
      accountEmail: 'ana@acme.com',
      grantedScopes: ['email', 'openid', 'profile'],
    })
    const lifetime = Date.parse(run.connection.expiresAt ?? '') - Date.now()
    expect(lifetime).toBeGreaterThan(5180000_000)

    const response = await run.app.router.connections.fetch('ana', 'linkedin', '/rest/posts')
    expect(response.status).toBe(200)
    const call = fake.requests.find((r) => r.path === '/rest/posts')
    expect(call?.headers['linkedin-version']).toBe('202611')
    expect(call?.headers['x-restli-protocol-version']).toBe('2.0.0')
  })

  it('refreshes when LinkedIn granted a refresh token (approved partners)', async () => {
    // https://learn.microsoft.com/en-us/linkedin/shared/authentication/programmatic-refresh-tokens (read 2026-12-07)
    const fake = await startFakeProvider({
      token: (request) =>
        request.form.grant_type === 'refresh_token'
          ? {
              access_token: 'AQX-refreshed-CANARY',
              expires_in: 5183999,
              refresh_token: 'AQW-refresh-CANARY',
              refresh_token_expires_in: 31103999,
              scope: 'r_basicprofile',
            }
          : {
              access_token: 'AQX-first-CANARY',
              expires_in: 5183999,
              refresh_token: 'AQW-refresh-CANARY',
              refresh_token_expires_in: 31535999,
              scope: 'email,openid,profile',
            },
      userInfo: () => ({ sub: 'partnerUser', name: 'Ana', email: 'ana@acme.com', email_verified: true }),
      routes: {
        '/rest/adAccounts': (request) =>
          request.headers.authorization === 'Bearer AQX-refreshed-CANARY'
            ? { elements: [] }
            : { status: 401, body: { status: 401, serviceErrorCode: 65600, code: 'INVALID_ACCESS_TOKEN' } },
      },
    })
    const provider = linkedin({
      clientId: '86yoursclientid',
      clientSecret: 'linkedin-secret-CANARY',
      endpoints: { ...endpointsWithout(fake, 'revocationUrl'), apiBaseUrl: fake.url },
    })
    const run = await connectThroughFake(provider, fake)
    const response = await run.app.router.connections.fetch('ana', 'linkedin', '/rest/adAccounts')
    expect(response.status).toBe(200)
    expect(fake.tokenRequests.at(-1)?.form).toMatchObject({
      grant_type: 'refresh_token',
      refresh_token: 'AQW-refresh-CANARY',
      client_id: '86yoursclientid',
      client_secret: 'linkedin-secret-CANARY',
    })
  })

  it('leaves out an unverified email and refuses a malformed apiVersion', () => {
    const provider = linkedin({ clientId: 'a', clientSecret: 'b' })
    expect(provider.profile({ sub: 's', email: 'x@acme.com', email_verified: false }, {})).toMatchObject({
      accountId: 's',
      accountEmail: null,
    })
    expect(provider.apiHeaders['linkedin-version']).toBeUndefined()
    expect(() => linkedin({ clientId: 'a', clientSecret: 'b', apiVersion: '2026-11' })).toThrow(/apiVersion/)
  })
})
