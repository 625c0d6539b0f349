import request from 'supertest'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { providers } from '../../../src/index.js'
import { localProvider, startTestApp, type TestApp, type TestAppOptions } from '../../support/app.js'
import { loginAndConsent } from '../../support/browser-client.js'
import { authorizeIn, browserAs, connect } from '../../support/flows.js'
import { type OAuthServer, startOAuthServer } from '../../support/oauth-server.js'

let oauth: OAuthServer
let app: TestApp
beforeAll(async () => {
  oauth = await startOAuthServer()
})
afterEach(async () => {
  await app?.close()
})
afterAll(async () => {
  await oauth.close()
})

const ana = { 'x-user': 'ana' }
const bearer = (key: string) => ({ authorization: `Bearer ${key}` })

/** A vendor API key (no constraint family) and a bot of the Telegram family, checked with no network. */
function policiesApp(options: TestAppOptions = {}): Promise<TestApp> {
  return startTestApp(oauth, {
    providers: [
      localProvider(oauth),
      providers.apiKey({ id: 'vendor', validate: async () => ({ accountId: 'acct-1' }) }),
      providers.credentials({
        id: 'chatbot',
        name: 'Chat bot',
        family: 'telegram',
        fields: { botToken: { label: 'Bot token' } },
        check: async ({ botToken = '' }) => ({
          accountId: 'bot-1',
          credential: { accessToken: botToken, tokenType: 'Bot' },
        }),
      }),
    ],
    ...options,
  })
}

async function createAgent(
  name = 'Support bot',
): Promise<{ agent: { id: string; name: string }; key: string }> {
  const res = await request(app.url).post('/integrations/agents').set(ana).send({ name })
  expect(res.status).toBe(201)
  return res.body.data
}

async function credentialsConnection(provider = 'vendor', as = ana): Promise<string> {
  const credentials = provider === 'vendor' ? { apiKey: `key-${Math.random()}` } : { botToken: '1234:bot' }
  const res = await request(app.url).post('/integrations/connections').set(as).send({ provider, credentials })
  expect(res.status).toBe(201)
  return res.body.data.id
}

const postPolicy = (body: object, as: Record<string, string> = ana) =>
  request(app.url).post('/integrations/policies').set(as).send(body)

