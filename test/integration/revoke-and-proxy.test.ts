import { request as httpRequest } from 'node:http'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { localProvider, type TestApp, type TestAppOptions } from '../support/app.js'
import { isActive, replaceStoredSecrets, storedRecord, storedSecrets } from '../support/as-client.js'
import { connect } from '../support/flows.js'
import { startEchoApi } from '../support/http-fakes.js'
import { useOAuthSuite } from '../support/suite.js'

const suite = useOAuthSuite()
const allowAll: TestAppOptions = { authorize: () => true }

let echo: Awaited<ReturnType<typeof startEchoApi>>
beforeAll(async () => {
  echo = await startEchoApi()
})
afterAll(async () => {
  await echo.close()
})

/** The userinfo endpoint's path on the authorization server, which doubles as the provider's API. */
const userinfoPath = () => new URL(suite.oauth.userInfoUrl).pathname

function appWithApi(apiBaseUrl: string, options: TestAppOptions = {}) {
  return suite.appWith({
    ...allowAll,
    providers: [localProvider(suite.oauth, { apiBaseUrl })],
    ...options,
  })
}

/** Sends a path exactly as written: clients like fetch would normalise `..` before it left. */
function rawGet(app: TestApp, path: string, headers: Record<string, string> = {}): Promise<number> {
  const url = new URL(app.url)
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, path, method: 'GET', headers: { 'x-user': 'ana', ...headers } },
      (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      },
    )
    req.on('error', reject)
    req.end()
  })
}

describe('POST /connections/:id/revoke', () => {
  it('destroys the secrets, revokes at the provider, keeps a tombstone and audits it', async () => {
    const app = await suite.appWith(allowAll)
    const id = await connect(app, 'ana')
    const secrets = storedSecrets(app.raw, id)
    expect(await isActive(suite.oauth, secrets?.accessToken ?? '')).toBe(true)

    const response = await request(app.url)
      .post(`/integrations/connections/${id}/revoke`)
      .set('x-user', 'ana')
    expect(response.status).toBe(200)
    expect(response.body.data.connection).toMatchObject({ id, status: 'revoked' })
    const { auditId } = response.body.data

    expect(await isActive(suite.oauth, secrets?.accessToken ?? '')).toBe(false)
    expect(await isActive(suite.oauth, secrets?.refreshToken ?? '')).toBe(false)
    expect(storedRecord(app.raw, id).secrets).toBeNull()
    const raw = JSON.stringify([...app.raw.entries()])
    expect(raw).not.toContain(secrets?.accessToken)
    expect(raw).not.toContain(secrets?.refreshToken)

    const audit = await request(app.url).get(`/integrations/audit?connectionId=${id}`).set('x-user', 'ana')
    expect(audit.body.data[0]).toMatchObject({
      id: auditId,
      action: 'revoked',
      connectionId: id,
      actor: 'ana',
      outcome: 'success',
      detail: 'revoked at the provider',
    })
    expect(app.events.at(-1)?.type).toBe('connection.revoked')

    const list = await request(app.url).get('/integrations/connections').set('x-user', 'ana')
    expect(list.body.data).toEqual([])
    const tombstones = await request(app.url)
      .get('/integrations/connections?status=revoked')
      .set('x-user', 'ana')
    expect(tombstones.body.data.map((c: { id: string }) => c.id)).toEqual([id])
  })

  it('answers 409 for token, proxy, reauth and a second revoke afterwards', async () => {
    const app = await appWithApi(suite.oauth.issuer)
    const id = await connect(app, 'ana')
    await app.router.connections.revoke('ana', id)
    const agent = request(app.url)
    const responses = await Promise.all([
      agent.get(`/integrations/connections/${id}/token`).set('x-user', 'ana'),
      agent.get(`/integrations/connections/${id}/proxy${userinfoPath()}`).set('x-user', 'ana'),
      agent.post(`/integrations/connections/${id}/reauth`).set('x-user', 'ana').send({}),
      agent.post(`/integrations/connections/${id}/revoke`).set('x-user', 'ana'),
    ])
    expect(responses.map((r) => r.status)).toEqual([409, 409, 409, 409])
    expect(responses.map((r) => r.body.error.code)).toEqual(['conflict', 'conflict', 'conflict', 'conflict'])
  })

  it("is not found for another owner's connection, and is refused when authorize says no", async () => {
    const app = await suite.appWith({ authorize: ({ action }) => action !== 'revoke' })
    const id = await connect(app, 'ana')
    const other = await request(app.url)
      .post(`/integrations/connections/${id}/revoke`)
      .set('x-user', 'mallory')
    expect(other.status).toBe(404)
    const refused = await request(app.url).post(`/integrations/connections/${id}/revoke`).set('x-user', 'ana')
    expect(refused.status).toBe(403)
    expect((await app.router.connections.get('ana', id)).status).toBe('active')
  })
})

