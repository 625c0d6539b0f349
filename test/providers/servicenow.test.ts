import { describe, expect, it } from 'vitest'
import { bindConnectionParams } from '../../src/providers/connection-params.js'
import { servicenow } from '../../src/providers/presets/servicenow.js'
import { startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

const app = { clientId: 'be3aeb583ace210011c15b24a43e25d8', clientSecret: 'sn-secret-CANARY' }
const me = '/api/now/table/sys_user'

describe('servicenow preset', () => {
  it('connects to the instance named at connect time, reads the user from sys_user, without PKCE', async () => {
    const fake = await startFakeProvider({
      // https://docs.servicenow.com/bundle/geneva-servicenow-platform/page/administer/security/reference/r_OAuthTokens.html (read 2026-12-07)
      token: () => ({
        access_token: 'w599voG89897rGVDmdp12WA681r9E5948c1CJTPi8g4HGc4NWaz62k6k1K0FMxHW40H8yOO3Hoc-CANARY',
        refresh_token: 'Ku0N7tK1YnDMnS6uUlwJLxM3z4pcdTkv09Z3cMz2Y85cnM8W2vNuJ6zbBwsJXSEGNQSD1Ti_Aj-CANARY',
        scope: 'useraccount',
        token_type: 'Bearer',
        expires_in: 1799,
      }),
      routes: {
        // https://developer.servicenow.com/dev.do#!/reference/api/latest/rest/c_TableAPI (read 2026-12-07)
        [me]: (request) => ({
          result:
            request.query.get('sysparm_query') === 'sys_id=javascript:gs.getUserID()'
              ? [
                  {
                    sys_id: '62826bf03710200044e0bfc8bcbe5df1',
                    user_name: 'abel.tuter',
                    email: 'abel.tuter@example.com',
                    name: 'Abel Tuter',
                  },
                ]
              : [],
        }),
        '/api/now/table/incident': () => ({
          result: [{ number: 'INC0010001', short_description: 'Printer on fire' }],
        }),
      },
    })
    const site = `${fake.url}/t/{instance}`
    const provider = servicenow({
      ...app,
      endpoints: {
        authorizationUrl: `${site}/authorize`,
        tokenUrl: `${site}/token`,
        revocationUrl: `${site}/revoke`,
        userInfoUrl: `${site}${me}?sysparm_query=sys_id%3Djavascript:gs.getUserID()&sysparm_fields=sys_id,user_name,email,name&sysparm_limit=1`,
        apiBaseUrl: `${site}/api`,
      },
    })
    const run = await connectThroughFake(provider, fake, { query: { instance: 'acme' } })

    expect(run.authorization.get('scope')).toBe('useraccount')
    expect(run.authorization.has('code_challenge')).toBe(false)
    expect(fake.tokenRequests[0]?.tenant).toBe('acme')
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({
      method: 'post',
      clientId: app.clientId,
      clientSecret: app.clientSecret,
    })
    const profile = fake.requests.find((r) => r.path === me)
    expect(profile?.tenant).toBe('acme')
    expect(profile?.headers.accept).toBe('application/json')
    expect(run.connection).toMatchObject({
      provider: 'servicenow',
      accountId: '62826bf03710200044e0bfc8bcbe5df1',
      accountEmail: 'abel.tuter@example.com',
    })
    const response = await run.app.router.connections.fetch('ana', 'servicenow', '/now/table/incident')
    expect(await response.json()).toMatchObject({ result: [{ number: 'INC0010001' }] })
    expect(fake.requests.find((r) => r.path === '/api/now/table/incident')?.headers.accept).toBe(
      'application/json',
    )
  })

  it("fills the instance into ServiceNow's hosts and refuses anything else", () => {
    const bound = bindConnectionParams(servicenow(app), { instance: 'acme-dev' })
    expect(bound.authorizationUrl).toBe('https://acme-dev.service-now.com/oauth_auth.do')
    expect(bound.tokenUrl).toBe('https://acme-dev.service-now.com/oauth_token.do')
    expect(bound.revocationUrl).toBe('https://acme-dev.service-now.com/oauth_revoke_token.do')
    expect(bound.apiBaseUrl).toBe('https://acme-dev.service-now.com/api')
    expect(bound.userInfoUrl).toMatch(/^https:\/\/acme-dev\.service-now\.com\/api\/now\/table\/sys_user\?/)
    for (const instance of ['evil.com/x', 'acme.service-now.com', 'acme@evil', '', 'a b']) {
      expect(() => bindConnectionParams(servicenow(app), { instance })).toThrow(/instance/)
    }
  })
})
