import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { facebook } from '../../src/providers/presets/facebook.js'
import { endpointsWithout, startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

// https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow (read 2026-12-07)
const shortLived = { access_token: 'EAAGm0PX4ZCpsBAshort-CANARY', token_type: 'bearer', expires_in: 5108 }
// https://developers.facebook.com/docs/facebook-login/guides/access-tokens/get-long-lived (read 2026-12-07)
const longLived = { access_token: 'EAAGm0PX4ZCpsBAlong-CANARY', token_type: 'bearer', expires_in: 5183944 }

// https://developers.facebook.com/docs/graph-api/securing-requests#appsecret_proof (read 2026-12-07)
const proofOf = (token: string) => createHmac('sha256', 'fb-app-secret-CANARY').update(token).digest('hex')

async function startGraph() {
  return startFakeProvider({
    token: () => shortLived,
    // https://developers.facebook.com/docs/graph-api/reference/user (read 2026-12-07)
    userInfo: (request) =>
      request.headers.authorization === `Bearer ${longLived.access_token}` &&
      request.query.get('appsecret_proof') === proofOf(longLived.access_token)
        ? { id: '10158123456789012', name: 'Ana Silva', email: 'ana@acme.com' }
        : {
            status: 400,
            body: { error: { message: 'Invalid OAuth access token.', type: 'OAuthException', code: 190 } },
          },
    routes: {
      '/graph/me/accounts': (request) =>
        request.query.get('appsecret_proof') === proofOf(longLived.access_token)
          ? { data: [] }
          : {
              status: 400,
              body: {
                error: {
                  message: 'API calls from the server require an appsecret_proof argument',
                  type: 'GraphMethodException',
                  code: 100,
                },
              },
            },
      '/graph/oauth/access_token': (request) =>
        request.method === 'GET' && request.query.get('grant_type') === 'fb_exchange_token'
          ? longLived
          : { status: 400, body: { error: { message: 'Unsupported', type: 'OAuthException', code: 100 } } },
    },
  })
}

describe('facebook preset', () => {
  it('trades the short-lived token for a long-lived one at connect time and names the user from /me', async () => {
    const fake = await startGraph()
    const provider = facebook({
      clientId: '1234567890123456',
      clientSecret: 'fb-app-secret-CANARY',
      endpoints: { ...endpointsWithout(fake, 'revocationUrl'), apiBaseUrl: `${fake.url}/graph` },
    })
    const run = await connectThroughFake(provider, fake)

    expect(run.authorization.get('scope')).toBe('public_profile,email')
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({
      method: 'post',
      clientId: '1234567890123456',
      clientSecret: 'fb-app-secret-CANARY',
    })
    const trade = fake.requests.find((r) => r.path === '/graph/oauth/access_token')
    expect(trade?.method).toBe('GET')
    expect(Object.fromEntries(trade?.query ?? [])).toEqual({
      grant_type: 'fb_exchange_token',
      client_id: '1234567890123456',
      client_secret: 'fb-app-secret-CANARY',
      fb_exchange_token: shortLived.access_token,
    })
    expect(run.connection).toMatchObject({
      provider: 'facebook',
      accountId: '10158123456789012',
      accountEmail: 'ana@acme.com',
    })
    const lifetime = Date.parse(run.connection.expiresAt ?? '') - Date.now()
    expect(lifetime).toBeGreaterThan(5180000_000)
    const token = await run.app.router.connections.getAccessToken('ana', 'facebook')
    expect(token.accessToken).toBe(longLived.access_token)
    // Every Graph call carries appsecret_proof, as apps with "Require App Secret" on need.
    const response = await run.app.router.connections.fetch('ana', 'facebook', '/me/accounts')
    expect(response.status).toBe(200)
  })

  it('keeps the short-lived token when asked to, and fails the connect when the trade fails', async () => {
    const fake = await startGraph()
    const endpoints = { ...endpointsWithout(fake, 'revocationUrl'), apiBaseUrl: `${fake.url}/graph` }
    const shortOnly = facebook({
      clientId: 'app',
      clientSecret: 'fb-app-secret-CANARY',
      longLived: false,
      endpoints,
    })
    const trade = await shortOnly.fetch?.(fake.endpoints.tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'c' }),
    })
    expect(await trade?.json()).toEqual(shortLived)
    expect(fake.requests.map((r) => r.path)).toEqual(['/token'])

    const broken = await startFakeProvider({
      token: () => shortLived,
      routes: {
        '/oauth/access_token': () => ({
          status: 400,
          body: { error: { message: 'Error validating client secret.', type: 'OAuthException', code: 1 } },
        }),
      },
    })
    const provider = facebook({
      clientId: 'app',
      clientSecret: 'fb-app-secret-CANARY',
      endpoints: { tokenUrl: broken.endpoints.tokenUrl, apiBaseUrl: broken.url },
    })
    const answer = await provider.fetch?.(broken.endpoints.tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'c' }),
    })
    expect(answer?.status).toBe(502)
    expect(JSON.stringify(await answer?.json())).not.toContain('CANARY')
  })

  it('puts the Graph version in every URL and refuses a malformed one', () => {
    const provider = facebook({ clientId: 'a', clientSecret: 'b' })
    expect(provider.authorizationUrl).toBe('https://www.facebook.com/v26.0/dialog/oauth')
    expect(provider.tokenUrl).toBe('https://graph.facebook.com/v26.0/oauth/access_token')
    expect(facebook({ clientId: 'a', clientSecret: 'b', graphVersion: 'v25.0' }).apiBaseUrl).toBe(
      'https://graph.facebook.com/v25.0',
    )
    expect(() => facebook({ clientId: 'a', clientSecret: 'b', graphVersion: '../evil' })).toThrow(
      /graphVersion/,
    )
  })
})