describe('ANY /connections/:id/proxy/*', () => {
  it("calls the provider's API with the connection's token and returns the account", async () => {
    const app = await appWithApi(suite.oauth.issuer)
    const id = await connect(app, 'ana')
    const response = await request(app.url)
      .get(`/integrations/connections/${id}/proxy${userinfoPath()}`)
      .set('x-user', 'ana')
    expect(response.status).toBe(200)
    expect(response.body).toMatchObject({ sub: 'ana', email: 'ana@example.com' })
    const audit = await app.router.connections.audit('ana', { connectionId: id, limit: 1 })
    expect(audit.entries[0]).toMatchObject({ action: 'proxy', detail: `GET ${userinfoPath()} → 200` })
  })

  it('is refused unless authorize allows the proxy action', async () => {
    const app = await suite.appWith({ providers: [localProvider(suite.oauth, { apiBaseUrl: echo.url })] })
    const id = await connect(app, 'ana')
    const before = echo.seen.length
    const response = await request(app.url)
      .get(`/integrations/connections/${id}/proxy/anything`)
      .set('x-user', 'ana')
    expect(response.status).toBe(403)
    expect(echo.seen.length).toBe(before)
  })

  it('forwards method, path, query, body and safe headers, and nothing of the caller’s credentials', async () => {
    const app = await appWithApi(`${echo.url}/v1`)
    const id = await connect(app, 'ana')
    const token = storedSecrets(app.raw, id)?.accessToken
    const response = await request(app.url)
      .post(`/integrations/connections/${id}/proxy/items/42?expand=owner&x=1`)
      .set('x-user', 'ana')
      .set('cookie', 'connections.sid=secret-session; host_session=abc')
      .set('authorization', 'Bearer host-api-key')
      .set('x-api-key', 'host-key')
      .set('content-type', 'application/json')
      .set('if-match', '"v1"')
      .send({ name: 'Widget' })
    expect(response.status).toBe(200)
    const seen = echo.seen.at(-1)
    expect(seen).toMatchObject({
      method: 'POST',
      url: '/v1/items/42?expand=owner&x=1',
      body: '{"name":"Widget"}',
    })
    expect(seen?.headers.authorization).toBe(`Bearer ${token}`)
    expect(seen?.headers['content-type']).toBe('application/json')
    expect(seen?.headers['if-match']).toBe('"v1"')
    expect(seen?.headers.cookie).toBeUndefined()
    expect(seen?.headers['x-api-key']).toBeUndefined()
    expect(seen?.headers['x-user']).toBeUndefined()
    for (const dropped of [
      'set-cookie',
      'x-provider',
      'access-control-allow-origin',
      'access-control-allow-credentials',
      'strict-transport-security',
      'clear-site-data',
      'location',
    ]) {
      expect(response.headers[dropped], dropped).toBeUndefined()
    }
    expect(response.headers).toMatchObject({
      'content-type': 'application/json',
      etag: '"e1"',
      'x-ratelimit-remaining': '41',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
    })
    expect(response.headers['content-disposition']).toBeUndefined()
  })

  it('serves anything but JSON as a download that cannot run on the host', async () => {
    const app = await appWithApi(echo.url)
    const id = await connect(app, 'ana')
    echo.contentType = 'text/html'
    try {
      const response = await request(app.url)
        .get(`/integrations/connections/${id}/proxy/file.html`)
        .set('x-user', 'ana')
      expect(response.status).toBe(200)
      expect(response.headers['content-disposition']).toBe('attachment')
      expect(response.headers['content-security-policy']).toBe("default-src 'none'; sandbox")
    } finally {
      echo.contentType = 'application/json'
    }
  })

  it('is refused for a page on another site, and for a proxy URL not written as sent', async () => {
    const app = await appWithApi(echo.url)
    const id = await connect(app, 'ana')
    const before = echo.seen.length
    expect(
      await rawGet(app, `/integrations/connections/${id}/proxy/x`, { 'sec-fetch-site': 'cross-site' }),
    ).toBe(403)
    expect(await rawGet(app, `/integrations/CONNECTIONS/${id}/PROXY/x`)).toBe(400)
    expect(echo.seen.length).toBe(before)
  })

  it('passes a 401 back without touching the status when there is no refresh token', async () => {
    const app = await appWithApi(echo.url)
    const id = await connect(app, 'ana')
    replaceStoredSecrets(app.raw, id, { refreshToken: null })
    echo.status = 401
    try {
      const response = await app.router.connections.fetch('ana', id, '/private')
      expect(response.status).toBe(401)
    } finally {
      echo.status = 200
    }
    expect((await app.router.connections.get('ana', id)).status).toBe('active')
  })

  it.each([
    '/../../etc/passwd',
    '/a/../../b',
    '/%2e%2e/%2e%2e/x',
    '/a%2fb',
    '/a%5cb',
    '//evil.example/x',
    '/@evil.example/x',
    '/http://evil.example/',
    '/./x',
    '/..;/x',
    '/a/%252e%252e/x',
    '/..%3b/x',
  ])('refuses the path escape %s with a 400, calling nobody', async (path) => {
    const app = await appWithApi(`${echo.url}/v1`)
    const id = await connect(app, 'ana')
    const before = echo.seen.length
    const status = await rawGet(app, `/integrations/connections/${id}/proxy${path}`)
    expect(status).toBe(400)
    expect(echo.seen.length).toBe(before)
  })

  it('allows @ further down the path, as in /users/@me', async () => {
    const app = await appWithApi(`${echo.url}/api`)
    const id = await connect(app, 'ana')
    const status = await rawGet(app, `/integrations/connections/${id}/proxy/users/@me`)
    expect(status).toBe(200)
    expect(echo.seen.at(-1)?.url).toBe('/api/users/@me')
  })

  it('refreshes once and retries once when the provider answers 401', async () => {
    const app = await appWithApi(suite.oauth.issuer)
    const id = await connect(app, 'ana')
    const old = storedSecrets(app.raw, id)
    // The provider no longer accepts the stored access token (rotated or revoked early on its side).
    replaceStoredSecrets(app.raw, id, { accessToken: 'invalidated-by-the-provider-CANARY' })
    const refreshes = suite.oauth.grants.refreshToken
    const response = await request(app.url)
      .get(`/integrations/connections/${id}/proxy${userinfoPath()}`)
      .set('x-user', 'ana')
    expect(response.status).toBe(200)
    expect(response.body.sub).toBe('ana')
    expect(suite.oauth.grants.refreshToken - refreshes).toBe(1)
    expect(storedSecrets(app.raw, id)?.accessToken).not.toBe(old?.accessToken)
  })

  it('passes a second 401 back instead of looping: one refresh, two calls', async () => {
    const app = await appWithApi(echo.url)
    const id = await connect(app, 'ana')
    const refreshes = suite.oauth.grants.refreshToken
    const calls = echo.seen.length
    echo.status = 401
    try {
      const response = await app.router.connections.fetch('ana', id, '/private')
      expect(response.status).toBe(401)
    } finally {
      echo.status = 200
    }
    expect(suite.oauth.grants.refreshToken - refreshes).toBe(1)
    expect(echo.seen.length - calls).toBe(2)
    expect((await app.router.connections.get('ana', id)).status).toBe('active')
  })
})

describe('connections.fetch (server code)', () => {
  it('calls the API by provider id and resolves with the provider’s response', async () => {
    const app = await appWithApi(suite.oauth.issuer)
    await connect(app, 'ana')
    const response = await app.router.connections.fetch('ana', 'local', userinfoPath(), {
      actor: 'agent:mail-bot',
    })
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ email: 'ana@example.com' })
    const audit = await app.router.connections.audit('ana', { limit: 1 })
    expect(audit.entries[0]).toMatchObject({ action: 'proxy', actor: 'agent:mail-bot' })
  })
})
