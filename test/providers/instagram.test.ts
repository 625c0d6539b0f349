import { describe, expect, it } from 'vitest'
import { instagram } from '../../src/providers/presets/instagram.js'
import { endpointsWithout, startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

const permissions = 'instagram_business_basic,instagram_business_content_publish'

async function startInstagram(renew: 'works' | 'expired') {
  return startFakeProvider({
    // https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/business-login (read 2026-12-07)
    token: () => ({
      data: [{ access_token: 'IGQVJshort-CANARY', user_id: '17841400008460056', permissions }],
    }),
    // https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/get-started (read 2026-12-07)
    userInfo: () => ({
      user_id: '17841400008460056',
      username: 'acme.studio',
      name: 'Acme Studio',
      account_type: 'BUSINESS',
      id: '7590282904327',
    }),
    routes: {
      // https://developers.facebook.com/documentation/instagram-platform/reference/access_token (read 2026-12-07)
      '/access_token': (request) =>
        request.method === 'GET' && request.query.get('grant_type') === 'ig_exchange_token'
          ? { access_token: 'IGQVJlong-CANARY', token_type: 'bearer', expires_in: 5183944 }
          : { status: 400, body: { error: { message: 'Unsupported', type: 'OAuthException', code: 100 } } },
      // https://developers.facebook.com/documentation/instagram-platform/reference/refresh_access_token (read 2026-12-07)
      '/refresh_access_token': () =>
        renew === 'works'
          ? { access_token: 'IGQVJrenewed-CANARY', token_type: 'bearer', expires_in: 5183944 }
          : {
              status: 400,
              body: {
                error: { message: 'Error validating access token', type: 'OAuthException', code: 190 },
              },
            },
      '/media': (request) =>
        request.headers.authorization === 'Bearer IGQVJrenewed-CANARY'
          ? { data: [] }
          : { status: 401, body: { error: { message: 'expired', type: 'OAuthException', code: 190 } } },
    },
  })
}

function presetFor(fake: Awaited<ReturnType<typeof startInstagram>>) {
  return instagram({
    clientId: '990602627938098',
    clientSecret: 'ig-app-secret-CANARY',
    endpoints: {
      ...endpointsWithout(fake, 'revocationUrl'),
      refreshUrl: `${fake.url}/refresh_access_token`,
      apiBaseUrl: fake.url,
    },
  })
}

describe('instagram preset', () => {
  it('unwraps the exchange, trades for a long-lived token and renews it with ig_refresh_token', async () => {
    const fake = await startInstagram('works')
    const run = await connectThroughFake(presetFor(fake), fake)

    expect(run.authorization.get('scope')).toBe('instagram_business_basic')
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({
      method: 'post',
      clientId: '990602627938098',
      clientSecret: 'ig-app-secret-CANARY',
    })
    const trade = fake.requests.find((r) => r.path === '/access_token')
    expect(Object.fromEntries(trade?.query ?? [])).toEqual({
      grant_type: 'ig_exchange_token',
      client_secret: 'ig-app-secret-CANARY',
      access_token: 'IGQVJshort-CANARY',
    })
    expect(fake.userInfoRequests[0]?.headers.authorization).toBe('Bearer IGQVJlong-CANARY')
    expect(run.connection).toMatchObject({
      provider: 'instagram',
      accountId: '17841400008460056',
      accountEmail: null,
      grantedScopes: ['instagram_business_basic', 'instagram_business_content_publish'],
      metadata: { username: 'acme.studio', accountType: 'BUSINESS' },
    })
    // Due for renewal at half the 60 days, while Instagram still renews it.
    const lifetime = Date.parse(run.connection.expiresAt ?? '') - Date.now()
    expect(lifetime).toBeGreaterThan(2590000_000)
    expect(lifetime).toBeLessThanOrEqual(2591972_000)

    // A 401 from the API makes the router refresh: the renewal is a GET with the token itself.
    const response = await run.app.router.connections.fetch('ana', 'instagram', '/media')
    expect(response.status).toBe(200)
    const renewal = fake.requests.find((r) => r.path === '/refresh_access_token')
    expect(renewal?.method).toBe('GET')
    expect(Object.fromEntries(renewal?.query ?? [])).toEqual({
      grant_type: 'ig_refresh_token',
      access_token: 'IGQVJlong-CANARY',
    })
    // Nothing but the token goes there: no client secret.
    expect(renewal?.form).toEqual({})
    const token = await run.app.router.connections.getAccessToken('ana', 'instagram')
    expect(token.accessToken).toBe('IGQVJrenewed-CANARY')
  })

  it('reads a renewal Instagram refuses as a grant that is gone', async () => {
    const fake = await startInstagram('expired')
    const provider = presetFor(fake)
    const answer = await provider.fetch?.(`${fake.url}/refresh_access_token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'IGQVJlong-CANARY' }),
    })
    expect(answer?.status).toBe(400)
    expect(await answer?.json()).toEqual({ error: 'invalid_grant' })
  })

  it('accepts the exchange answer without its data wrapper too', () => {
    const provider = instagram({ clientId: 'a', clientSecret: 'b' })
    expect(provider.parseTokenResponse({ access_token: 't', user_id: 1, permissions })).toMatchObject({
      access_token: 't',
      scope: permissions,
    })
    expect(provider.refreshUrl).toBe('https://graph.instagram.com/refresh_access_token')
    expect(provider.userInfoUrl).toBe(
      'https://graph.instagram.com/v26.0/me?fields=user_id,username,name,account_type',
    )
  })
})
