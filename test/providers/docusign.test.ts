import { describe, expect, it } from 'vitest'
import { docusign } from '../../src/providers/presets/docusign.js'
import { startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

describe('docusign preset', () => {
  it("uses the default account's base_uri + /restapi as the API base and authenticates with Basic", async () => {
    // https://developers.docusign.com/platform/auth/confidential-authcode-get-token (read 2026-12-07)
    const fake = await startFakeProvider({
      token: () => ({
        access_token: 'eyJ0eXAiOiJNVCIsImFsZyI6IlJTMjU2In0.docusign-CANARY',
        token_type: 'Bearer',
        refresh_token: 'eyJ0eXAiOiJNVCIsImFsZyI6IlJTMjU2In0.refresh-CANARY',
        expires_in: 28800,
      }),
      // https://developers.docusign.com/platform/auth/reference/user-info (read 2026-12-07)
      userInfo: () => ({
        sub: '4799e5e9-1559-4915-9862-cf4713bbcacc',
        name: 'Ana Silva',
        given_name: 'Ana',
        family_name: 'Silva',
        created: '2015-08-13T22:03:03.45',
        email: 'ana@acme.com',
        accounts: [
          {
            account_id: 'a4ec37d6-04a4-4b8d-8e1e-143885c34d1e',
            is_default: false,
            account_name: 'Acme Sandbox',
            base_uri: 'https://demo.docusign.net',
          },
          {
            account_id: 'f6b8c2a1-9d3e-4e5f-8a7b-1c2d3e4f5a6b',
            is_default: true,
            account_name: 'Acme',
            base_uri: fake.url,
            organization: {
              organization_id: '9dd9d6cd-7ad1-461a-a432-a44ac6b1e1a2',
              links: [{ rel: 'self', href: 'https://account-d.docusign.com/organizations/9dd9d6cd' }],
            },
          },
        ],
      }),
      routes: {
        '/restapi/v2.1/accounts/f6b8c2a1-9d3e-4e5f-8a7b-1c2d3e4f5a6b/envelopes': () => ({ envelopes: [] }),
      },
    })
    const provider = docusign({
      clientId: '230546a7-9c55-40ad-8fbf-af205d5494ad',
      clientSecret: 'docusign-secret-CANARY',
      environment: 'demo',
      endpoints: fake.endpoints,
    })
    const run = await connectThroughFake(provider, fake)

    expect(run.authorization.get('scope')).toBe('signature extended')
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({
      method: 'basic',
      clientId: '230546a7-9c55-40ad-8fbf-af205d5494ad',
      clientSecret: 'docusign-secret-CANARY',
    })
    expect(run.connection).toMatchObject({
      provider: 'docusign',
      accountId: '4799e5e9-1559-4915-9862-cf4713bbcacc',
      accountEmail: 'ana@acme.com',
      metadata: {
        environment: 'demo',
        accountId: 'f6b8c2a1-9d3e-4e5f-8a7b-1c2d3e4f5a6b',
        accountName: 'Acme',
        baseUri: fake.url,
        accounts: [
          {
            accountId: 'a4ec37d6-04a4-4b8d-8e1e-143885c34d1e',
            accountName: 'Acme Sandbox',
            isDefault: false,
          },
          { accountId: 'f6b8c2a1-9d3e-4e5f-8a7b-1c2d3e4f5a6b', accountName: 'Acme', isDefault: true },
        ],
      },
    })
    const lifetime = Date.parse(run.connection.expiresAt ?? '') - Date.now()
    expect(lifetime).toBeGreaterThan(28000_000)
    expect(provider.apiBaseUrl).toBeNull()
    const response = await run.app.router.connections.fetch(
      'ana',
      'docusign',
      '/v2.1/accounts/f6b8c2a1-9d3e-4e5f-8a7b-1c2d3e4f5a6b/envelopes',
    )
    expect(response.status).toBe(200)
  })

  it('talks to account-d.docusign.com for demo and account.docusign.com otherwise', () => {
    const demo = docusign({ clientId: 'a', clientSecret: 'b', environment: 'demo' })
    expect([demo.authorizationUrl, demo.tokenUrl, demo.userInfoUrl]).toEqual([
      'https://account-d.docusign.com/oauth/auth',
      'https://account-d.docusign.com/oauth/token',
      'https://account-d.docusign.com/oauth/userinfo',
    ])
    const live = docusign({ clientId: 'a', clientSecret: 'b' })
    expect([live.authorizationUrl, live.tokenUrl, live.userInfoUrl]).toEqual([
      'https://account.docusign.com/oauth/auth',
      'https://account.docusign.com/oauth/token',
      'https://account.docusign.com/oauth/userinfo',
    ])
  })

  it('refuses a base_uri outside Docusign, and a user with no account', async () => {
    const details = docusign({ clientId: 'id', clientSecret: 'docusign-secret-CANARY' }).details
    if (!details) throw new Error('the preset has a details step')
    const attempt = (accounts: unknown[]) =>
      details({
        tokens: { access_token: 'token-CANARY' },
        userInfo: { sub: 'u', accounts },
        callbackParams: {},
        fetchJson: async () => ({}),
      })
    for (const base_uri of [
      'https://evil.example',
      'http://na3.docusign.net',
      'https://na3.docusign.net.evil.example',
      'https://evildocusign.net',
      'https://na3.docusign.net:8443',
      'not a url',
    ]) {
      await expect(
        attempt([{ account_id: '1', is_default: true, base_uri }]),
        base_uri,
      ).rejects.toMatchObject({
        code: 'provider_error',
        message: expect.stringMatching(/outside Docusign/),
      })
    }
    await expect(attempt([])).rejects.toMatchObject({ code: 'provider_error' })
    await expect(
      attempt([{ account_id: '1', is_default: true, base_uri: 'https://na3.docusign.net' }]),
    ).resolves.toMatchObject({ apiBaseUrl: 'https://na3.docusign.net/restapi' })
  })
})
