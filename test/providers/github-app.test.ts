import { describe, expect, it } from 'vitest'
import { githubApp } from '../../src/providers/presets/github-app.js'
import { startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

// https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-user-access-token-for-a-github-app (read 2026-12-07)
const firstTokens = {
  access_token: 'ghu_16C7e42F292c6912E7710c838347Ae178B4a-CANARY',
  expires_in: 28800,
  refresh_token: 'ghr_1B4a2e77838347a7E420ce178F2E7c6912E169246c34E1ccbF66C46812d16D5B1A9Dc86A1498-CANARY',
  refresh_token_expires_in: 15811200,
  scope: '',
  token_type: 'bearer',
}

// https://docs.github.com/en/rest/apps/installations#list-app-installations-accessible-to-the-user-access-token (read 2026-12-07)
const installations = {
  total_count: 2,
  installations: [
    {
      id: 1,
      account: { login: 'octocat', id: 1, type: 'User' },
      app_id: 1,
      app_slug: 'acme-connector',
      target_id: 1,
      target_type: 'User',
      repository_selection: 'all',
      permissions: { contents: 'read', metadata: 'read' },
      events: ['push'],
    },
    {
      id: 42,
      account: { login: 'acme', id: 9919, type: 'Organization' },
      app_id: 1,
      app_slug: 'acme-connector',
      target_id: 9919,
      target_type: 'Organization',
      repository_selection: 'selected',
      permissions: { issues: 'write', metadata: 'read' },
      events: ['issues'],
    },
  ],
}

async function startGitHub(callbackParams: Record<string, string>) {
  const fake = await startFakeProvider({
    token: (request) =>
      request.form.grant_type === 'refresh_token'
        ? // https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/refreshing-user-access-tokens (read 2026-12-07)
          {
            access_token: 'ghu_refreshed-CANARY',
            expires_in: 28800,
            refresh_token: 'ghr_rotated-CANARY',
            refresh_token_expires_in: 15811200,
            scope: '',
            token_type: 'bearer',
          }
        : firstTokens,
    // https://docs.github.com/en/rest/users/users#get-the-authenticated-user (read 2026-12-07)
    userInfo: () => ({
      login: 'octocat',
      id: 583231,
      type: 'User',
      name: 'The Octocat',
      email: 'octocat@github.com',
    }),
    routes: {
      '/user/installations': () => installations,
      '/user/repos': (request) =>
        request.headers.authorization === 'Bearer ghu_refreshed-CANARY'
          ? []
          : { status: 401, body: { message: 'Bad credentials', status: '401' } },
    },
    callbackParams,
  })
  const provider = githubApp({
    clientId: 'Iv23liAbCdEf123456',
    clientSecret: 'gh-app-secret-CANARY',
    endpoints: { ...fake.endpoints, apiBaseUrl: fake.url },
  })
  return { fake, provider }
}

describe('githubApp preset', () => {
  it('connects with an expiring user token, lists installations and refreshes with rotation', async () => {
    const { fake, provider } = await startGitHub({ installation_id: '42', setup_action: 'install' })
    const run = await connectThroughFake(provider, fake)

    expect(run.authorization.get('scope')).toBeNull()
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({
      method: 'post',
      clientId: 'Iv23liAbCdEf123456',
      clientSecret: 'gh-app-secret-CANARY',
    })
    expect(fake.requests.find((r) => r.path === '/user/installations')?.headers.authorization).toBe(
      `Bearer ${firstTokens.access_token}`,
    )
    expect(run.connection).toMatchObject({
      provider: 'github_app',
      accountId: '583231',
      accountEmail: 'octocat@github.com',
      metadata: {
        installationId: '42',
        setupAction: 'install',
        installations: [
          { id: '1', account: 'octocat', targetType: 'User', repositorySelection: 'all' },
          { id: '42', account: 'acme', targetType: 'Organization', repositorySelection: 'selected' },
        ],
      },
    })
    const lifetime = Date.parse(run.connection.expiresAt ?? '') - Date.now()
    expect(lifetime).toBeGreaterThan(28000_000)
    expect(lifetime).toBeLessThanOrEqual(28800_000)

    // The API answers 401 to the old token: the router refreshes once and retries.
    const response = await run.app.router.connections.fetch('ana', 'github_app', '/user/repos')
    expect(response.status).toBe(200)
    const refresh = fake.tokenRequests.find((r) => r.form.grant_type === 'refresh_token')
    expect(refresh?.form).toMatchObject({
      refresh_token: firstTokens.refresh_token,
      client_id: 'Iv23liAbCdEf123456',
      client_secret: 'gh-app-secret-CANARY',
    })
    // The rotated refresh token replaces the spent one.
    const token = await run.app.router.connections.getAccessToken('ana', 'github_app')
    expect(token.accessToken).toBe('ghu_refreshed-CANARY')
  })

  it('drops an installation_id that is not among the user’s installations (GitHub says it can be spoofed)', async () => {
    const { fake, provider } = await startGitHub({ installation_id: '666', setup_action: 'install' })
    const run = await connectThroughFake(provider, fake)
    expect(run.connection.metadata).toMatchObject({ installationId: null, setupAction: null })
  })

  it('has no scopes, no RFC 7009 revocation, and points at GitHub Enterprise Server', () => {
    const provider = githubApp({ clientId: 'a', clientSecret: 'b' })
    expect(provider.scopes).toEqual([])
    expect(provider.revocationUrl).toBeNull()
    expect(provider.id).toBe('github_app')
    const enterprise = githubApp({
      clientId: 'a',
      clientSecret: 'b',
      enterpriseUrl: 'https://github.example.com/',
    })
    expect(enterprise.authorizationUrl).toBe('https://github.example.com/login/oauth/authorize')
    expect(enterprise.apiBaseUrl).toBe('https://github.example.com/api/v3')
  })
})
