import { Strategy as GitHubStrategy } from 'passport-github2'
import { Strategy as GoogleStrategy } from 'passport-google-oauth20'
import OAuth2Strategy from 'passport-oauth2'
import { describe, expect, it } from 'vitest'
import { providers } from '../../src/index.js'
import { startTestApp } from '../support/app.js'
import { startFakeProvider } from '../support/fake-provider.js'
import { connect } from '../support/flows.js'
import { startHugeAnswers } from '../support/http-fakes.js'
import { startNodeOAuthServer } from '../support/node-oauth-server.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

describe('providers.fromPassport', () => {
  it('runs passport-github2 end to end: its profile code, the router’s state, PKCE and exchange', async () => {
    const fake = await startFakeProvider({
      token: () => ({ access_token: 'gho_from_passport-CANARY', scope: 'user:email', token_type: 'bearer' }),
      userInfo: () => ({ id: 4242, login: 'octo', name: 'Octo Cat' }),
      routes: {
        '/emails': () => [
          { email: 'old@example.com', primary: false, verified: true },
          { email: 'octo@example.com', primary: true, verified: true },
        ],
      },
    })
    const provider = providers.fromPassport({
      id: 'github2',
      name: 'GitHub (passport-github2)',
      strategy: (verify) =>
        new GitHubStrategy(
          {
            clientID: 'p-gh-id',
            clientSecret: 'p-gh-secret-CANARY',
            callbackURL: 'http://placeholder.invalid/cb',
            scope: ['user:email'],
            authorizationURL: fake.endpoints.authorizationUrl,
            tokenURL: fake.endpoints.tokenUrl,
            userProfileURL: fake.endpoints.userInfoUrl,
            userEmailURL: `${fake.url}/emails`,
            passReqToCallback: true,
          },
          verify,
        ),
    })
    const run = await connectThroughFake(provider, fake)
    expect(run.authorization.get('scope')).toBe('user:email')
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({
      method: 'post',
      clientId: 'p-gh-id',
      clientSecret: 'p-gh-secret-CANARY',
    })
    expect(run.connection).toMatchObject({
      provider: 'github2',
      accountId: '4242',
      accountEmail: 'octo@example.com',
      grantedScopes: ['user:email'],
    })
    expect(await run.app.router.connections.getAccessToken('ana', 'github2')).toMatchObject({
      accessToken: 'gho_from_passport-CANARY',
    })
  })

  it('runs passport-google-oauth20 end to end with its own authorization parameters', async () => {
    const fake = await startFakeProvider({
      token: () => ({
        access_token: 'ya29.passport-CANARY',
        expires_in: 3599,
        refresh_token: '1//passport-CANARY',
        scope: 'openid email profile',
        token_type: 'Bearer',
      }),
      userInfo: () => ({ sub: '110169', name: 'Ana', email: 'ana@example.com', email_verified: true }),
    })
    const provider = providers.fromPassport({
      id: 'google2',
      strategy: (verify) =>
        new GoogleStrategy(
          {
            clientID: 'p-g-id',
            clientSecret: 'p-g-secret-CANARY',
            callbackURL: 'http://placeholder.invalid/cb',
            scope: ['openid', 'email', 'profile'],
            authorizationURL: fake.endpoints.authorizationUrl,
            tokenURL: fake.endpoints.tokenUrl,
            userProfileURL: fake.endpoints.userInfoUrl,
            passReqToCallback: true,
          },
          verify,
        ),
      authorizationParams: { access_type: 'offline', prompt: 'consent' },
    })
    const run = await connectThroughFake(provider, fake)
    expect(run.authorization.get('access_type')).toBe('offline')
    expect(run.authorization.get('prompt')).toBe('consent')
    expect(run.connection).toMatchObject({
      provider: 'google2',
      accountId: '110169',
      accountEmail: 'ana@example.com',
    })
    expect(Date.parse(run.connection.expiresAt ?? '')).toBeGreaterThan(Date.now() + 3500_000)
  })

  it('caps the strategy’s own profile request at 1 MiB, with or without a length, and stops reading (P3)', async () => {
    const big = await startHugeAnswers()
    const url = big.url
    try {
      for (const path of ['/user-chunked', '/user']) {
        const provider = providers.fromPassport({
          id: 'github2',
          strategy: (verify) =>
            new GitHubStrategy(
              {
                clientID: 'p-gh-id',
                clientSecret: 'p-gh-secret-CANARY',
                callbackURL: 'http://placeholder.invalid/cb',
                userProfileURL: `${url}${path}`,
                passReqToCallback: true,
              },
              verify,
            ),
        })
        const strategy = provider.passportStrategy as unknown as {
          userProfile(token: string, done: (error: unknown) => void): void
        }
        const error = await new Promise((resolve) => strategy.userProfile('gho_CANARY', resolve))
        expect(String((error as { oauthError?: unknown }).oauthError)).toMatch(/more than 1 MiB/)
      }
      expect(big.sent()).toBeLessThan(16 * 1024 * 1024)
    } finally {
      await big.close()
    }
  })

  it('refuses a strategy that is not built on passport-oauth2', () => {
    expect(() =>
      providers.fromPassport({
        id: 'local',
        strategy: () => ({ name: 'local', authenticate: () => undefined }),
      }),
    ).toThrow(/not built on passport-oauth2/)
  })

  it("runs a public client (tokenAuth 'none', an empty clientSecret) against @node-oauth/oauth2-server", async () => {
    const server = await startNodeOAuthServer({ clientSecret: null })
    try {
      const strategy =
        (secret: string) =>
        (verify: Parameters<Parameters<typeof providers.fromPassport>[0]['strategy']>[0]) =>
          new OAuth2Strategy(
            {
              clientID: server.clientId,
              clientSecret: secret,
              authorizationURL: server.authorizationUrl,
              tokenURL: server.tokenUrl,
              scope: ['read'],
              passReqToCallback: true,
            },
            verify,
          )
      const provider = providers.fromPassport({
        id: 'as',
        strategy: strategy(''),
        tokenAuth: 'none',
        revocationUrl: server.revocationUrl,
        profile: (profile) => ({ accountId: String(profile.id ?? 'unknown'), accountEmail: null }),
      })
      expect(provider).toMatchObject({ tokenAuth: 'none', clientSecret: null })
      const app = await startTestApp(null, { providers: [provider] })
      try {
        server.setRedirectUris([`${app.mount}/callback/as`])
        const id = await connect(app, 'ana', 'ana', 'as')
        await app.router.connections.revoke('ana', id)
        expect(server.clientAuthentication).toEqual(['none', 'none', 'none'])
      } finally {
        await app.close()
      }
      expect(() =>
        providers.fromPassport({ id: 'as', strategy: strategy('s-CANARY'), tokenAuth: 'none' }),
      ).toThrow(/clientSecret is not used with tokenAuth 'none'/)
    } finally {
      await server.close()
    }
  })
})
