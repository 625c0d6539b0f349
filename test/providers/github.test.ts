import { describe, expect, it } from 'vitest'
import { github } from '../../src/providers/presets/github.js'
import { startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

describe('github preset', () => {
  it('connects with a token that does not expire and names the account from /user', async () => {
    // https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps#2-users-are-redirected-back-to-your-site-by-github
    const fake = await startFakeProvider({
      token: () => ({
        access_token: 'gho_16C7e42F292c6912E7710c838347Ae178B4a-CANARY',
        scope: 'read:user,user:email',
        token_type: 'bearer',
      }),
      userInfo: () => ({ login: 'octocat', id: 583231, name: 'The Octocat', email: 'octocat@github.com' }),
    })
    const provider = github({
      clientId: 'gh-id',
      clientSecret: 'gh-secret-CANARY',
      endpoints: { ...fake.endpoints, apiBaseUrl: fake.url },
    })
    const run = await connectThroughFake(provider, fake)

    expect(run.authorization.get('scope')).toBe('read:user user:email')
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({
      method: 'post',
      clientId: 'gh-id',
      clientSecret: 'gh-secret-CANARY',
    })
    expect(fake.tokenRequests[0]?.headers.accept).toBe('application/json')
    expect(fake.userInfoRequests[0]?.headers.accept).toBe('application/vnd.github+json')
    expect(run.connection).toMatchObject({
      provider: 'github',
      accountId: '583231',
      accountEmail: 'octocat@github.com',
      grantedScopes: ['read:user', 'user:email'],
      expiresAt: null,
    })
    // A token without expiry is handed out as it is, never refreshed.
    const token = await run.app.router.connections.getAccessToken('ana', 'github')
    expect(token).toMatchObject({
      accessToken: 'gho_16C7e42F292c6912E7710c838347Ae178B4a-CANARY',
      expiresAt: null,
    })
    expect(fake.tokenRequests).toHaveLength(1)
  })

  it('reads the primary verified email from /user/emails when the profile has none', async () => {
    const fake = await startFakeProvider({
      token: () => ({
        access_token: 'gho_private-CANARY',
        scope: 'read:user,user:email',
        token_type: 'bearer',
      }),
      userInfo: () => ({ login: 'quiet', id: 7, name: null, email: null }),
      routes: {
        '/user/emails': () => [
          { email: 'old@example.com', primary: false, verified: true },
          { email: 'quiet@example.com', primary: true, verified: true },
        ],
      },
    })
    const provider = github({
      clientId: 'gh-id',
      clientSecret: 'gh-secret-CANARY',
      endpoints: { ...fake.endpoints, apiBaseUrl: fake.url },
    })
    const run = await connectThroughFake(provider, fake)
    expect(run.connection).toMatchObject({ accountId: '7', accountEmail: 'quiet@example.com' })
  })

  it('points at GitHub Enterprise Server', () => {
    const provider = github({
      clientId: 'a',
      clientSecret: 'b',
      enterpriseUrl: 'https://github.example.com/',
    })
    expect(provider.authorizationUrl).toBe('https://github.example.com/login/oauth/authorize')
    expect(provider.apiBaseUrl).toBe('https://github.example.com/api/v3')
  })
})
