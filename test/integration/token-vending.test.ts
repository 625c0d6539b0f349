import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { localProvider, type TestAppOptions } from '../support/app.js'
import { isActive, revokeAtServer, sleep, storedRecord, storedSecrets } from '../support/as-client.js'
import { loginAndConsent } from '../support/browser-client.js'
import { browserAs, connect, json } from '../support/flows.js'
import { startSwitchableProxy } from '../support/http-fakes.js'
import { useOAuthSuite } from '../support/suite.js'

// Access tokens live 2 s, so a test can have an expiring one by waiting a second.
const suite = useOAuthSuite({ accessTokenTtl: 2 })
const allowTokens: TestAppOptions = { authorize: () => true }

type TokenBody = { data: { accessToken: string; tokenType: string; expiresAt: string; scopes: string[] } }

/** Waits until the token is within its refresh window (half of its 2 s lifetime). */
const untilExpiring = () => sleep(1100)
/** Waits until the token has expired: an early refresh that fails still serves the current token. */
const untilExpired = () => sleep(2100)

describe('GET /connections/:id/token', () => {
  it('is refused unless authorize allows the token action, with a sentence that says so', async () => {
    const app = await suite.appWith()
    const id = await connect(app, 'ana')
    const response = await request(app.url).get(`/integrations/connections/${id}/token`).set('x-user', 'ana')
    expect(response.status).toBe(403)
    expect(response.body.error).toMatchObject({
      code: 'forbidden',
      message: 'This caller may not read tokens of this connection.',
    })
    expect(response.text).not.toContain(suite.oauth.lastTokens()?.access_token)
    const proxied = await request(app.url)
      .get(`/integrations/connections/${id}/proxy/me`)
      .set('x-user', 'ana')
    expect(proxied.status).toBe(403)
    expect(proxied.body.error.message).toBe(
      "This caller may not call the provider's API through this connection.",
    )
  })

  it('hands out the current token without refreshing while it is fresh', async () => {
    const app = await suite.appWith(allowTokens)
    const id = await connect(app, 'ana')
    const issued = suite.oauth.lastTokens()?.access_token
    const refreshes = suite.oauth.grants.refreshToken
    const response = await request(app.url).get(`/integrations/connections/${id}/token`).set('x-user', 'ana')
    expect(response.status).toBe(200)
    expect(response.headers['cache-control']).toBe('no-store')
    expect(response.body.data).toMatchObject({ accessToken: issued, tokenType: 'Bearer' })
    expect(response.body.data.scopes).toEqual(expect.arrayContaining(['openid', 'email']))
    expect(suite.oauth.grants.refreshToken).toBe(refreshes)
    const audit = await request(app.url).get('/integrations/audit').set('x-user', 'ana')
    expect(audit.body.data[0]).toMatchObject({
      action: 'token',
      connectionId: id,
      actor: 'ana',
      outcome: 'success',
    })
  })

  it('refreshes an expiring token exactly once for 50 concurrent requests, all of which get the new token', async () => {
    const app = await suite.appWith(allowTokens)
    const id = await connect(app, 'ana')
    const first = storedSecrets(app.raw, id)
    await untilExpiring()
    const refreshesBefore = suite.oauth.grants.refreshToken

    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        request(app.url).get(`/integrations/connections/${id}/token`).set('x-user', 'ana'),
      ),
    )
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200))
    expect(suite.oauth.grants.refreshToken - refreshesBefore).toBe(1)
    const tokens = new Set(responses.map((r) => (r.body as TokenBody).data.accessToken))
    expect(tokens.size).toBe(1)
    const [token] = [...tokens] as [string]
    expect(token).not.toBe(first?.accessToken)
    expect(token).toBe(suite.oauth.lastTokens()?.access_token)
    expect(await isActive(suite.oauth, token)).toBe(true)

    // Rotation: the new refresh token was stored with the new access token; the old one is dead.
    const now = storedSecrets(app.raw, id)
    expect(now?.refreshToken).toBe(suite.oauth.lastTokens()?.refresh_token)
    expect(now?.refreshToken).not.toBe(first?.refreshToken)
    const record = storedRecord(app.raw, id)
    expect(record.lastRefreshedAt).not.toBeNull()
    expect(record.lastUsedAt).not.toBeNull()
    expect(Date.parse(record.expiresAt ?? '')).toBeGreaterThan(Date.now())
    expect(app.events.filter((e) => e.type === 'connection.refreshed')).toHaveLength(1)
  })

  it('marks the connection needs_reauth when the grant is gone, and reauth brings the same id back', async () => {
    const app = await suite.appWith(allowTokens)
    const id = await connect(app, 'ana')
    const secrets = storedSecrets(app.raw, id)
    await revokeAtServer(suite.oauth, secrets?.refreshToken ?? '', 'refresh_token')
    await untilExpiring()

    const refused = await request(app.url).get(`/integrations/connections/${id}/token`).set('x-user', 'ana')
    expect(refused.status).toBe(409)
    expect(refused.body.error.code).toBe('conflict')
    expect(refused.body.error.message).toMatch(/re-authorization/)
    const connection = await app.router.connections.get('ana', id)
    expect(connection.status).toBe('needs_reauth')
    expect(connection.statusReason).toMatch(/invalid_grant/)
    expect(app.events.map((e) => e.type)).toContain('connection.refresh_failed')
    const providers = await request(app.url).get('/integrations/providers').set('x-user', 'ana')
    expect(providers.body.data[0].status).toBe('needs_reauth')

    // The user re-authorizes in their browser.
    const browser = browserAs(app, 'ana')
    const started = await browser.request(`${app.mount}/connections/${id}/reauth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: app.url },
      body: JSON.stringify({ returnUrl: '/settings' }),
    })
    expect(started.status).toBe(201)
    const { authorizationUrl } = (await json<{ data: { authorizationUrl: string } }>(started)).data
    const { callbackUrl } = await loginAndConsent(browser, authorizationUrl, 'ana')
    const back = await browser.request(callbackUrl)
    expect(new URL(back.headers.get('location') ?? '').searchParams.get('connection_id')).toBe(id)

    const after = await app.router.connections.get('ana', id)
    expect(after).toMatchObject({ id, status: 'active', statusReason: null, label: connection.label })
    expect(await app.router.connections.list('ana')).toHaveLength(1)
    const token = await request(app.url).get(`/integrations/connections/${id}/token`).set('x-user', 'ana')
    expect(token.status).toBe(200)
    expect(await isActive(suite.oauth, token.body.data.accessToken)).toBe(true)
    expect(app.events.map((e) => e.type)).toEqual([
      'connection.created',
      'connection.refresh_failed',
      'connection.reauthorized',
    ])
  })

  it.each([
    ['answers 500', 'error' as const],
    ['never answers', 'hang' as const],
    ['rejects the client credentials (invalid_client)', 'invalid_client' as const],
  ])('is a 502 when the token endpoint %s, with the connection left as it was', async (_name, mode) => {
    const proxy = await startSwitchableProxy(suite.oauth.tokenUrl)
    try {
      const app = await suite.appWith({
        ...allowTokens,
        providerTimeoutMs: 1000,
        logger: { warn: () => undefined, error: () => undefined },
        providers: [localProvider(suite.oauth, { tokenUrl: proxy.url })],
      })
      const id = await connect(app, 'ana')
      const before = storedSecrets(app.raw, id)
      await untilExpired()
      proxy.mode = mode
      const response = await request(app.url)
        .get(`/integrations/connections/${id}/token`)
        .set('x-user', 'ana')
      expect(response.status).toBe(502)
      expect(response.body.error.code).toBe('provider_error')
      expect(proxy.hits).toBeGreaterThan(1)
      expect((await app.router.connections.get('ana', id)).status).toBe('active')
      expect(storedSecrets(app.raw, id)).toEqual(before)
      // An outage is in the audit trail, but not announced as if the user had to reconnect.
      expect(app.events.map((e) => e.type)).not.toContain('connection.refresh_failed')
      const trail = await app.router.connections.audit('ana', { connectionId: id, limit: 1 })
      expect(trail.entries[0]).toMatchObject({ action: 'refresh_failed', outcome: 'failure' })

      proxy.mode = 'pass'
      // The failure backs this connection off for half a second to a second (refresh-backoff.ts).
      await sleep(1000)
      const recovered = await app.router.connections.getAccessToken('ana', id)
      expect(recovered.accessToken).not.toBe(before?.accessToken)
      expect(await isActive(suite.oauth, recovered.accessToken)).toBe(true)
    } finally {
      await proxy.close()
    }
  })
})

describe('connections.getAccessToken (server code)', () => {
  it('finds the connection by provider id and audits the caller as server', async () => {
    const app = await suite.appWith()
    const id = await connect(app, 'ana')
    const token = await app.router.connections.getAccessToken('ana', 'local')
    expect(token.accessToken).toBe(storedSecrets(app.raw, id)?.accessToken)
    const page = await app.router.connections.audit('ana', { connectionId: id })
    expect(page.entries[0]).toMatchObject({ action: 'token', actor: 'server' })
    await expect(app.router.connections.getAccessToken('bob', 'local')).rejects.toMatchObject({
      code: 'not_found',
    })
    await expect(app.router.connections.getAccessToken('bob', id)).rejects.toMatchObject({
      code: 'not_found',
    })
  })

  it('refuses to guess between two active connections of one provider', async () => {
    const app = await suite.appWith()
    await connect(app, 'ana', 'ana')
    await connect(app, 'ana', 'ana-work')
    await expect(app.router.connections.getAccessToken('ana', 'local')).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/name one by its id/),
    })
  })
})
