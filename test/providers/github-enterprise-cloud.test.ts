import { describe, expect, it } from 'vitest'
import { bindConnectionParams } from '../../src/providers/connection-params.js'
import { githubEnterpriseCloud } from '../../src/providers/presets/github.js'
import { startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

const app = { clientId: 'Iv1.8a61f9b3a7aba766', clientSecret: 'ghe-secret-CANARY' }

describe('githubEnterpriseCloud preset', () => {
  it('connects two enterprises through one provider, each at its own GHE.com host and API, and refuses a subdomain outside the pattern with nothing sent', async () => {
    // https://docs.github.com/en/enterprise-cloud@latest/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps
    // and https://docs.github.com/en/enterprise-cloud@latest/rest/users/emails (read 2026-12-07)
    const fake = await startFakeProvider({
      token: (request) => ({
        access_token: `gho_${request.tenant}16C7e42F292c6912E7710c8383-CANARY`,
        scope: 'read:user,user:email',
        token_type: 'bearer',
      }),
      // No public email: the primary one comes from /user/emails at the enterprise's own API.
      userInfo: (request) => ({
        login: `mona_${request.tenant}`,
        id: request.tenant === 'acme' ? 1 : 2,
        email: null,
      }),
      routes: {
        '/user/emails': (request) => [
          { email: `old@${request.tenant}.example`, primary: false, verified: true, visibility: null },
          { email: `mona@${request.tenant}.example`, primary: true, verified: true, visibility: 'private' },
        ],
      },
    })
    const provider = githubEnterpriseCloud({
      ...app,
      endpoints: {
        authorizationUrl: `${fake.url}/t/{enterprise}/authorize`,
        tokenUrl: `${fake.url}/t/{enterprise}/token`,
        userInfoUrl: `${fake.url}/t/{enterprise}/userinfo`,
        apiBaseUrl: `${fake.url}/t/{enterprise}`,
      },
    })
    const run = await connectThroughFake(provider, fake, { query: { enterprise: 'acme' } })
    const second = await connectThroughFake(provider, fake, {
      query: { enterprise: 'initech' },
      app: run.app,
    })

    expect(run.authorization.get('scope')).toBe('read:user user:email')
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({ method: 'post', ...app })
    expect(run.connection).toMatchObject({
      provider: 'github_enterprise_cloud',
      params: { enterprise: 'acme' },
      accountId: '1',
      accountEmail: 'mona@acme.example',
      expiresAt: null,
    })
    expect(second.connection).toMatchObject({
      params: { enterprise: 'initech' },
      accountId: '2',
      accountEmail: 'mona@initech.example',
    })
    expect(fake.tokenRequests.map((r) => r.tenant)).toEqual(['acme', 'initech'])
    expect(fake.requests.filter((r) => r.path === '/user/emails').map((r) => r.tenant)).toEqual([
      'acme',
      'initech',
    ])

    const sent = fake.requests.length
    for (const enterprise of ['evil.com/x', 'acme.ghe.com', 'acme@evil.com', '-acme', 'a b', '']) {
      const response = await fetch(
        `${run.app.mount}/connect/github_enterprise_cloud?enterprise=${encodeURIComponent(enterprise)}`,
        { headers: { 'x-user': 'ana' }, redirect: 'manual' },
      )
      expect(response.status, enterprise).toBe(400)
      expect(((await response.json()) as { error: { message: string } }).error.message).toContain(
        'enterprise',
      )
    }
    expect(fake.requests).toHaveLength(sent)
  })

  it("fills the enterprise into GHE.com's hosts, the API's included", () => {
    const bound = bindConnectionParams(githubEnterpriseCloud(app), { enterprise: 'acme' })
    expect(bound.authorizationUrl).toBe('https://acme.ghe.com/login/oauth/authorize')
    expect(bound.tokenUrl).toBe('https://acme.ghe.com/login/oauth/access_token')
    expect(bound.userInfoUrl).toBe('https://api.acme.ghe.com/user')
    expect(bound.apiBaseUrl).toBe('https://api.acme.ghe.com')
    for (const enterprise of ['evil.com/x', 'acme.ghe.com', 'acme@evil.com', '-acme', 'a b', '..']) {
      expect(() => bindConnectionParams(githubEnterpriseCloud(app), { enterprise })).toThrow(/enterprise/)
    }
  })
})