describe('/policies', () => {
  it('creates a policy with the documented defaults, lists, reads, replaces and deletes it', async () => {
    app = await policiesApp()
    const { agent } = await createAgent()
    const connectionId = await credentialsConnection()
    const created = await postPolicy({ connectionId, agentId: agent.id, defaultMode: 'read_write' })
    expect(created.status).toBe(201)
    const policy = created.body.data
    expect(policy).toMatchObject({
      connectionId,
      agentId: agent.id,
      agentName: 'Support bot',
      defaultMode: 'read_write',
      stepUpApproval: 'risk_based',
      allowedModels: ['B'],
      allowlists: [],
      rateLimits: null,
      timeWindows: [],
      providerConstraints: {},
    })
    const list = (query: string) => request(app.url).get(`/integrations/policies${query}`).set(ana)
    expect((await list('')).body.data).toEqual([policy])
    expect((await list(`?connectionId=${connectionId}`)).body.data).toEqual([policy])
    expect((await list(`?agentId=${agent.id}`)).body.data).toEqual([policy])
    expect((await list('?agentId=someone-else')).body.data).toEqual([])
    expect((await request(app.url).get('/integrations/policies').set({ 'x-user': 'bob' })).body.data).toEqual(
      [],
    )
    expect((await request(app.url).get(`/integrations/policies/${policy.id}`).set(ana)).body.data).toEqual(
      policy,
    )

    const second = await postPolicy({ connectionId, agentId: agent.id })
    expect(second.status).toBe(409)

    const replaced = await request(app.url)
      .put(`/integrations/policies/${policy.id}`)
      .set(ana)
      .send({ stepUpApproval: 'never', rateLimits: [{ limit: 60, per: 'minute' }] })
    expect(replaced.status).toBe(200)
    expect(replaced.body.data).toMatchObject({
      id: policy.id,
      connectionId,
      defaultMode: 'read_only', // replaced whole: an absent rule takes its default
      stepUpApproval: 'never',
      rateLimits: [{ limit: 60, per: 'minute' }],
    })

    const gone = await request(app.url).delete(`/integrations/policies/${policy.id}`).set(ana)
    expect(gone.status).toBe(200)
    expect((await request(app.url).get(`/integrations/policies/${policy.id}`).set(ana)).status).toBe(404)
    expect((await postPolicy({ connectionId, agentId: agent.id })).status).toBe(201)

    const changes = app.events.filter((e) => e.type.startsWith('policy.'))
    expect(changes.map((e) => e.type)).toEqual([
      'policy.created',
      'policy.updated',
      'policy.deleted',
      'policy.created',
    ])
    expect(changes[0]).toMatchObject({
      owner: 'ana',
      policy: { id: policy.id, connectionId, agentId: agent.id },
    })
    expect(Object.keys((changes[1] as unknown as { policy: object }).policy).sort()).toEqual([
      'agentId',
      'connectionId',
      'id',
    ])
    const audit = (await request(app.url).get('/integrations/audit').set(ana)).body.data
    const entries = audit.filter((e: { action: string }) => e.action.startsWith('policy_'))
    expect(entries.map((e: { action: string }) => e.action).reverse()).toEqual([
      'policy_created',
      'policy_updated',
      'policy_deleted',
      'policy_created',
    ])
    expect(entries.at(-1)).toMatchObject({
      policyId: policy.id,
      agentId: agent.id,
      connectionId,
      actor: 'ana',
    })
    expect(JSON.stringify(entries)).not.toContain('rateLimits')
  })

  it('refuses an agent key on every /policies endpoint (403)', async () => {
    app = await policiesApp()
    const { agent, key } = await createAgent()
    const connectionId = await credentialsConnection()
    const { id } = (await postPolicy({ connectionId, agentId: agent.id })).body.data
    const as = bearer(key)
    const calls = [
      request(app.url).get('/integrations/policies').set(as),
      request(app.url).post('/integrations/policies').set(as).send({ connectionId, agentId: agent.id }),
      request(app.url).get(`/integrations/policies/${id}`).set(as),
      request(app.url).put(`/integrations/policies/${id}`).set(as).send({ defaultMode: 'read_write' }),
      request(app.url).put(`/integrations/policies/${id}/provider-constraints`).set(as).send({}),
      request(app.url).delete(`/integrations/policies/${id}`).set(as),
    ]
    for (const res of await Promise.all(calls)) {
      expect(res.status).toBe(403)
      expect(res.body.error.code).toBe('forbidden')
    }
    expect((await request(app.url).get(`/integrations/policies/${id}`).set(ana)).body.data.defaultMode).toBe(
      'read_only',
    )
  })

  it("refuses another owner's connection or agent (404), a revoked connection (409) and a misspelt rule (400)", async () => {
    app = await policiesApp()
    const { agent } = await createAgent()
    const mine = await credentialsConnection()
    const bobs = await credentialsConnection('vendor', { 'x-user': 'bob' })
    expect((await postPolicy({ connectionId: bobs, agentId: agent.id })).status).toBe(404)
    const bobAgent = await request(app.url)
      .post('/integrations/agents')
      .set({ 'x-user': 'bob' })
      .send({ name: 'b' })
    expect((await postPolicy({ connectionId: mine, agentId: bobAgent.body.data.agent.id })).status).toBe(404)
    const misspelt = await postPolicy({ connectionId: mine, agentId: agent.id, defaultmode: 'read_write' })
    expect(misspelt.status).toBe(400)
    expect((await postPolicy({ connectionId: mine, agentId: agent.id, allowedModels: ['C'] })).status).toBe(
      400,
    )
    const revoked = await credentialsConnection()
    expect((await request(app.url).post(`/integrations/connections/${revoked}/revoke`).set(ana)).status).toBe(
      200,
    )
    const onRevoked = await postPolicy({ connectionId: revoked, agentId: agent.id })
    expect(onRevoked.status).toBe(409)
    expect((await request(app.url).get('/integrations/policies').set(ana)).body.data).toEqual([])
  })

  it("takes provider constraints of the connection's own family only (400 for another)", async () => {
    app = await policiesApp()
    const { agent } = await createAgent()
    const vendor = await credentialsConnection()
    const bot = await credentialsConnection('chatbot')
    const telegram = { telegram: { chatIds: [42] } }
    const refused = await postPolicy({
      connectionId: vendor,
      agentId: agent.id,
      providerConstraints: telegram,
    })
    expect(refused.status).toBe(400)
    expect(JSON.stringify(refused.body.error.details)).toContain('providerConstraints')
    const slackOnBot = await postPolicy({
      connectionId: bot,
      agentId: agent.id,
      providerConstraints: { slack: { channels: ['C1'] } },
    })
    expect(slackOnBot.status).toBe(400)
    const ok = await postPolicy({ connectionId: bot, agentId: agent.id, providerConstraints: telegram })
    expect(ok.status).toBe(201)
    const constraints = `/integrations/policies/${ok.body.data.id}/provider-constraints`
    const replaced = await request(app.url)
      .put(constraints)
      .set(ana)
      .send({ telegram: { chatIds: [-100, '@news'] } })
    expect(replaced.status).toBe(200)
    expect(replaced.body.data.providerConstraints).toEqual({ telegram: { chatIds: [-100, '@news'] } })
    expect(
      (
        await request(app.url)
          .put(constraints)
          .set(ana)
          .send({ teams: { teamIds: ['t'] } })
      ).status,
    ).toBe(400)
    expect(
      (
        await request(app.url)
          .put(constraints)
          .set(ana)
          .send({ telegram: { chatId: [1] } })
      ).status,
    ).toBe(400)
  })

  it('shows each connection its policies on GET /connections and GET /connections/:id', async () => {
    app = await policiesApp()
    const { agent } = await createAgent('one')
    const other = await createAgent('two')
    const first = await credentialsConnection()
    const second = await credentialsConnection('chatbot')
    const p1 = (await postPolicy({ connectionId: first, agentId: agent.id })).body.data
    const p2 = (await postPolicy({ connectionId: first, agentId: other.agent.id })).body.data
    const rows = (await request(app.url).get('/integrations/connections').set(ana)).body.data
    const byId = Object.fromEntries(
      rows.map((row: { id: string; policies: unknown }) => [row.id, row.policies]),
    )
    expect(byId[first]).toEqual(expect.arrayContaining([p1, p2]))
    expect(byId[first]).toHaveLength(2)
    expect(byId[second]).toEqual([])
    const one = await request(app.url).get(`/integrations/connections/${first}`).set(ana)
    expect(one.body.data.policies).toHaveLength(2)
  })

  it('deleting an agent leaves no policy of it behind', async () => {
    app = await policiesApp()
    const { agent } = await createAgent('doomed')
    const kept = await createAgent('kept')
    const connectionId = await credentialsConnection()
    await postPolicy({ connectionId, agentId: agent.id })
    const keptPolicy = (await postPolicy({ connectionId, agentId: kept.agent.id })).body.data
    expect((await request(app.url).delete(`/integrations/agents/${agent.id}`).set(ana)).status).toBe(200)
    expect((await request(app.url).get('/integrations/policies').set(ana)).body.data).toEqual([keptPolicy])
    // Only the audit trail still names it: no policy record, no pair key.
    const live = [...app.raw.values()].filter((value) => !String(value).includes('"action"'))
    expect(JSON.stringify(live)).not.toContain(agent.id)
    const audit = (await request(app.url).get('/integrations/audit').set(ana)).body.data
    expect(audit[0]).toMatchObject({ action: 'policy_deleted', agentId: agent.id })
  })

  it('with getAgent, takes any agent id together with its agentName', async () => {
    app = await policiesApp({ getAgent: () => null })
    const connectionId = await credentialsConnection()
    const nameless = await postPolicy({ connectionId, agentId: 'host-agent-7' })
    expect(nameless.status).toBe(400)
    const named = await postPolicy({ connectionId, agentId: 'host-agent-7', agentName: 'Billing agent' })
    expect(named.status).toBe(201)
    expect(named.body.data).toMatchObject({ agentId: 'host-agent-7', agentName: 'Billing agent' })
  })

  it('from server code: router.connections.policies validates like HTTP', async () => {
    app = await policiesApp()
    const { agent } = await createAgent()
    const connectionId = await credentialsConnection()
    const api = app.router.connections.policies
    const created = await api.create('ana', { connectionId, agentId: agent.id, allowedModels: ['A', 'B'] })
    expect(await api.list('ana', { agentId: agent.id })).toEqual([created])
    await expect(
      api.create('ana', { connectionId, agentId: agent.id, defaultMode: 'nope' as never }),
    ).rejects.toMatchObject({
      code: 'invalid_request',
    })
    await expect(api.get('bob', created.id)).rejects.toMatchObject({ code: 'not_found' })
    await api.remove('ana', created.id)
    expect(await api.list('ana')).toEqual([])
  })
})

