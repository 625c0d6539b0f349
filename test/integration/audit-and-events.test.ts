import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { storedSecrets } from '../support/as-client.js'
import { loginAndConsent } from '../support/browser-client.js'
import { browserAs, connect } from '../support/flows.js'
import { useOAuthSuite } from '../support/suite.js'

const suite = useOAuthSuite()

describe('GET /audit', () => {
  it('lists every change newest first, by page, and per connection', async () => {
    const app = await suite.appWith({ getActor: (req, owner) => req.get('x-actor') ?? owner })
    const first = await connect(app, 'ana', 'ana')
    const second = await connect(app, 'ana', 'ana-work')
    await request(app.url)
      .put(`/integrations/connections/${first}/label`)
      .set({ 'x-user': 'ana', 'x-actor': 'admin-console' })
      .send({ label: 'Home' })
    await request(app.url).post(`/integrations/connections/${second}/revoke`).set('x-user', 'ana')

    const all = await request(app.url).get('/integrations/audit').set('x-user', 'ana')
    expect(all.status).toBe(200)
    expect(all.body.data.map((e: { action: string }) => e.action)).toEqual([
      'revoked',
      'updated',
      'created',
      'created',
    ])
    expect(all.body.data[1]).toMatchObject({
      connectionId: first,
      actor: 'admin-console',
      outcome: 'success',
    })
    expect(all.body.nextCursor).toBeNull()

    const page1 = await request(app.url).get('/integrations/audit?limit=3').set('x-user', 'ana')
    expect(page1.body.data).toHaveLength(3)
    const page2 = await request(app.url)
      .get(`/integrations/audit?limit=3&cursor=${page1.body.nextCursor}`)
      .set('x-user', 'ana')
    expect(page2.body.data.map((e: { id: string }) => e.id)).toEqual([all.body.data[3].id])
    expect(page2.body.nextCursor).toBeNull()

    const one = await request(app.url).get(`/integrations/audit?connectionId=${first}`).set('x-user', 'ana')
    expect(one.body.data.map((e: { action: string }) => e.action)).toEqual(['updated', 'created'])

    const secrets = storedSecrets(app.raw, first)
    expect(all.text).not.toContain(secrets?.accessToken)
    expect(all.text).not.toContain(secrets?.refreshToken)
  })

  it("keeps owners apart: another owner's connectionId is not found, and their trail is their own", async () => {
    const app = await suite.appWith()
    const id = await connect(app, 'ana')
    const probe = await request(app.url)
      .get(`/integrations/audit?connectionId=${id}`)
      .set('x-user', 'mallory')
    expect(probe.status).toBe(404)
    const own = await request(app.url).get('/integrations/audit').set('x-user', 'mallory')
    expect(own.body.data).toEqual([])
    const anonymous = await request(app.url).get('/integrations/audit')
    expect(anonymous.status).toBe(401)
  })

  it('records token hand-outs once per connection, actor and tokenAuditIntervalMs, before the first; 0 records each', async () => {
    const app = await suite.appWith({ tokenAuditIntervalMs: 300, authorize: () => true })
    const id = await connect(app, 'ana')
    const tokenEntries = async () =>
      (await app.router.connections.audit('ana', { connectionId: id })).entries
        .filter((e) => e.action === 'token')
        .map((e) => e.actor)
    const vend = (actor: string) => app.router.connections.getAccessToken('ana', id, { actor })
    await Promise.all([vend('agent-1'), vend('agent-1')])
    await vend('agent-1')
    expect(await tokenEntries()).toEqual(['agent-1'])
    // Another actor gets an entry of its own, and so does the first once the interval has passed.
    await vend('agent-2')
    await new Promise((resolve) => setTimeout(resolve, 350))
    await vend('agent-1')
    expect(await tokenEntries()).toEqual(['agent-1', 'agent-2', 'agent-1'])
    // Over HTTP too, where the owner is the actor.
    await request(app.url).get(`/integrations/connections/${id}/token`).set('x-user', 'ana').expect(200)
    await request(app.url).get(`/integrations/connections/${id}/token`).set('x-user', 'ana').expect(200)
    expect((await tokenEntries()).filter((actor) => actor === 'ana')).toHaveLength(1)

    const strict = await suite.appWith({ tokenAuditIntervalMs: 0, authorize: () => true })
    const other = await connect(strict, 'ana')
    for (let i = 0; i < 3; i++)
      await strict.router.connections.getAccessToken('ana', other, { actor: 'agent-1' })
    const entries = (await strict.router.connections.audit('ana', { connectionId: other })).entries
    expect(entries.filter((e) => e.action === 'token')).toHaveLength(3)
  })

  it.each([
    ['limit=0', 'limit'],
    ['limit=1000', 'limit'],
    ['cursor=abc', 'cursor'],
    ['connectionId=nope', 'connectionId'],
  ])('refuses %s with a 400', async (query, field) => {
    const app = await suite.appWith()
    const response = await request(app.url).get(`/integrations/audit?${query}`).set('x-user', 'ana')
    expect(response.status).toBe(400)
    expect(response.body.error.message).toContain(field)
  })
})

