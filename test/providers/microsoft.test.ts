import { describe, expect, it } from 'vitest'
import { microsoft, onedrive, outlook, teams } from '../../src/providers/presets/microsoft.js'
import { startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

const app = { clientId: '6731de76-14a6-49ae-97bc-6eba6914391e', clientSecret: 'ms-secret-CANARY' }
const tenantId = '72f988bf-86f1-41af-91ab-2d7cd011db47'
const idToken = (claims: Record<string, unknown>) =>
  `eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig-CANARY`

describe('microsoft presets', () => {
  it('outlook asks for offline_access and Graph scopes, names the account from /me, and has no revocation', async () => {
    // https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#successful-response-2
    const fake = await startFakeProvider({
      token: () => ({
        token_type: 'Bearer',
        scope: 'Mail.Read User.Read profile openid email',
        expires_in: 4493,
        ext_expires_in: 4493,
        access_token: 'EwBwA8l6BAAU-CANARY',
        refresh_token: 'M.C107_BAY.0.U-CANARY',
        id_token: idToken({ tid: tenantId, oid: '48d31887', preferred_username: 'AdeleV@contoso.com' }),
      }),
      // https://learn.microsoft.com/en-us/graph/api/user-get?view=graph-rest-1.0#response-1
      userInfo: () => ({
        '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users/$entity',
        id: '87d349ed-44d7-43e1-9a83-5f2406dee5bd',
        displayName: 'Adele Vance',
        mail: 'AdeleV@contoso.com',
        userPrincipalName: 'AdeleV@contoso.com',
      }),
    })
    // Microsoft has no revocation endpoint: the fake's is left out.
    const { revocationUrl: _none, ...endpoints } = fake.endpoints
    const provider = outlook({ ...app, endpoints })
    const run = await connectThroughFake(provider, fake)

    expect(run.authorization.get('scope')).toBe('openid profile email offline_access User.Read Mail.Read')
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({
      method: 'post',
      clientId: app.clientId,
      clientSecret: app.clientSecret,
    })
    expect(run.connection).toMatchObject({
      provider: 'outlook',
      providerName: 'Outlook',
      accountId: '87d349ed-44d7-43e1-9a83-5f2406dee5bd',
      accountEmail: 'AdeleV@contoso.com',
      grantedScopes: ['Mail.Read', 'User.Read', 'profile', 'openid', 'email'],
      metadata: { tenantId },
    })
    const lifetime = Date.parse(run.connection.expiresAt ?? '') - Date.now()
    expect(lifetime).toBeGreaterThan(4400_000)
    expect(lifetime).toBeLessThanOrEqual(4493_000)

    expect(provider.revocationUrl).toBeNull()
    await run.app.router.connections.revoke('ana', run.connection.id)
    expect(fake.revocations).toHaveLength(0)
  })

  it('falls back to the userPrincipalName when the account has no mailbox address', async () => {
    const fake = await startFakeProvider({
      token: () => ({
        token_type: 'Bearer',
        expires_in: 3599,
        access_token: 'EwB-CANARY',
        scope: 'Files.Read',
      }),
      userInfo: () => ({ id: '4c1f', displayName: 'Ana', mail: null, userPrincipalName: 'ana@outlook.com' }),
    })
    const run = await connectThroughFake(onedrive({ ...app, endpoints: fake.endpoints }), fake)
    expect(run.connection).toMatchObject({ accountId: '4c1f', accountEmail: 'ana@outlook.com', metadata: {} })
  })

  it('shares one Entra app between the entries and puts the tenant in the endpoints', () => {
    const entries = [microsoft(app), outlook(app), teams(app), onedrive(app)]
    expect(entries.map((p) => p.id)).toEqual(['microsoft', 'outlook', 'teams', 'onedrive'])
    expect(new Set(entries.map((p) => p.scopes.join(' '))).size).toBe(4)
    expect(teams(app).scopes).toEqual(
      expect.arrayContaining(['offline_access', 'Team.ReadBasic.All', 'Chat.Read']),
    )
    expect(microsoft(app).authorizationUrl).toBe(
      'https://login.microsoftonline.com/common/oauth2/v2.0/authorize',
    )
    const single = outlook({ ...app, tenant: 'contoso.onmicrosoft.com' })
    expect(single.tokenUrl).toBe(
      'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token',
    )
    expect(single.apiBaseUrl).toBe('https://graph.microsoft.com/v1.0')
  })
})
