import { describe, expect, it } from 'vitest'
import { gong } from '../../src/providers/presets/gong.js'
import { startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

const app = { clientId: '038HLrv1cef0h7', clientSecret: 'gong-secret-CANARY' }

// https://help.gong.io/docs/create-an-app-for-gong, "Step 2.2" token response (read 2026-12-07)
const gongToken = (apiBase: string) => ({
  access_token: 'eyJhbGciOiJIUzI1NiJ9.gong-access-CANARY',
  refresh_token: 'gong-refresh-1-CANARY',
  scope: 'api:users:read api:calls:read:basic',
  token_type: 'bearer',
  expires_in: 86400,
  api_base_url_for_customer: apiBase,
})

describe('gong preset', () => {
  it('authenticates with HTTP Basic and makes api_base_url_for_customer the API base', async () => {
    const fake = await startFakeProvider({
      token: () => gongToken(fake.url),
      routes: {
        // https://gong.app.gong.io/settings/api/documentation#get-/v2/users (read 2026-12-07)
        '/v2/users': () => ({
          requestId: '4al018gzaztcr8nbukw',
          records: { totalRecords: 1, currentPageSize: 1, currentPageNumber: 0 },
          users: [{ id: '234599484848423', emailAddress: 'ana@acme.com', firstName: 'Ana' }],
        }),
      },
    })
    const provider = gong({
      ...app,
      endpoints: { authorizationUrl: fake.endpoints.authorizationUrl, tokenUrl: fake.endpoints.tokenUrl },
    })
    const run = await connectThroughFake(provider, fake)

    expect(run.authorization.get('scope')).toBe('api:users:read api:calls:read:basic')
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({
      method: 'basic',
      clientId: app.clientId,
      clientSecret: app.clientSecret,
    })
    expect(run.connection).toMatchObject({ provider: 'gong', metadata: { apiBaseUrl: fake.url } })
    expect(provider.apiBaseUrl).toBeNull()
    const response = await run.app.router.connections.fetch('ana', 'gong', '/v2/users')
    expect(await response.json()).toMatchObject({ users: [{ emailAddress: 'ana@acme.com' }] })
    expect(fake.requests.find((r) => r.path === '/v2/users')?.headers.authorization).toBe(
      'Bearer eyJhbGciOiJIUzI1NiJ9.gong-access-CANARY',
    )
  })

  it.each([
    'https://us-55616.api.gong.io.evil.example',
    'https://evil.example/api.gong.io',
    'http://us-55616.api.gong.io',
    'https://us-55616.api.gong.io:8443',
    'not a url',
  ])('refuses a customer API base outside Gong (%s) as a provider error', async (apiBase) => {
    const fake = await startFakeProvider({ token: () => gongToken(apiBase) })
    const provider = gong({
      ...app,
      endpoints: { authorizationUrl: fake.endpoints.authorizationUrl, tokenUrl: fake.endpoints.tokenUrl },
    })
    await expect(connectThroughFake(provider, fake)).rejects.toThrow(/api_base_url_for_customer/)
  })

  it("accepts Gong's regional API hosts", async () => {
    const fake = await startFakeProvider({ token: () => gongToken('https://us-55616.api.gong.io/') })
    const provider = gong({
      ...app,
      endpoints: { authorizationUrl: fake.endpoints.authorizationUrl, tokenUrl: fake.endpoints.tokenUrl },
    })
    const run = await connectThroughFake(provider, fake)
    expect(run.connection.metadata).toEqual({ apiBaseUrl: 'https://us-55616.api.gong.io' })
  })

  it('points OAuth at app.gong.io', () => {
    const provider = gong(app)
    expect(provider.authorizationUrl).toBe('https://app.gong.io/oauth2/authorize')
    expect(provider.tokenUrl).toBe('https://app.gong.io/oauth2/generate-customer-token')
    expect(provider.tokenAuth).toBe('client_secret_basic')
    expect(provider.revocationUrl).toBeNull()
  })
})
