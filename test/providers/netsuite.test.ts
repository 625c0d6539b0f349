import { describe, expect, it } from 'vitest'
import { bindConnectionParams } from '../../src/providers/connection-params.js'
import { netsuite } from '../../src/providers/presets/netsuite.js'
import { startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

const app = {
  clientId: '6794a3086e4f61a120350d01b8527aed3631472ef33412212495be65a8fc8d4c',
  clientSecret: 'ns-secret-CANARY',
}

describe('netsuite preset', () => {
  it('connects to the account named at connect time and names the user from the redirect', async () => {
    const fake = await startFakeProvider({
      // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_160855590788.html (read 2026-12-07)
      token: () => ({
        access_token: 'eyJraWQiOiIyMDIwXzEiLCJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.ns-access-CANARY',
        refresh_token:
          'eyJraWQiOiJzLlNZU1RFTS4yMDIwXzEiLCJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.ns-refresh-CANARY',
        expires_in: '3600',
        token_type: 'bearer',
      }),
      // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_158081944642.html (read 2026-12-07)
      callbackParams: { role: '3', entity: '-5', company: '1234567_SB1' },
      routes: {
        // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_157780312610.html (read 2026-12-07)
        '/services/rest/record/v1/customer': () => ({
          links: [],
          count: 1,
          items: [{ id: '107' }],
          totalResults: 1,
        }),
      },
    })
    const suitetalk = `${fake.url}/t/{accountId}`
    const provider = netsuite({
      ...app,
      endpoints: {
        authorizationUrl: `${fake.url}/t/{accountId}/authorize`,
        tokenUrl: `${suitetalk}/token`,
        revocationUrl: `${suitetalk}/revoke`,
        apiBaseUrl: `${suitetalk}/services/rest`,
      },
    })
    const run = await connectThroughFake(provider, fake, { query: { accountId: '1234567-sb1' } })

    expect(run.authorization.get('scope')).toBe('rest_webservices')
    expect(fake.tokenRequests[0]?.tenant).toBe('1234567-sb1')
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({
      method: 'basic',
      clientId: app.clientId,
      clientSecret: app.clientSecret,
    })
    expect(run.connection).toMatchObject({
      provider: 'netsuite',
      accountId: '1234567_SB1:-5',
      metadata: { company: '1234567_SB1', entity: '-5', role: '3' },
    })
    const lifetime = Date.parse(run.connection.expiresAt ?? '') - Date.now()
    expect(lifetime).toBeGreaterThan(3500_000)
    expect(lifetime).toBeLessThanOrEqual(3600_000)
    const response = await run.app.router.connections.fetch('ana', 'netsuite', '/record/v1/customer')
    expect(await response.json()).toMatchObject({ items: [{ id: '107' }] })
    expect(fake.requests.find((r) => r.path === '/services/rest/record/v1/customer')?.tenant).toBe(
      '1234567-sb1',
    )

    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_161071224088.html (read 2026-12-07)
    await run.app.router.connections.revoke('ana', run.connection.id)
    expect(fake.revocations.map((r) => [r.tenant, r.form.token, r.basic?.clientId])).toEqual([
      [
        '1234567-sb1',
        'eyJraWQiOiJzLlNZU1RFTS4yMDIwXzEiLCJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.ns-refresh-CANARY',
        app.clientId,
      ],
    ])
  })

  it('fills the account id into app.netsuite.com and suitetalk.api.netsuite.com, in its host spelling', () => {
    const bound = bindConnectionParams(netsuite(app), { accountId: '1234567-sb1' })
    expect(bound.authorizationUrl).toBe('https://1234567-sb1.app.netsuite.com/app/login/oauth2/authorize.nl')
    expect(bound.tokenUrl).toBe(
      'https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/auth/oauth2/v1/token',
    )
    expect(bound.revocationUrl).toBe(
      'https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/auth/oauth2/v1/revoke',
    )
    expect(bound.apiBaseUrl).toBe('https://1234567-sb1.suitetalk.api.netsuite.com/services/rest')
    expect(bindConnectionParams(netsuite(app), { accountId: 'TSTDRV1234567' }).tokenUrl).toBe(
      'https://tstdrv1234567.suitetalk.api.netsuite.com/services/rest/auth/oauth2/v1/token',
    )
    // The account id's own spelling (1234567_SB1) is not a host label: the host spelling is asked for.
    for (const accountId of ['1234567_SB1', 'evil.com/x', '1234567.evil', '', 'a b']) {
      expect(() => bindConnectionParams(netsuite(app), { accountId })).toThrow(/accountId/)
    }
  })
})
