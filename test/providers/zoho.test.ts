import { describe, expect, it } from 'vitest'
import { zoho } from '../../src/providers/presets/zoho.js'
import { type FakeProvider, startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

const app = { clientId: '1000.GMB0YULZHJK411248S8I5GZ4CHUEX0', clientSecret: 'zoho-secret-CANARY' }

// https://www.zoho.com/accounts/protocol/oauth/multi-dc/client-authorization.html (read 2026-12-07)
const zohoToken = (apiDomain: string) => ({
  access_token: '1000.2deaf8d0c268e3c85daa2a013a843b10.703adef2bb337b8ca36cfc5d7b83cf24-CANARY',
  refresh_token: '1000.18e983526f0ca8575ea9c53b0cd5bb58.1bd83a6f2e22c3a7e1309d96ae439cc1-CANARY',
  scope: 'AaaServer.profile.READ',
  api_domain: apiDomain,
  token_type: 'Bearer',
  expires_in: 3600,
})

async function zohoFake(
  apiDomain: (fake: FakeProvider) => string,
  location: { location: string; 'accounts-server': string } = {
    location: 'eu',
    'accounts-server': 'https://accounts.zoho.eu',
  },
) {
  const fake: FakeProvider = await startFakeProvider({
    token: () => zohoToken(apiDomain(fake)),
    // https://www.zoho.com/accounts/protocol/oauth/use-access-token.html (read 2026-12-07)
    userInfo: () => ({
      First_Name: 'Ana',
      Email: 'ana@zylker.eu',
      Last_Name: 'Silva',
      Display_Name: 'ana.silva',
      ZUID: 20071234567,
    }),
    // The redirect back names the user's data centre.
    callbackParams: location,
    routes: { '/crm/v7/org': () => ({ org: [{ id: '4150868000000225013', company_name: 'Zylker' }] }) },
  })
  return fake
}

describe('zoho preset', () => {
  it('asks for offline access with consent, comma-joins scopes and takes api_domain as the API base', async () => {
    const fake = await zohoFake((f) => f.url)
    const provider = zoho({
      ...app,
      dataCenter: 'eu',
      scopes: ['AaaServer.profile.READ', 'ZohoCRM.org.READ'],
      endpoints: fake.endpoints,
    })
    const run = await connectThroughFake(provider, fake)

    expect(run.authorization.get('access_type')).toBe('offline')
    expect(run.authorization.get('prompt')).toBe('consent')
    expect(run.authorization.get('scope')).toBe('AaaServer.profile.READ,ZohoCRM.org.READ')
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({
      method: 'post',
      clientId: app.clientId,
      clientSecret: app.clientSecret,
    })
    expect(run.connection).toMatchObject({
      provider: 'zoho',
      accountId: '20071234567',
      accountEmail: 'ana@zylker.eu',
      metadata: {
        dataCenter: 'eu',
        location: 'eu',
        accountsServer: 'https://accounts.zoho.eu',
        apiDomain: fake.url,
      },
    })
    const response = await run.app.router.connections.fetch('ana', 'zoho', '/crm/v7/org')
    expect(await response.json()).toMatchObject({ org: [{ company_name: 'Zylker' }] })
  })

  it("accepts any data centre's Zoho API domain", async () => {
    const fake = await zohoFake(() => 'https://www.zohoapis.com.au', {
      location: 'au',
      'accounts-server': 'https://accounts.zoho.com.au',
    })
    const run = await connectThroughFake(zoho({ ...app, dataCenter: 'au', endpoints: fake.endpoints }), fake)
    expect(run.connection.metadata).toMatchObject({ apiDomain: 'https://www.zohoapis.com.au' })
  })

  it.each([
    'https://www.zohoapis.com.evil.example',
    'https://evil.example',
    'http://www.zohoapis.com',
    'https://www.zohoapis.com/../x',
  ])('refuses an api_domain outside Zoho (%s)', async (apiDomain) => {
    const fake = await zohoFake(() => apiDomain)
    await expect(
      connectThroughFake(zoho({ ...app, dataCenter: 'eu', endpoints: fake.endpoints }), fake),
    ).rejects.toThrow(/api_domain outside Zoho/)
  })

  it.each([
    [
      'https://accounts.zoho.eu',
      /in the eu data centre: connect it with providers.zoho\(\{ dataCenter: 'eu' \}\)/,
    ],
    ['https://accounts.zoho.eu.evil.example', /not Zoho's/],
  ])(
    'refuses a redirect from another accounts server (%s) before exchanging the code',
    async (server, why) => {
      const fake = await zohoFake((f) => f.url, { location: 'eu', 'accounts-server': server })
      await expect(connectThroughFake(zoho({ ...app, endpoints: fake.endpoints }), fake)).rejects.toThrow(why)
      expect(fake.tokenRequests).toHaveLength(0)
    },
  )

  it('revokes the refresh token only, without a type hint', async () => {
    const fake = await zohoFake((f) => f.url)
    const run = await connectThroughFake(zoho({ ...app, dataCenter: 'eu', endpoints: fake.endpoints }), fake)
    await run.app.router.connections.revoke('ana', run.connection.id)
    expect(fake.revocations.map((r) => r.form)).toEqual([
      expect.objectContaining({ token: zohoToken(fake.url).refresh_token }),
    ])
    expect(fake.revocations[0]?.form).not.toHaveProperty('token_type_hint')
  })

  it('refuses a code Zoho answers with an error on HTTP 200', async () => {
    // Zoho answers a bad code with 200 and {"error":"invalid_code"}.
    const fake = await startFakeProvider({ token: () => ({ error: 'invalid_code' }) })
    await expect(connectThroughFake(zoho({ ...app, endpoints: fake.endpoints }), fake)).rejects.toThrow()
  })

  it("uses each data centre's accounts server and API domain", () => {
    expect(zoho(app).authorizationUrl).toBe('https://accounts.zoho.com/oauth/v2/auth')
    expect(zoho(app).apiBaseUrl).toBe('https://www.zohoapis.com')
    const canada = zoho({ ...app, dataCenter: 'ca' })
    expect(canada.tokenUrl).toBe('https://accounts.zohocloud.ca/oauth/v2/token')
    expect(canada.apiBaseUrl).toBe('https://www.zohoapis.ca')
    expect(zoho({ ...app, dataCenter: 'cn' }).userInfoUrl).toBe(
      'https://accounts.zoho.com.cn/oauth/user/info',
    )
    expect(() => zoho({ ...app, dataCenter: 'mars' as never })).toThrow(/dataCenter/)
    expect(() => zoho({ ...app, dataCenter: 'toString' as never })).toThrow(/dataCenter/)
  })
})