describe('agentId and allowedModels on connect and start', () => {
  it('binds the agent when the connect flow completes; reauth keeps the policy', async () => {
    app = await policiesApp()
    const { agent } = await createAgent()
    const browser = browserAs(app, 'ana')
    const callbackUrl = await authorizeIn(browser, app, 'ana', `?agentId=${agent.id}&allowedModels=A,B`)
    const done = await browser.request(callbackUrl)
    expect(done.status).toBe(200)
    const connectionId = ((await done.json()) as { data: { id: string } }).data.id
    const [policy] = (
      await request(app.url).get(`/integrations/policies?connectionId=${connectionId}`).set(ana)
    ).body.data
    expect(policy).toMatchObject({ agentId: agent.id, agentName: 'Support bot', allowedModels: ['A', 'B'] })
    expect(policy.defaultMode).toBe('read_only')

    const started = await browser.request(`${app.mount}/connections/${connectionId}/reauth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: app.url },
      body: JSON.stringify({}),
    })
    const { authorizationUrl } = ((await started.json()) as { data: { authorizationUrl: string } }).data
    const back = await browser.request((await loginAndConsent(browser, authorizationUrl, 'ana')).callbackUrl)
    expect(back.status).toBe(200)
    expect((await request(app.url).get('/integrations/policies').set(ana)).body.data).toEqual([policy])
  })

  it('binds with the default ["B"] from POST /connections/start', async () => {
    app = await policiesApp()
    const { agent } = await createAgent()
    const started = await request(app.url)
      .post('/integrations/connections/start')
      .set(ana)
      .send({ provider: 'local', agentId: agent.id })
    expect(started.status).toBe(201)
    const browser = browserAs(app, 'ana')
    const { callbackUrl } = await loginAndConsent(browser, started.body.data.authorizationUrl, 'ana')
    const done = await browser.request(callbackUrl)
    expect(done.status).toBe(200)
    const [policy] = (await request(app.url).get('/integrations/policies').set(ana)).body.data
    expect(policy).toMatchObject({ agentId: agent.id, allowedModels: ['B'] })
  })

  it('carries agentId and allowedModels from server code into the sealed flow', async () => {
    app = await policiesApp({ baseUrl: 'http://127.0.0.1', mountPath: '/integrations' })
    const { agent } = await createAgent()
    const api = app.router.connections
    await expect(api.start('ana', { provider: 'local', agentId: 'not-an-agent' })).rejects.toMatchObject({
      code: 'not_found',
    })
    await expect(api.start('ana', { provider: 'local', allowedModels: ['A'] })).rejects.toMatchObject({
      code: 'invalid_request',
    })
    const models = ['C'] as unknown as Array<'A'>
    await expect(
      api.start('ana', { provider: 'local', agentId: agent.id, allowedModels: models }),
    ).rejects.toMatchObject({
      code: 'invalid_request',
    })
    const link = await api.start('ana', { provider: 'local', agentId: agent.id, allowedModels: ['A'] })
    expect(link.authorizationUrl).toContain('state=')
    const flows = [...app.raw.values()].filter((v) => typeof v === 'string' && v.includes('"verifier"'))
    expect(flows.join()).toContain(
      `"grant":{"agentId":"${agent.id}","agentName":"Support bot","allowedModels":["A"]}`,
    )
  })

  it('refuses an unknown agent (404), models without an agent (400) and an agent key (403), opening no flow', async () => {
    app = await policiesApp()
    const { key } = await createAgent()
    const start = (body: object, as: Record<string, string> = ana) =>
      request(app.url).post('/integrations/connections/start').set(as).send(body)
    expect((await start({ provider: 'local', agentId: '00000000-0000-4000-8000-000000000000' })).status).toBe(
      404,
    )
    expect((await start({ provider: 'local', allowedModels: ['A'] })).status).toBe(400)
    expect((await start({ provider: 'local', agentId: 'x', allowedModels: ['C'] })).status).toBe(400)
    expect((await start({ provider: 'local', agentId: 'x' }, bearer(key))).status).toBe(403)
    const connect = await request(app.url).get('/integrations/connect/local?allowedModels=A').set(ana)
    expect(connect.status).toBe(400)
    expect([...app.raw.keys()].filter((k) => k.includes('flow:'))).toEqual([])
  })

  it('refuses a host agent (getAgent) naming an agent for the connection it starts', async () => {
    app = await policiesApp({
      getAgent: (req) => (req.get('x-agent') ? { id: 'a1', name: 'Host agent' } : null),
    })
    const res = await request(app.url)
      .post('/integrations/connections/start')
      .set({ ...ana, 'x-agent': 'yes' })
      .send({ provider: 'local', agentId: 'a1' })
    expect(res.status).toBe(403)
  })

  it('does not complete a flow whose grant was changed in the store: it is sealed with the flow', async () => {
    app = await policiesApp()
    const { agent } = await createAgent('granted')
    const other = await createAgent('sneaky')
    const browser = browserAs(app, 'ana')
    const callbackUrl = await authorizeIn(browser, app, 'ana', `?agentId=${agent.id}`)
    for (const [key, value] of app.raw) {
      if (typeof value === 'string' && value.includes(agent.id) && value.includes('"grant"'))
        app.raw.set(key, value.replaceAll(agent.id, other.agent.id))
    }
    const done = await browser.request(callbackUrl)
    expect(done.status).not.toBe(200)
    expect((await request(app.url).get('/integrations/policies').set(ana)).body.data).toEqual([])
    expect((await request(app.url).get('/integrations/connections').set(ana)).body.data).toEqual([])
  })

  it('a revoked connection keeps its policies, inert: listed on the revoked row, never taken for a new one', async () => {
    app = await policiesApp()
    const { agent } = await createAgent()
    const id = await connect(app, 'ana')
    const policy = (await postPolicy({ connectionId: id, agentId: agent.id })).body.data
    expect((await request(app.url).post(`/integrations/connections/${id}/revoke`).set(ana)).status).toBe(200)
    const row = await request(app.url).get(`/integrations/connections/${id}`).set(ana)
    expect(row.body.data).toMatchObject({ status: 'revoked', policies: [policy] })
    expect((await request(app.url).put(`/integrations/policies/${policy.id}`).set(ana).send({})).status).toBe(
      200,
    )
  })
})
