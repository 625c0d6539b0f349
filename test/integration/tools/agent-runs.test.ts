import request from 'supertest'
import { afterEach, describe, expect, it } from 'vitest'
import type { PolicyInput } from '../../../src/agents/policies.js'
import type { ToolDefinition } from '../../../src/providers/tool-definition.js'
import { bearer, bindPolicy, createAgent, owner, type TestAgent } from '../../support/agent-policy.js'
import {
  apiCalls,
  closeTrackerApps,
  connectTracker,
  startTrackerFake,
  type TrackerSetup,
} from '../../support/tool-fixture.js'

afterEach(closeTrackerApps)

type Rules = Omit<PolicyInput, 'connectionId' | 'agentId'>

/** Ana's tracker connection and an agent bound to it with `rules`. */
async function agentWith(rules: Rules): Promise<TrackerSetup & { agent: TestAgent }> {
  const setup = await connectTracker()
  const agent = await createAgent(setup.app)
  await bindPolicy(setup.app, agent, setup.id, rules)
  return { ...setup, agent }
}

const path = (id: string, rest = '') => `/integrations/connections/${id}/tools${rest}`

function runAs(s: TrackerSetup, key: string, slug: string, input: unknown, approvalId?: string) {
  const call = request(s.app.url)
    .post(path(s.id, `/${slug}/run`))
    .set(bearer(key))
    .send({ input })
  return approvalId ? call.set('x-approval-id', approvalId) : call
}

const writer: Rules = { defaultMode: 'read_write', stepUpApproval: 'never' }

