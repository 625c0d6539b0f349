import { describe, expect, it } from 'vitest'
import { bindConnectionParams } from '../../src/providers/connection-params.js'
import { salesforce } from '../../src/providers/presets/salesforce.js'
import { startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

const identityPath = '/id/00Dxx0000001gPLEAY/005xx000001SwiUAAS'

describe('salesforce preset', () => {
  it('uses instance_url as the API base, reads the identity URL, keeps no expiry, and revokes', async () => {
    // https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm&type=5
    const fake = await startFakeProvider({
      token: () => ({
        access_token: '00Dxx0000001gPL!AR8AQJXg5oj8jXSgxJfA0lBog-CANARY',
        refresh_token:
          '5Aep861TSESvWeug_xvFHRBTTbf_YrTWgEyjBJo7Xr34yOQ7GCFUN5DnNPxzDIoGoWi4evqOl_QT1B9gVrHFuF-CANARY',
        signature: 'SSSbLO/gBhmmyNUvN18ODBDFYHzakxOMgqYtu+hDPsc=',
        scope: 'refresh_token api id',
        instance_url: fake.url,
        id: `${fake.url}${identityPath}`,
        token_type: 'Bearer',
        issued_at: '1278448384422',
      }),
      routes: {
        // https://help.salesforce.com/s/articleView?id=sf.remoteaccess_using_openid.htm&type=5
        [identityPath]: () => ({
          id: `https://login.salesforce.com${identityPath}`,
          user_id: '005xx000001SwiUAAS',
          organization_id: '00Dxx0000001gPLEAY',
          username: 'ana@acme.com.sandbox',
          display_name: 'Ana Silva',
          email: 'ana@acme.com',
          active: true,
        }),
        '/services/data/v61.0/limits': () => ({ DailyApiRequests: { Max: 15000, Remaining: 14998 } }),
      },
    })
    const provider = salesforce({
      clientId: '3MVG9lKcPoNINVBIPJjdw1J9LLM82Hn',
      clientSecret: 'sf-secret-CANARY',
      endpoints: {
        authorizationUrl: fake.endpoints.authorizationUrl,
        tokenUrl: fake.endpoints.tokenUrl,
        revocationUrl: fake.endpoints.revocationUrl,
      },
    })
    const run = await connectThroughFake(provider, fake)

    expect(run.authorization.get('scope')).toBe('api refresh_token id')
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({
      method: 'post',
      clientId: '3MVG9lKcPoNINVBIPJjdw1J9LLM82Hn',
      clientSecret: 'sf-secret-CANARY',
    })
    expect(fake.requests.find((r) => r.path === identityPath)?.headers.authorization).toBe(
      'Bearer 00Dxx0000001gPL!AR8AQJXg5oj8jXSgxJfA0lBog-CANARY',
    )
    expect(run.connection).toMatchObject({
      provider: 'salesforce',
      accountId: '005xx000001SwiUAAS',
      accountEmail: 'ana@acme.com',
      grantedScopes: ['refresh_token', 'api', 'id'],
      expiresAt: null,
      metadata: {
        organizationId: '00Dxx0000001gPLEAY',
        username: 'ana@acme.com.sandbox',
        instanceUrl: fake.url,
      },
    })
    // The preset has no API base of its own: the connection's instance answers.
    expect(provider.apiBaseUrl).toBeNull()
    const response = await run.app.router.connections.fetch(
      'ana',
      'salesforce',
      '/services/data/v61.0/limits',
    )
    expect(response.status).toBe(200)

    await run.app.router.connections.revoke('ana', run.connection.id)
    expect(fake.revocations.map((r) => r.form.token).sort()).toEqual([
      '00Dxx0000001gPL!AR8AQJXg5oj8jXSgxJfA0lBog-CANARY',
      '5Aep861TSESvWeug_xvFHRBTTbf_YrTWgEyjBJo7Xr34yOQ7GCFUN5DnNPxzDIoGoWi4evqOl_QT1B9gVrHFuF-CANARY',
    ])
  })

  it('logs in at a sandbox or My Domain', () => {
    const provider = salesforce({
      clientId: 'a',
      clientSecret: 'b',
      loginUrl: 'https://test.salesforce.com/',
    })
    expect(provider.authorizationUrl).toBe('https://test.salesforce.com/services/oauth2/authorize')
    expect(provider.tokenUrl).toBe('https://test.salesforce.com/services/oauth2/token')
    expect(provider.revocationUrl).toBe('https://test.salesforce.com/services/oauth2/revoke')
    const perConnection = salesforce({ clientId: 'a', clientSecret: 'b' })
    expect(bindConnectionParams(perConnection, {}).revocationUrl).toBe(
      'https://login.salesforce.com/services/oauth2/revoke',
    )
    for (const [domain, host] of [
      ['test', 'test.salesforce.com'],
      ['acme.my', 'acme.my.salesforce.com'],
      ['acme--dev.sandbox.my', 'acme--dev.sandbox.my.salesforce.com'],
    ] as const) {
      expect(bindConnectionParams(perConnection, { domain }).authorizationUrl).toBe(
        `https://${host}/services/oauth2/authorize`,
      )
    }
    // Only Salesforce's login hosts: never another host, nor another Salesforce service's.
    for (const domain of ['evil.com/x', 'evil.com#', 'a@b', 'acme', 'acme.my.evil', 'x.force', '']) {
      expect(() => bindConnectionParams(perConnection, { domain }), domain).toThrow(/domain/)
    }
  })

  it('connects through the My Domain a connection names, and keeps using it', async () => {
    const fake = await startFakeProvider({
      token: (request) => ({
        access_token: `00D!${request.tenant}-CANARY`,
        refresh_token: `5Aep-${request.tenant}-CANARY`,
        scope: 'refresh_token api id',
        instance_url: fake.url,
        id: `${fake.url}${identityPath}`,
        token_type: 'Bearer',
      }),
      routes: { [identityPath]: () => ({ user_id: '005xx000001SwiUAAS', email: 'ana@acme.com' }) },
    })
    const template = `${fake.url}/t/{domain}`
    const provider = salesforce({
      clientId: 'sf-app',
      clientSecret: 'sf-secret-CANARY',
      endpoints: {
        authorizationUrl: `${template}/authorize`,
        tokenUrl: `${template}/token`,
        revocationUrl: `${template}/revoke`,
      },
    })
    const run = await connectThroughFake(provider, fake, { query: { domain: 'acme.my' } })
    expect(run.connection.params).toEqual({ domain: 'acme.my' })
    await run.app.router.connections.revoke('ana', run.connection.id)
    expect([...fake.tokenRequests, ...fake.revocations].map((r) => r.tenant)).toEqual([
      'acme.my',
      'acme.my',
      'acme.my',
    ])
  })

  it('refuses an instance_url or identity URL outside Salesforce, before sending the token there', async () => {
    const provider = salesforce({ clientId: 'id', clientSecret: 'sf-secret-CANARY' })
    const details = provider.details
    if (!details) throw new Error('the preset has a details step')
    const asked: string[] = []
    const attempt = (tokens: Record<string, string>) =>
      details({
        tokens: { access_token: 'token-CANARY', ...tokens },
        userInfo: {},
        callbackParams: {},
        fetchJson: async (url) => {
          asked.push(url)
          return { user_id: '005', email: 'ana@acme.com' }
        },
      })
    const good = 'https://acme.my.salesforce.com'
    for (const [instance_url, id] of [
      ['https://evil.example', `${good}/id/1/2`],
      ['http://acme.my.salesforce.com', `${good}/id/1/2`],
      ['https://salesforce.com.evil.example', `${good}/id/1/2`],
      [good, 'https://evil.example/id/1/2'],
      [good, 'not a url'],
    ] as const) {
      await expect(attempt({ instance_url, id }), `${instance_url} ${id}`).rejects.toMatchObject({
        code: 'provider_error',
        message: expect.stringMatching(/outside Salesforce/),
      })
    }
    expect(asked).toEqual([])
    await expect(
      attempt({ instance_url: good, id: 'https://login.salesforce.com/id/1/2' }),
    ).resolves.toMatchObject({
      apiBaseUrl: good,
    })
    expect(asked).toEqual(['https://login.salesforce.com/id/1/2'])
  })
})
