import { afterEach, describe, expect, it } from 'vitest'
import { providers } from '../../src/index.js'
import { slack } from '../../src/providers/presets/slack.js'
import { startTestApp, type TestApp } from '../support/app.js'
import { BrowserClient } from '../support/browser-client.js'
import { type FakeProvider, startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake, type PresetRun } from '../support/preset-flow.js'

let fake: FakeProvider
let run: PresetRun | undefined
let app: TestApp | undefined

afterEach(async () => {
  await run?.close()
  await app?.close()
  run = undefined
  app = undefined
  await fake.close()
})

const credentials = { clientId: '3336676.569200954261', clientSecret: 'slack-secret-CANARY' }
// Slack has no profile or RFC 7009 endpoint: only the fake's authorize and token are used.
const endpointsOf = (f: FakeProvider) => ({
  authorizationUrl: f.endpoints.authorizationUrl,
  tokenUrl: f.endpoints.tokenUrl,
  apiBaseUrl: f.url,
})

// https://docs.slack.dev/reference/methods/oauth.v2.access#examples
const installed = {
  ok: true,
  access_token: 'xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy-CANARY',
  token_type: 'bot',
  scope: 'channels:read,chat:write,users:read',
  bot_user_id: 'U0KRQLJ9H',
  app_id: 'A0KRD7HC3',
  team: { name: 'Slack Softball Team', id: 'T9TK3CUKW' },
  enterprise: null,
  is_enterprise_install: false,
  authed_user: { id: 'U1234', scope: 'search:read', access_token: 'xoxp-1234-CANARY', token_type: 'user' },
}

describe('slack preset', () => {
  it('installs with comma-separated bot scopes and user_scope, and names the workspace and user', async () => {
    fake = await startFakeProvider({
      token: () => installed,
      routes: { '/auth.test': () => ({ ok: true, team_id: 'T9TK3CUKW' }) },
    })
    const provider = slack({ ...credentials, userScopes: ['search:read'], endpoints: endpointsOf(fake) })
    run = await connectThroughFake(provider, fake)

    expect(run.authorization.get('scope')).toBe('channels:read,chat:write,users:read')
    expect(run.authorization.get('user_scope')).toBe('search:read')
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({ method: 'post', ...credentials })
    expect(run.connection).toMatchObject({
      provider: 'slack',
      accountId: 'T9TK3CUKW:U1234',
      accountEmail: null,
      grantedScopes: ['channels:read', 'chat:write', 'users:read'],
      expiresAt: null,
      metadata: {
        teamId: 'T9TK3CUKW',
        teamName: 'Slack Softball Team',
        userId: 'U1234',
        botUserId: 'U0KRQLJ9H',
        appId: 'A0KRD7HC3',
      },
    })
    // The bot token is the connection's, sent as a Bearer token (Slack calls it `bot`).
    const response = await run.app.router.connections.fetch('ana', 'slack', '/auth.test', { method: 'POST' })
    expect(response.status).toBe(200)
    expect(fake.requests.at(-1)?.headers.authorization).toBe(`Bearer ${installed.access_token}`)

    expect(provider.revocationUrl).toBeNull()
    await run.app.router.connections.revoke('ana', run.connection.id)
    expect(fake.revocations).toHaveLength(0)
  })

  it('sends no PKCE with the client secret: Slack documents PKCE only for apps that enable it (public clients)', async () => {
    fake = await startFakeProvider({ token: () => installed })
    run = await connectThroughFake(slack({ ...credentials, endpoints: endpointsOf(fake) }), fake, {
      pkce: false,
    })
    expect(run.authorization.has('code_challenge')).toBe(false)
    expect(fake.tokenRequests[0]?.form).not.toHaveProperty('code_verifier')
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({ method: 'post', ...credentials })
  })

  it('uses PKCE, and no secret, for an app that enabled PKCE (a public client)', async () => {
    // https://docs.slack.dev/authentication/using-pkce (read 2026-12-07)
    fake = await startFakeProvider({ token: () => installed })
    const provider = slack({
      clientId: credentials.clientId,
      tokenAuth: 'none',
      endpoints: endpointsOf(fake),
    })
    expect(provider.pkce).toBe(true)
    run = await connectThroughFake(provider, fake, { pkce: true })
    expect(run.authorization.get('code_challenge_method')).toBe('S256')
    expect(fake.tokenRequests[0]?.form).toMatchObject({ client_id: credentials.clientId })
    expect(fake.tokenRequests[0]?.form).not.toHaveProperty('client_secret')
    // A public client's code is bound by PKCE alone: it cannot be turned off.
    expect(() =>
      providers.oauth2({
        ...endpointsOf(fake),
        id: 'pub',
        clientId: credentials.clientId,
        tokenAuth: 'none',
        pkce: false,
      }),
    ).toThrow(/pkce cannot be false with tokenAuth 'none'/)
  })

  it('labels each workspace by its name, so that two workspaces do not both read "Slack"', async () => {
    let team = installed.team
    fake = await startFakeProvider({ token: () => ({ ...installed, team }) })
    const provider = slack({ ...credentials, endpoints: endpointsOf(fake) })
    run = await connectThroughFake(provider, fake)
    expect(run.connection.label).toBe('Slack Softball Team')

    team = { name: 'Acme Design', id: 'T0ACMEDSN' }
    const browser = new BrowserClient({ headers: { [run.app.url]: { 'x-user': 'ana' } } })
    const { response } = await browser.follow(`${run.app.mount}/connect/slack`)
    expect(response.status).toBe(200)
    const labels = (await run.app.router.connections.list('ana')).map((c) => c.label)
    expect(labels.sort()).toEqual(['Acme Design', 'Slack Softball Team'])
  })

  it('fails the connection when oauth.v2.access answers ok: false with HTTP 200', async () => {
    fake = await startFakeProvider({ token: () => ({ ok: false, error: 'invalid_code' }) })
    const provider = slack({ ...credentials, endpoints: endpointsOf(fake) })
    app = await startTestApp(null, { providers: [provider], authorize: () => true })
    const browser = new BrowserClient({ headers: { [app.url]: { 'x-user': 'ana' } } })
    const { response } = await browser.follow(`${app.mount}/connect/slack`)
    const body = (await response.json()) as { error?: { code: string; message: string } }
    expect(response.status).toBe(502)
    expect(body.error).toMatchObject({ code: 'provider_error' })
    expect(body.error?.message).toContain('invalid_code')
    expect(await app.router.connections.list('ana')).toEqual([])
  })

  it('uses the user token of a user-scopes-only install, and maps Slack errors to OAuth ones', () => {
    const provider = slack({ ...credentials, scopes: [], userScopes: ['search:read'] })
    const { access_token: _bot, ...userOnly } = installed
    expect(provider.parseTokenResponse({ ...userOnly, scope: undefined })).toMatchObject({
      access_token: 'xoxp-1234-CANARY',
      scope: 'search:read',
      token_type: 'Bearer',
    })
    // Token rotation: a dead refresh token must read as invalid_grant so the connection needs reauth.
    expect(provider.parseTokenResponse({ ok: false, error: 'invalid_refresh_token' })).toEqual({
      error: 'invalid_grant',
    })
    expect(provider.authorizationParams).toEqual({ user_scope: 'search:read' })
  })
})