describe('tool runs by agents', () => {
  it('refuses bad input with 422 invalid_input and JSON pointers, and sends nothing', async () => {
    const s = await agentWith(writer)
    const bad: Array<[unknown, string]> = [
      [{ project: 'acme' }, '/title'],
      [{ project: 'acme', title: 'x', extra: true }, '/extra'],
      [{ project: 'acme', title: 42 }, '/title'],
      [{ project: 'acme', title: 'x'.repeat(101) }, '/title'],
      [{ project: 'acme', title: 'x', labels: ['a', 'b', 'c', 'd', 'e', 'f'] }, '/labels'],
      [{ project: '../admin', title: 'x' }, '/project'],
      ['just text', ''],
      [[1, 2], ''],
    ]
    for (const [input, pointer] of bad) {
      const res = await runAs(s, s.agent.key, 'create_item', input)
      expect(res.status, JSON.stringify(input)).toBe(422)
      expect(res.body.error.code).toBe('invalid_input')
      expect(res.body.error.details.map((d: { pointer: string }) => d.pointer)).toContain(pointer)
    }
    const proto = await request(s.app.url)
      .post(path(s.id, '/create_item/run'))
      .set(bearer(s.agent.key))
      .set('content-type', 'application/json')
      .send('{"input":{"project":"acme","title":"x","__proto__":{"polluted":true}}}')
    expect(proto.status).toBe(422)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    const huge = await runAs(s, s.agent.key, 'create_item', {
      project: 'acme',
      title: 'x',
      body: 'y'.repeat(20_000),
    })
    expect([413, 422]).toContain(huge.status)
    // Input the schema lets through but that cannot make the request: a path segment `..`.
    const dots = await runAs(s, s.agent.key, 'delete_item', { project: '..', id: 8 })
    expect(dots.status).toBe(422)
    expect(dots.body.error.details).toEqual([expect.objectContaining({ pointer: '/project' })])
    expect(apiCalls(s.fake)).toHaveLength(0)
  })

  it('a read-only agent may read but not write: 403 policy_denied (mode), nothing sent', async () => {
    const s = await agentWith({ defaultMode: 'read_only' })
    const read = await runAs(s, s.agent.key, 'list_items', { project: 'acme' })
    expect(read.status, JSON.stringify(read.body)).toBe(200)
    const write = await runAs(s, s.agent.key, 'create_item', { project: 'acme', title: 'x' })
    expect(write.status).toBe(403)
    expect(write.body.error).toMatchObject({ code: 'policy_denied', details: [{ rule: 'mode' }] })
    expect(apiCalls(s.fake).map((c) => c.method)).toEqual(['GET'])
    const audit = (await request(s.app.url).get('/integrations/audit').set(owner)).body.data
    expect(audit).toContainEqual(expect.objectContaining({ rule: 'mode', agentId: s.agent.agent.id }))
    expect(audit).toContainEqual(
      expect.objectContaining({ action: 'tool', agentId: s.agent.agent.id, detail: 'tool list_items → 200' }),
    )
  })

  it('risk_based: a write waits for approval, runs once with x-approval-id, and only with the approved input', async () => {
    const s = await agentWith({ defaultMode: 'read_write', stepUpApproval: 'risk_based' })
    const input = { project: 'acme', title: 'Ship it' }
    const asked = await runAs(s, s.agent.key, 'create_item', input)
    expect(asked.status).toBe(202)
    const approval = asked.body.data.approval
    expect(approval).toMatchObject({ status: 'pending', request: { tool: 'create_item', method: 'POST' } })
    expect(JSON.stringify(approval)).not.toContain('Ship it')
    expect(apiCalls(s.fake)).toHaveLength(0)
    const byAgent = await request(s.app.url)
      .post(`/integrations/approvals/${approval.id}/approve`)
      .set(bearer(s.agent.key))
    expect(byAgent.status).toBe(403)
    expect(
      (await request(s.app.url).post(`/integrations/approvals/${approval.id}/approve`).set(owner)).status,
    ).toBe(200)

    const other = await runAs(
      s,
      s.agent.key,
      'create_item',
      { ...input, title: 'Something else' },
      approval.id,
    )
    expect(other.status).toBe(403)
    const again = await request(s.app.url).post(`/integrations/approvals/${approval.id}/approve`).set(owner)
    expect(again.status).toBe(409)
  })

  it('an approved run runs once; the second retry is refused', async () => {
    const s = await agentWith({ defaultMode: 'read_write', stepUpApproval: 'risk_based' })
    const input = { project: 'acme', title: 'Ship it' }
    const approval = (await runAs(s, s.agent.key, 'create_item', input)).body.data.approval
    await request(s.app.url).post(`/integrations/approvals/${approval.id}/approve`).set(owner)
    // The same input, keys in another order: the digest is over canonical JSON.
    const ran = await runAs(s, s.agent.key, 'create_item', { title: 'Ship it', project: 'acme' }, approval.id)
    expect(ran.status, JSON.stringify(ran.body)).toBe(200)
    expect(ran.body.data.output).toEqual({ id: 8, url: 'https://tracker.example/acme/8' })
    const twice = await runAs(s, s.agent.key, 'create_item', input, approval.id)
    expect(twice.status).toBe(403)
    expect(apiCalls(s.fake)).toHaveLength(1)
    const audit = (await request(s.app.url).get('/integrations/audit').set(owner)).body.data
    expect(audit).toContainEqual(
      expect.objectContaining({ action: 'tool', approvalId: approval.id, agentId: s.agent.agent.id }),
    )
  })

  it('a disabled tool is invisible to agents (404), and the allowlist narrows what they see', async () => {
    const s = await agentWith({ ...writer, allowlists: [{ tool: 'list_items' }, { tool: 'create_item' }] })
    await request(s.app.url).patch(path(s.id, '/create_item')).set(owner).send({ isEnabled: false })
    const listed = await request(s.app.url).get(path(s.id)).set(bearer(s.agent.key))
    expect(listed.status).toBe(200)
    expect(listed.body.data.map((t: { slug: string }) => t.slug)).toEqual(['list_items'])
    const disabled = await runAs(s, s.agent.key, 'create_item', { project: 'acme', title: 'x' })
    expect(disabled.status).toBe(404)
    const notAllowed = await runAs(s, s.agent.key, 'delete_item', { project: 'acme', id: 8 })
    expect(notAllowed.status).toBe(403)
    expect(notAllowed.body.error.details).toEqual([expect.objectContaining({ rule: 'allowlist' })])
    // The owner still sees all three, and gets 409 on the disabled one.
    expect((await request(s.app.url).get(path(s.id)).set(owner)).body.data).toHaveLength(3)
    const ownerRun = await request(s.app.url)
      .post(path(s.id, '/create_item/run'))
      .set(owner)
      .send({ input: { project: 'acme', title: 'x' } })
    expect(ownerRun.status).toBe(409)
    expect(apiCalls(s.fake)).toHaveLength(0)
  })

  it('an agent without a policy on the connection gets 404 for its tools, as for an unknown id', async () => {
    const s = await connectTracker()
    const stranger = await createAgent(s.app, 'Stranger')
    const unknown = await request(s.app.url)
      .get(path('00000000-0000-4000-8000-000000000000'))
      .set(bearer(stranger.key))
    expect(unknown.status).toBe(404)
    for (const res of [
      await request(s.app.url).get(path(s.id)).set(bearer(stranger.key)),
      await request(s.app.url).get(path('tracker')).set(bearer(stranger.key)),
      await runAs(s, stranger.key, 'list_items', { project: 'acme' }),
    ]) {
      expect(res.status).toBe(404)
      expect(res.body.error).toEqual(unknown.body.error)
    }
    // Once revoked, a bound agent's tools are gone too.
    const agent = await createAgent(s.app)
    await bindPolicy(s.app, agent, s.id, writer)
    expect((await runAs(s, agent.key, 'list_items', { project: 'acme' })).status).toBe(200)
    await request(s.app.url).post(`/integrations/connections/${s.id}/revoke`).set(owner).send({})
    expect((await runAs(s, agent.key, 'list_items', { project: 'acme' })).status).toBe(404)
    const ownerRun = await request(s.app.url)
      .post(path(s.id, '/list_items/run'))
      .set(owner)
      .send({ input: { project: 'acme' } })
    expect(ownerRun.status).toBe(409)
  })

  it('by default (no authorize hook) an agent’s policy is its grant, and a person’s run is refused', async () => {
    const s = await connectTracker({ authorize: undefined })
    const agent = await createAgent(s.app)
    await bindPolicy(s.app, agent, s.id, writer)
    expect((await runAs(s, agent.key, 'list_items', { project: 'acme' })).status).toBe(200)
    const person = await request(s.app.url)
      .post(path(s.id, '/list_items/run'))
      .set(owner)
      .send({ input: { project: 'acme' } })
    expect(person.status).toBe(403)
    // Listing is a read: a person may.
    expect((await request(s.app.url).get(path(s.id)).set(owner)).status).toBe(200)
    expect(apiCalls(s.fake)).toHaveLength(1)
  })

  it('counts runs against the policy’s rate limit: 429 with Retry-After, nothing sent', async () => {
    const s = await agentWith({ ...writer, rateLimits: [{ limit: 1, per: 'minute' }] })
    expect((await runAs(s, s.agent.key, 'list_items', { project: 'acme' })).status).toBe(200)
    const over = await runAs(s, s.agent.key, 'list_items', { project: 'acme' })
    expect(over.status).toBe(429)
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0)
    expect(apiCalls(s.fake)).toHaveLength(1)
  })

  it('provider constraints read the request the tool builds (Slack channels in a form body)', async () => {
    const postMessage: ToolDefinition = {
      slug: 'post_message',
      displayName: 'Post message',
      description: 'Post a message to a channel.',
      inputSchema: {
        type: 'object',
        properties: { channel: { type: 'string', maxLength: 20 }, text: { type: 'string', maxLength: 200 } },
        required: ['channel', 'text'],
        additionalProperties: false,
      },
      request: {
        method: 'POST',
        path: '/projects/acme/items',
        body: { format: 'form', fields: { channel: 'channel', text: 'text' } },
      },
      responseSchema: { type: 'object', properties: { id: { type: 'integer' } } },
      responseFieldMap: { id: 'id' },
      annotations: { readOnly: false },
      docsUrl: 'https://api.slack.com/methods/chat.postMessage',
    }
    const fake = await startTrackerFake()
    const s = await connectTracker({ fake, tools: [postMessage], family: 'slack' })
    const agent = await createAgent(s.app)
    await bindPolicy(s.app, agent, s.id, { ...writer, providerConstraints: { slack: { channels: ['C1'] } } })
    const allowed = await runAs(s, agent.key, 'post_message', { channel: 'C1', text: 'hi' })
    expect(allowed.status, JSON.stringify(allowed.body)).toBe(200)
    const other = await runAs(s, agent.key, 'post_message', { channel: 'C2', text: 'hi' })
    expect(other.status).toBe(403)
    expect(other.body.error.details).toEqual([expect.objectContaining({ rule: 'provider_constraint' })])
    expect(apiCalls(fake).map((c) => c.form.channel)).toEqual(['C1'])
  })
})
