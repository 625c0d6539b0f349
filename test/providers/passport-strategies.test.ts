import { Strategy as DiscordStrategy } from 'passport-discord'
import { Strategy as GitLabStrategy } from 'passport-gitlab2'
import { Strategy as SlackStrategy } from 'passport-slack-oauth2'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { providers } from '../../src/index.js'
import type { OAuth2Provider } from '../../src/providers/types.js'
import { type FakeProvider, type FakeRequest, startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

/**
 * passport strategies nobody here wrote, through `providers.fromPassport`, for the whole life of a
 * connection against a fake of the provider (its documented shapes): connect with the strategy's own
 * profile code, a refresh when the API answers 401, the proxied call again, and revoke (RFC 7009).
 */

/** A token endpoint that issues `first` for the code and `second` (rotated) for the refresh token. */
function rotatingTokens(prefix: string, extra: Record<string, unknown> = {}) {
  return (request: FakeRequest) =>
    request.form.grant_type === 'refresh_token'
      ? { access_token: `${prefix}-access-2-CANARY`, refresh_token: `${prefix}-refresh-2-CANARY`, ...extra }
      : { access_token: `${prefix}-access-1-CANARY`, refresh_token: `${prefix}-refresh-1-CANARY`, ...extra }
}

/** The provider's API: only the newest access token is still valid (the first one "expired early"). */
function apiAcceptingOnly(prefix: string, body: unknown) {
  return (request: FakeRequest) =>
    request.headers.authorization === `Bearer ${prefix}-access-2-CANARY`
      ? body
      : { status: 401, body: { message: '401 Unauthorized' } }
}

async function fullPath(provider: OAuth2Provider, fake: FakeProvider, prefix: string, apiPath: string) {
  const run = await connectThroughFake(provider, fake)
  const id = run.connection.id
  const proxied = await request(run.app.url)
    .get(`/integrations/connections/${id}/proxy${apiPath}`)
    .set('x-user', 'ana')
  expect(proxied.status).toBe(200)
  const refresh = fake.tokenRequests.at(-1)
  expect(refresh?.form).toMatchObject({
    grant_type: 'refresh_token',
    refresh_token: `${prefix}-refresh-1-CANARY`,
  })
  expect(clientCredentials(refresh)).toEqual(clientCredentials(fake.tokenRequests[0]))
  expect(await run.app.router.connections.getAccessToken('ana', id)).toMatchObject({
    accessToken: `${prefix}-access-2-CANARY`,
  })

  const revoked = await request(run.app.url)
    .post(`/integrations/connections/${id}/revoke`)
    .set('x-user', 'ana')
  expect(revoked.status).toBe(200)
  expect(fake.revocations.map((r) => [r.form.token_type_hint, r.form.token]).sort()).toEqual([
    ['access_token', `${prefix}-access-2-CANARY`],
    ['refresh_token', `${prefix}-refresh-2-CANARY`],
  ])
  const { entries } = await run.app.router.connections.audit('ana', { connectionId: id })
  expect(entries.map((e) => e.action)).toEqual(['revoked', 'token', 'proxy', 'refreshed', 'created'])
  return { run, proxied }
}

describe('passport strategies through fromPassport: connect → refresh → proxy → revoke', () => {
  it('passport-gitlab2 (a self-managed GitLab at its baseURL)', async () => {
    // https://docs.gitlab.com/api/oauth2/ and https://docs.gitlab.com/api/users/#retrieve-the-current-user
    const user = { id: 7, username: 'ana', name: 'Ana Lima', email: 'ana@example.com', web_url: 'x' }
    const fake = await startFakeProvider({
      token: rotatingTokens('glpat', { token_type: 'Bearer', expires_in: 7200, scope: 'read_user' }),
      routes: {
        '/api/v4/user': () => user,
        '/api/v4/projects': apiAcceptingOnly('glpat', [{ id: 1, name: 'site' }]),
      },
    })
    const provider = providers.fromPassport({
      id: 'gitlab2',
      name: 'GitLab (passport-gitlab2)',
      strategy: (verify) =>
        new GitLabStrategy(
          {
            clientID: 'gl-id',
            clientSecret: 'gl-secret-CANARY',
            callbackURL: 'http://placeholder.invalid/cb',
            // Its profile at baseURL + api/v4/user; the fake's OAuth endpoints sit at other paths.
            baseURL: `${fake.url}/`,
            authorizationURL: fake.endpoints.authorizationUrl,
            tokenURL: fake.endpoints.tokenUrl,
            scope: ['read_user'],
            passReqToCallback: true,
          },
          verify,
        ),
      apiBaseUrl: `${fake.url}/api/v4`,
      revocationUrl: fake.endpoints.revocationUrl,
    })
    const { run, proxied } = await fullPath(provider, fake, 'glpat', '/projects')
    expect(run.connection).toMatchObject({ accountId: '7', accountEmail: 'ana@example.com' })
    expect(proxied.body).toEqual([{ id: 1, name: 'site' }])
  })

  it('passport-slack-oauth2 (its users.identity profile, mapped by the profile option)', async () => {
    // https://api.slack.com/methods/users.identity (the Sign in with Slack identity scopes)
    const identity = {
      ok: true,
      user: { id: 'U0G9QF9C6', name: 'Ana', email: 'ana@example.com' },
      team: { id: 'T0G9PQBBK' },
    }
    const fake = await startFakeProvider({
      token: rotatingTokens('xoxp', { ok: true, scope: 'identity.basic,identity.email', expires_in: 43200 }),
      routes: {
        '/api/users.identity': () => identity,
        '/api/conversations.list': apiAcceptingOnly('xoxp', { ok: true, channels: [] }),
      },
    })
    const provider = providers.fromPassport({
      id: 'slack2',
      name: 'Slack (passport-slack-oauth2)',
      strategy: (verify) =>
        new SlackStrategy(
          {
            clientID: 'sl-id',
            clientSecret: 'sl-secret-CANARY',
            callbackURL: 'http://placeholder.invalid/cb',
            authorizationURL: fake.endpoints.authorizationUrl,
            tokenURL: fake.endpoints.tokenUrl,
            profileURL: `${fake.url}/api/users.identity`,
            scope: ['identity.basic', 'identity.email'],
            passReqToCallback: true,
          },
          verify,
        ),
      profile: (profile) => {
        const who = profile.user as { id: string; name: string; email: string }
        return { accountId: who.id, accountEmail: who.email, displayName: who.name }
      },
      apiBaseUrl: `${fake.url}/api`,
      revocationUrl: fake.endpoints.revocationUrl,
    })
    const { run, proxied } = await fullPath(provider, fake, 'xoxp', '/conversations.list')
    expect(run.connection).toMatchObject({ accountId: 'U0G9QF9C6', accountEmail: 'ana@example.com' })
    expect(proxied.body).toEqual({ ok: true, channels: [] })
  })

  it('passport-discord (its hard-coded profile URL sent to the fake instead)', async () => {
    // https://discord.com/developers/docs/topics/oauth2 and .../resources/user#get-current-user
    const me = {
      id: '80351110224678912',
      username: 'nelly',
      global_name: 'Nelly',
      email: 'nelly@example.com',
    }
    const fake = await startFakeProvider({
      token: rotatingTokens('discord', { token_type: 'Bearer', expires_in: 604800, scope: 'identify email' }),
      routes: {
        '/api/users/@me': () => me,
        '/api/users/@me/guilds': apiAcceptingOnly('discord', []),
      },
    })
    const provider = providers.fromPassport({
      id: 'discord2',
      name: 'Discord (passport-discord)',
      strategy: (verify) => {
        const strategy = new DiscordStrategy(
          {
            clientID: 'dc-id',
            clientSecret: 'dc-secret-CANARY',
            callbackURL: 'http://placeholder.invalid/cb',
            authorizationURL: fake.endpoints.authorizationUrl,
            tokenURL: fake.endpoints.tokenUrl,
            scope: ['identify', 'email'],
            passReqToCallback: true,
          },
          verify,
        )
        // The strategy reads the profile from https://discord.com/api/users/@me, whatever its options.
        const client = (
          strategy as unknown as { _oauth2: { get: (url: string, ...rest: unknown[]) => void } }
        )._oauth2
        const get = client.get.bind(client)
        client.get = (url, ...rest) => get(url.replace('https://discord.com/api', `${fake.url}/api`), ...rest)
        return strategy
      },
      profile: (profile) => ({
        accountId: String(profile.id),
        accountEmail: typeof profile.email === 'string' ? profile.email : null,
        displayName: typeof profile.username === 'string' ? profile.username : null,
      }),
      apiBaseUrl: `${fake.url}/api`,
      revocationUrl: fake.endpoints.revocationUrl,
    })
    const { run, proxied } = await fullPath(provider, fake, 'discord', '/users/@me/guilds')
    expect(run.connection).toMatchObject({
      accountId: '80351110224678912',
      accountEmail: 'nelly@example.com',
    })
    expect(proxied.body).toEqual([])
  })
})
