import { describe, expect, it } from 'vitest'
import { sharepoint } from '../../src/providers/presets/microsoft.js'
import { endpointsWithout, startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

const app = { clientId: '6731de76-14a6-49ae-97bc-6eba6914391e', clientSecret: 'ms-secret-CANARY' }

describe('sharepoint preset', () => {
  it('asks for Sites.Read.All with offline_access and reads sites through Graph', async () => {
    // https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#successful-response-2 (read 2026-12-07)
    const fake = await startFakeProvider({
      token: () => ({
        token_type: 'Bearer',
        scope: 'Sites.Read.All User.Read profile openid email',
        expires_in: 4186,
        ext_expires_in: 4186,
        access_token: 'EwBwA8l6BAAU-sp-CANARY',
        refresh_token: 'M.C107_BAY.0.U-sp-CANARY',
      }),
      // https://learn.microsoft.com/en-us/graph/api/user-get?view=graph-rest-1.0#response-1 (read 2026-12-07)
      userInfo: () => ({
        id: '87d349ed-44d7-43e1-9a83-5f2406dee5bd',
        displayName: 'Adele Vance',
        mail: 'AdeleV@contoso.com',
        userPrincipalName: 'AdeleV@contoso.com',
      }),
      routes: {
        // https://learn.microsoft.com/en-us/graph/api/site-search?view=graph-rest-1.0#response-1 (read 2026-12-07)
        '/v1.0/sites': (request) => ({
          value: [
            {
              id: 'contoso.sharepoint.com,da60e844-ba1d-49bc-b4d4-d5e36bae9019,712a596e-90a1-49e3-9b48-bfa80bee8740',
              name: 'Team A Site',
              displayName: 'Team A Site',
              webUrl: 'https://contoso.sharepoint.com/sites/site1',
              search: request.query.get('search'),
            },
          ],
        }),
      },
    })
    const provider = sharepoint({
      ...app,
      tenant: 'contoso.onmicrosoft.com',
      endpoints: { ...endpointsWithout(fake, 'revocationUrl'), apiBaseUrl: `${fake.url}/v1.0` },
    })
    const run = await connectThroughFake(provider, fake)

    expect(run.authorization.get('scope')).toBe(
      'openid profile email offline_access User.Read Sites.Read.All',
    )
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({
      method: 'post',
      clientId: app.clientId,
      clientSecret: app.clientSecret,
    })
    expect(run.connection).toMatchObject({
      provider: 'sharepoint',
      providerName: 'SharePoint',
      accountId: '87d349ed-44d7-43e1-9a83-5f2406dee5bd',
      accountEmail: 'AdeleV@contoso.com',
    })
    expect(run.connection.grantedScopes).toContain('Sites.Read.All')
    const response = await run.app.router.connections.fetch('ana', 'sharepoint', '/sites?search=Team')
    expect(await response.json()).toMatchObject({ value: [{ name: 'Team A Site', search: 'Team' }] })
  })

  it('uses the Microsoft identity platform of the tenant and the Graph API', () => {
    const provider = sharepoint({ ...app, tenant: 'contoso.onmicrosoft.com' })
    expect(provider.authorizationUrl).toBe(
      'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize',
    )
    expect(provider.tokenUrl).toBe(
      'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token',
    )
    expect(provider.apiBaseUrl).toBe('https://graph.microsoft.com/v1.0')
    expect(provider.revocationUrl).toBeNull()
    expect(sharepoint(app).authorizationUrl).toContain('/common/')
  })
})
