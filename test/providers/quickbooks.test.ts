import { describe, expect, it } from 'vitest'
import { quickbooks } from '../../src/providers/presets/quickbooks.js'
import { startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

const REALM = '9130349971834166'

describe('quickbooks preset', () => {
  it('keeps the realmId of the redirect, calls that company with JSON, and revokes at Intuit', async () => {
    // https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/oauth-2.0#step-5-exchange-the-authorization-code-for-access-tokens
    const fake = await startFakeProvider({
      callbackParams: { realmId: REALM },
      token: () => ({
        token_type: 'bearer',
        expires_in: 3600,
        refresh_token: 'Q011534512981XKTWQU9IHhlgK0xE3RbP8kiGp8ZW5zaa0JDXd-CANARY',
        x_refresh_token_expires_in: 8726400,
        access_token: 'eyJlbmMiOiJBMTI4Q0JDLUhTMjU2IiwiYWxnIjoiZGlyIn0..qbo-CANARY',
        id_token: 'eyJraWQiOiJPUElDUFJEMDkxNDIwMTQiLCJhbGciOiJSUzI1NiJ9.e30.sig-CANARY',
      }),
      // https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/openid-connect#obtaining-user-profile-information
      userInfo: () => ({
        sub: '1182d6ec-2a1f-4aa3-af3f-bb3b95db45af',
        email: 'john@doe.com',
        emailVerified: true,
        givenName: 'John',
        familyName: 'Doe',
      }),
      routes: {
        [`/v3/company/${REALM}/companyinfo/${REALM}`]: () => ({
          CompanyInfo: { CompanyName: 'Sandbox Company_US_1', Id: '1' },
        }),
      },
    })
    const provider = quickbooks({
      clientId: 'ABqbo',
      clientSecret: 'qbo-secret-CANARY',
      endpoints: { ...fake.endpoints, apiBaseUrl: `${fake.url}/v3` },
    })
    const run = await connectThroughFake(provider, fake)

    expect(run.authorization.get('scope')).toBe('com.intuit.quickbooks.accounting openid email profile')
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({
      method: 'basic',
      clientId: 'ABqbo',
      clientSecret: 'qbo-secret-CANARY',
    })
    expect(run.connection).toMatchObject({
      provider: 'quickbooks',
      // Tokens are per company: the company is part of the account id.
      accountId: `${REALM}:1182d6ec-2a1f-4aa3-af3f-bb3b95db45af`,
      accountEmail: 'john@doe.com',
      // Intuit's answer carries no scope: what was asked for was granted.
      grantedScopes: ['com.intuit.quickbooks.accounting', 'openid', 'email', 'profile'],
      metadata: { realmId: REALM, environment: 'production' },
    })
    const lifetime = Date.parse(run.connection.expiresAt ?? '') - Date.now()
    expect(lifetime).toBeGreaterThan(3500_000)
    expect(lifetime).toBeLessThanOrEqual(3600_000)

    const response = await run.app.router.connections.fetch('ana', run.connection.id, `/companyinfo/${REALM}`)
    expect(await response.json()).toMatchObject({ CompanyInfo: { CompanyName: 'Sandbox Company_US_1' } })
    const call = fake.requests.find((r) => r.path.endsWith(`/companyinfo/${REALM}`))
    expect(call?.headers.accept).toBe('application/json')

    // Intuit takes a JSON body with the refresh token (which revokes the access token too), not a form.
    await run.app.router.connections.revoke('ana', run.connection.id)
    expect(fake.revocations).toHaveLength(1)
    expect(fake.revocations[0]?.headers['content-type']).toBe('application/json')
    expect(fake.revocations[0]?.form).toEqual({
      token: 'Q011534512981XKTWQU9IHhlgK0xE3RbP8kiGp8ZW5zaa0JDXd-CANARY',
    })
    expect(fake.revocations[0]?.basic?.clientId).toBe('ABqbo')
  })

  it('points at the sandbox hosts', () => {
    const provider = quickbooks({ clientId: 'a', clientSecret: 'b', environment: 'sandbox' })
    expect(provider.apiBaseUrl).toBe('https://sandbox-quickbooks.api.intuit.com/v3')
    expect(provider.userInfoUrl).toBe(
      'https://sandbox-accounts.platform.intuit.com/v1/openid_connect/userinfo',
    )
    expect(provider.tokenUrl).toBe('https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer')
    expect(quickbooks({ clientId: 'a', clientSecret: 'b' }).apiBaseUrl).toBe(
      'https://quickbooks.api.intuit.com/v3',
    )
  })
})
