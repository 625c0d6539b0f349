import { describe, expect, it } from 'vitest'
import { mailchimp } from '../../src/providers/presets/mailchimp.js'
import { startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

describe('mailchimp preset', () => {
  it('reads the data centre from the metadata endpoint, uses its api_endpoint and keeps no expiry', async () => {
    // https://mailchimp.com/developer/marketing/guides/access-user-data-oauth-2/ (read 2026-12-07)
    const fake = await startFakeProvider({
      token: () => ({ access_token: '5c6ccc561059aa386da9d112215bae55-CANARY', expires_in: 0, scope: null }),
      // The metadata document, same guide.
      userInfo: () => ({
        dc: 'us6',
        role: 'owner',
        accountname: 'Acme Co',
        user_id: 8521466,
        login: {
          email: 'ana@acme.com',
          avatar: null,
          login_id: 8521466,
          login_name: 'ana_acme',
          login_email: 'ana@acme.com',
        },
        login_url: 'https://login.mailchimp.com',
        api_endpoint: fake.url,
      }),
      routes: { '/3.0/ping': () => ({ health_status: "Everything's Chimpy!" }) },
    })
    const provider = mailchimp({
      clientId: '429740195416',
      clientSecret: 'mailchimp-secret-CANARY',
      endpoints: {
        authorizationUrl: fake.endpoints.authorizationUrl,
        tokenUrl: fake.endpoints.tokenUrl,
        userInfoUrl: fake.endpoints.userInfoUrl,
      },
    })
    const run = await connectThroughFake(provider, fake)

    expect(run.authorization.get('scope') ?? '').toBe('')
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({
      method: 'post',
      clientId: '429740195416',
      clientSecret: 'mailchimp-secret-CANARY',
    })
    expect(fake.userInfoRequests[0]?.headers.authorization).toBe(
      'Bearer 5c6ccc561059aa386da9d112215bae55-CANARY',
    )
    expect(run.connection).toMatchObject({
      provider: 'mailchimp',
      accountId: '8521466',
      accountEmail: 'ana@acme.com',
      expiresAt: null,
      grantedScopes: [],
      metadata: { dc: 'us6', accountName: 'Acme Co', role: 'owner', loginId: '8521466' },
    })
    expect(provider.apiBaseUrl).toBeNull()
    const response = await run.app.router.connections.fetch('ana', 'mailchimp', '/ping')
    expect(response.status).toBe(200)
    expect(fake.requests.at(-1)?.path).toBe('/3.0/ping')
  })

  it("refuses an api_endpoint that is not the named data centre's Mailchimp host", async () => {
    const details = mailchimp({ clientId: 'id', clientSecret: 'mailchimp-secret-CANARY' }).details
    if (!details) throw new Error('the preset has a details step')
    const attempt = (api_endpoint: string, dc = 'us6') =>
      details({
        tokens: { access_token: 'token-CANARY' },
        userInfo: { dc, api_endpoint },
        callbackParams: {},
        fetchJson: async () => ({}),
      })
    for (const [endpoint, dc] of [
      ['https://evil.example', 'us6'],
      ['http://us6.api.mailchimp.com', 'us6'],
      ['https://us7.api.mailchimp.com', 'us6'],
      ['https://us6.api.mailchimp.com.evil.example', 'us6'],
      ['https://evil.example/.api.mailchimp.com', 'evil.example/'],
      ['not a url', 'us6'],
    ] as const) {
      await expect(attempt(endpoint, dc), endpoint).rejects.toMatchObject({
        code: 'provider_error',
        message: expect.stringMatching(/outside Mailchimp/),
      })
    }
    // A refused token comes back as 200 with an error field, not as an HTTP error.
    await expect(
      details({
        tokens: { access_token: 'token-CANARY' },
        userInfo: { error: 'invalid_token', error_description: 'Invalid token' },
        callbackParams: {},
        fetchJson: async () => ({}),
      }),
    ).rejects.toMatchObject({
      code: 'provider_error',
      message: 'Mailchimp refused the token (invalid_token).',
    })
    await expect(attempt('https://us6.api.mailchimp.com')).resolves.toMatchObject({
      apiBaseUrl: 'https://us6.api.mailchimp.com/3.0',
      metadata: { dc: 'us6' },
    })
  })
})
