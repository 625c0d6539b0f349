import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { bearer, bindPolicy, createAgent, owner, useEchoApi } from '../../support/agent-policy.js'
import { localProvider, type TestAppOptions } from '../../support/app.js'
import { sleep } from '../../support/as-client.js'
import { connect } from '../../support/flows.js'
import { useOAuthSuite } from '../../support/suite.js'

// Access tokens live 2 s, so a test can have an expiring one by waiting a second.
const suite = useOAuthSuite({ accessTokenTtl: 2 })

const echo = useEchoApi()

function appWithApi(options: TestAppOptions = {}) {
  return suite.appWith({ providers: [localProvider(suite.oauth, { apiBaseUrl: echo.url })], ...options })
}

const reached = echo.calls

describe('agent keys on token vending and the proxy', () => {
  it('answers 404 as for an unknown id: without a policy, on another owner’s connection, once revoked', async () => {
    const app = await appWithApi()
    const ana = await connect(app, 'ana')
    const bob = await connect(app, 'bob')
    const agent = await createAgent(app)
    const as = bearer(agent.key)
    const unknown = await request(app.url)
      .get('/integrations/connections/00000000-0000-4000-8000-000000000000/token')
      .set(as)
    expect(unknown.status).toBe(404)
    for (const id of [ana, bob]) {
      for (const res of [
        await request(app.url).get(`/integrations/connections/${id}/token`).set(as),
        await request(app.url).get(`/integrations/connections/${id}/proxy/me`).set(as),
      ]) {
        expect(res.status).toBe(404)
        expect(res.body.error).toEqual(unknown.body.error)
      }
    }
    // By provider id: no connection of it, or one without a policy, answer alike.
    const byProvider = await request(app.url).get('/integrations/connections/local/token').set(as)
    expect(byProvider.status).toBe(404)
    expect(byProvider.body.error).toEqual(unknown.body.error)
    const none = await appWithApi()
    const noneAgent = await createAgent(none)
    const noConnection = await request(none.url)
      .get('/integrations/connections/local/token')
      .set(bearer(noneAgent.key))
    expect(noConnection.body.error).toEqual(unknown.body.error)
    // A policy of Ana's on Bob's connection is no way in either.
    await bindPolicy(app, agent, bob, { allowedModels: ['A', 'B'] })
    expect((await request(app.url).get(`/integrations/connections/${bob}/proxy/me`).set(as)).status).toBe(404)

    await bindPolicy(app, agent, ana, {
      allowedModels: ['A', 'B'],
      defaultMode: 'read_write',
      stepUpApproval: 'never',
    })
    expect((await request(app.url).get(`/integrations/connections/${ana}/token`).set(as)).status).toBe(200)
    expect((await request(app.url).post(`/integrations/connections/${ana}/revoke`).set(owner)).status).toBe(
      200,
    )
    expect((await request(app.url).get(`/integrations/connections/${ana}/token`).set(as)).status).toBe(404)
    expect(reached('/me')).toBe(0)
  })

  it('lets a read-only agent GET through the proxy and refuses its POST with policy_denied, rule mode', async () => {
    const app = await appWithApi()
    const id = await connect(app, 'ana')
    const agent = await createAgent(app)
    const policy = await bindPolicy(app, agent, id, { defaultMode: 'read_only' })
    const read = await request(app.url)
      .get(`/integrations/connections/${id}/proxy/repos`)
      .set(bearer(agent.key))
    expect(read.status).toBe(200)
    const write = await request(app.url)
      .post(`/integrations/connections/${id}/proxy/repos`)
      .set(bearer(agent.key))
      .send({ name: 'x' })
    expect(write.status).toBe(403)
    expect(write.body.error).toMatchObject({ code: 'policy_denied', details: [{ rule: 'mode' }] })
    expect(echo.seen('/repos').map((r) => r.method)).toEqual(['GET'])
    // Model A is not in the default allowedModels: no token for this agent.
    const token = await request(app.url).get(`/integrations/connections/${id}/token`).set(bearer(agent.key))
    expect(token.body.error).toMatchObject({ code: 'policy_denied', details: [{ rule: 'allowed_models' }] })

    const trail = await request(app.url).get('/integrations/audit').set(owner)
    expect(trail.body.data).toContainEqual(
      expect.objectContaining({
        action: 'refused',
        rule: 'mode',
        policyId: policy.id,
        agentId: agent.agent.id,
      }),
    )
    expect(trail.body.data).toContainEqual(
      expect.objectContaining({ action: 'proxy', policyId: policy.id, actor: `agent:${agent.agent.id}` }),
    )
  })

  it('decides before the token is read: refused and pending calls never refresh an expiring token', async () => {
    const app = await appWithApi()
    const id = await connect(app, 'ana')
    const reader = await createAgent(app, 'Reader')
    await bindPolicy(app, reader, id, { defaultMode: 'read_only' })
    const writer = await createAgent(app, 'Writer')
    await bindPolicy(app, writer, id, { defaultMode: 'read_write', stepUpApproval: 'always' })
    await sleep(1100) // within the refresh window of its 2 s lifetime
    const refreshes = suite.oauth.grants.refreshToken
    const proxy = `/integrations/connections/${id}/proxy/expiring`
    const refused = [
      await request(app.url).get(`/integrations/connections/${id}/token`).set(bearer(reader.key)),
      await request(app.url).post(proxy).set(bearer(reader.key)).send({}),
      await request(app.url).get(proxy).set(bearer(writer.key)),
    ]
    expect(refused.map((r) => r.status)).toEqual([403, 403, 202])
    expect(suite.oauth.grants.refreshToken).toBe(refreshes)
    expect(reached('/expiring')).toBe(0)
    // The reader's GET is allowed: that one refreshes, so the token was indeed expiring.
    expect((await request(app.url).get(proxy).set(bearer(reader.key))).status).toBe(200)
    expect(suite.oauth.grants.refreshToken).toBe(refreshes + 1)
  })

  it('a host’s authorize still runs for agents: it can refuse what the policy allows', async () => {
    const app = await appWithApi({ authorize: ({ action, agent }) => !(agent && action === 'proxy') })
    const id = await connect(app, 'ana')
    const agent = await createAgent(app)
    await bindPolicy(app, agent, id, {
      allowedModels: ['A', 'B'],
      defaultMode: 'read_write',
      stepUpApproval: 'never',
    })
    const token = await request(app.url).get(`/integrations/connections/${id}/token`).set(bearer(agent.key))
    expect(token.status).toBe(200)
    expect(token.body.data.accessToken).toEqual(expect.any(String))
    const res = await request(app.url)
      .get(`/integrations/connections/${id}/proxy/repos`)
      .set(bearer(agent.key))
    expect(res.status).toBe(403)
    expect(res.body.error.code).toBe('forbidden')
  })

  it('reads the policy once per token hand-out (the gate takes the one found for the request), and again after a proxied body', async () => {
    const app = await appWithApi()
    const id = await connect(app, 'ana')
    const agent = await createAgent(app)
    await bindPolicy(app, agent, id, {
      allowedModels: ['A', 'B'],
      defaultMode: 'read_write',
      stepUpApproval: 'never',
    })
    const get = app.raw.get.bind(app.raw)
    const pairReads: string[] = []
    app.raw.get = (key: string) => {
      if (key.includes('policy-pair:')) pairReads.push(key)
      return get(key)
    }
    try {
      const token = await request(app.url).get(`/integrations/connections/${id}/token`).set(bearer(agent.key))
      expect(token.status).toBe(200)
      expect(pairReads).toHaveLength(1)
      pairReads.length = 0
      const proxied = await request(app.url)
        .get(`/integrations/connections/${id}/proxy/repos`)
        .set(bearer(agent.key))
      expect(proxied.status).toBe(200)
      expect(pairReads).toHaveLength(2)
    } finally {
      app.raw.get = get
    }
  })

  it('counts a policy of 3 per minute exactly: the 4th call is 429 with Retry-After and reaches nothing', async () => {
    const app = await appWithApi()
    const id = await connect(app, 'ana')
    const agent = await createAgent(app)
    await bindPolicy(app, agent, id, { rateLimits: [{ limit: 3, per: 'minute' }] })
    // Four calls inside one UTC minute: start a fresh one if this one is about to end.
    const second = new Date().getUTCSeconds()
    if (second >= 55) await new Promise((resolve) => setTimeout(resolve, (61 - second) * 1000))
    const call = () =>
      request(app.url).get(`/integrations/connections/${id}/proxy/limited`).set(bearer(agent.key))
    // A refused call does not count: a write under read-only is refused before the counter.
    await request(app.url)
      .post(`/integrations/connections/${id}/proxy/limited`)
      .set(bearer(agent.key))
      .send({})
    for (let i = 0; i < 3; i++) expect((await call()).status).toBe(200)
    const fourth = await call()
    expect(fourth.status).toBe(429)
    expect(fourth.body.error.code).toBe('rate_limited')
    expect(Number(fourth.headers['retry-after'])).toBeGreaterThanOrEqual(1)
    expect(Number(fourth.headers['retry-after'])).toBeLessThanOrEqual(60)
    expect(reached('/limited')).toBe(3)
  })
})