describe('the event hook', () => {
  it('cannot break a request by throwing, and is reported through the logger', async () => {
    const warnings: string[] = []
    const app = await suite.appWith({
      onEvent: () => {
        throw new Error('hook exploded with secret-ish text')
      },
      logger: {
        warn: (message, meta) => warnings.push(`${message} ${JSON.stringify(meta)}`),
        error: () => undefined,
      },
    })
    const id = await connect(app, 'ana')
    expect((await app.router.connections.get('ana', id)).status).toBe('active')
    await new Promise((resolve) => setImmediate(resolve))
    expect(warnings.join('\n')).toMatch(/onEvent failed/)
    expect(warnings.join('\n')).not.toMatch(/secret-ish/)
  })

  it('receives the public connection only', async () => {
    const app = await suite.appWith()
    const id = await connect(app, 'ana')
    const secrets = storedSecrets(app.raw, id)
    const events = JSON.stringify(app.events)
    expect(events).toContain(id)
    expect(events).not.toContain(secrets?.accessToken)
    expect(events).not.toContain(secrets?.refreshToken)
    expect(events).not.toContain(suite.oauth.clientSecret)
  })
})

describe('connections.start and .reauth (server code)', () => {
  it('makes a link that completes for the same owner, in a browser where the host identifies them', async () => {
    const app = await suite.appWith({ baseUrl: 'http://placeholder.invalid', mountPath: '/integrations' })
    const link = await app.router.connections.start('ana', { provider: 'local', label: 'From the agent' })
    const authorizationUrl = new URL(link.authorizationUrl)
    expect(authorizationUrl.searchParams.get('redirect_uri')).toBe(
      'http://placeholder.invalid/integrations/callback/local',
    )
    // The test app is not at placeholder.invalid: point the provider's redirect back at it.
    suite.oauth.setRedirectUris(['http://placeholder.invalid/integrations/callback/local'])
    const browser = browserAs(app, 'ana')
    const { callbackUrl } = await loginAndConsent(browser, link.authorizationUrl, 'ana')
    const local = new URL(callbackUrl)
    const response = await browser.request(`${app.mount}/callback/local${local.search}`)
    expect(response.status).toBe(200)
    const [connection] = await app.router.connections.list('ana')
    expect(connection).toMatchObject({ label: 'From the agent', status: 'active' })

    const reauth = await app.router.connections.reauth('ana', connection?.id ?? '')
    expect(reauth.pendingConnectionId).toMatch(/^[0-9a-f-]{36}$/)
    await expect(app.router.connections.reauth('bob', connection?.id ?? '')).rejects.toMatchObject({
      code: 'not_found',
    })
  })

  it('says what is missing when there is no baseUrl to build the callback from', async () => {
    const app = await suite.appWith()
    await expect(app.router.connections.start('ana', { provider: 'local' })).rejects.toThrow(/baseUrl/)
  })
})

describe('reauth with another account', () => {
  it('is refused, and the connection keeps its account and tokens', async () => {
    const app = await suite.appWith()
    const id = await connect(app, 'ana')
    const before = storedSecrets(app.raw, id)
    const browser = browserAs(app, 'ana')
    const started = await browser.request(`${app.mount}/connections/${id}/reauth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: app.url },
      body: JSON.stringify({ returnUrl: '/settings' }),
    })
    const { authorizationUrl } = ((await started.json()) as { data: { authorizationUrl: string } }).data
    const { callbackUrl } = await loginAndConsent(browser, authorizationUrl, 'bob')
    const back = await browser.request(callbackUrl)
    const landing = new URL(back.headers.get('location') ?? '')
    expect(landing.searchParams.get('error')).toBe('conflict')
    expect(landing.searchParams.get('error_description')).toMatch(/another .* account/)
    expect(await app.router.connections.get('ana', id)).toMatchObject({ accountId: 'ana', status: 'active' })
    expect(storedSecrets(app.raw, id)).toEqual(before)
  })
})
