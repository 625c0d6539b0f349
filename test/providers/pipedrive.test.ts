import { describe, expect, it } from 'vitest'
import { pipedrive } from '../../src/providers/presets/pipedrive.js'
import { startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

describe('pipedrive preset', () => {
  it('uses api_domain as the API base, reads /users/me there, authenticates with Basic and revokes', async () => {
    // https://pipedrive.readme.io/docs/marketplace-oauth-authorization (read 2026-12-07)
    const fake = await startFakeProvider({
      token: () => ({
        access_token: 'v1u:AQIBAHj+LzTNK2yuuuaLqifzhWb9crUNKTpk4FlQ9rjnXqp-CANARY',
        token_type: 'Bearer',
        refresh_token: '13799396:19148640:fcc8c33de44e7a1f1f6a4a5bc7a51b2fc9ee3ff8-CANARY',
        scope: 'base,deals:full',
        expires_in: 3599,
        api_domain: fake.url,
      }),
      routes: {
        // https://developers.pipedrive.com/docs/api/v1/Users#getCurrentUser (read 2026-12-07)
        '/api/v1/users/me': () => ({
          success: true,
          data: {
            id: 19148640,
            name: 'Ana Silva',
            email: 'ana@acme.com',
            has_created_company: true,
            is_you: true,
            company_id: 13799396,
            company_name: 'Acme',
            company_domain: 'acme',
            company_country: 'PT',
          },
        }),
        '/api/v2/deals': () => ({ success: true, data: [] }),
      },
    })
    const provider = pipedrive({
      clientId: 'b4d083d9216986345b32',
      clientSecret: 'pipedrive-secret-CANARY',
      endpoints: {
        authorizationUrl: fake.endpoints.authorizationUrl,
        tokenUrl: fake.endpoints.tokenUrl,
        revocationUrl: fake.endpoints.revocationUrl,
      },
    })
    const run = await connectThroughFake(provider, fake)

    // The app's scopes are set in Developer Hub.
    expect(run.authorization.get('scope') ?? '').toBe('')
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({
      method: 'basic',
      clientId: 'b4d083d9216986345b32',
      clientSecret: 'pipedrive-secret-CANARY',
    })
    expect(fake.tokenRequests[0]?.form.client_secret).toBeUndefined()
    expect(fake.requests.find((r) => r.path === '/api/v1/users/me')?.headers.authorization).toBe(
      'Bearer v1u:AQIBAHj+LzTNK2yuuuaLqifzhWb9crUNKTpk4FlQ9rjnXqp-CANARY',
    )
    expect(run.connection).toMatchObject({
      provider: 'pipedrive',
      accountId: '13799396:19148640',
      accountEmail: 'ana@acme.com',
      grantedScopes: ['base', 'deals:full'],
      metadata: { companyId: '13799396', companyName: 'Acme', companyDomain: 'acme', apiDomain: fake.url },
    })
    expect(provider.apiBaseUrl).toBeNull()
    const response = await run.app.router.connections.fetch('ana', 'pipedrive', '/api/v2/deals')
    expect(response.status).toBe(200)

    await run.app.router.connections.revoke('ana', run.connection.id)
    expect(fake.revocations.map((r) => r.form.token).sort()).toEqual([
      '13799396:19148640:fcc8c33de44e7a1f1f6a4a5bc7a51b2fc9ee3ff8-CANARY',
      'v1u:AQIBAHj+LzTNK2yuuuaLqifzhWb9crUNKTpk4FlQ9rjnXqp-CANARY',
    ])
    expect(fake.revocations.every((r) => r.basic?.clientId === 'b4d083d9216986345b32')).toBe(true)
  })

  it('refuses an api_domain outside Pipedrive before sending the token there', async () => {
    const details = pipedrive({ clientId: 'id', clientSecret: 'pipedrive-secret-CANARY' }).details
    if (!details) throw new Error('the preset has a details step')
    const asked: string[] = []
    const attempt = (api_domain: string) =>
      details({
        tokens: { access_token: 'token-CANARY', api_domain },
        userInfo: {},
        callbackParams: {},
        fetchJson: async (url) => {
          asked.push(url)
          return { data: { id: 1, company_id: 2, email: 'ana@acme.com' } }
        },
      })
    for (const domain of [
      'https://evil.example',
      'http://acme.pipedrive.com',
      'https://acme.pipedrive.com.evil.example',
      'https://evilpipedrive.com',
      'https://acme.pipedrive.com:8443',
      'not a url',
    ]) {
      await expect(attempt(domain), domain).rejects.toMatchObject({
        code: 'provider_error',
        message: expect.stringMatching(/outside Pipedrive/),
      })
    }
    expect(asked).toEqual([])
    await expect(attempt('https://acme.pipedrive.com')).resolves.toMatchObject({
      apiBaseUrl: 'https://acme.pipedrive.com',
      account: { accountId: '2:1' },
    })
    expect(asked).toEqual(['https://acme.pipedrive.com/api/v1/users/me'])
  })
})
