import { McpError } from '@modelcontextprotocol/sdk/types.js'
import request from 'supertest'
import { afterEach, describe, expect, it } from 'vitest'
import type { PolicyInput } from '../../../src/agents/policies.js'
import { bearer, bindPolicy, createAgent, owner, type TestAgent } from '../../support/agent-policy.js'
import { type FakeProvider, startFakeProvider } from '../../support/fake-provider.js'
import { mcpClient } from '../../support/mcp-agent.js'
import { connectThroughFake } from '../../support/preset-flow.js'
import { apiCalls, closeTrackerApps, connectTracker, type TrackerSetup } from '../../support/tool-fixture.js'

const fakes: FakeProvider[] = []
afterEach(async () => {
  await closeTrackerApps()
  await Promise.all(fakes.splice(0).map((fake) => fake.close()))
})

type Rules = Omit<PolicyInput, 'connectionId' | 'agentId'>
type Setup = TrackerSetup & { agent: TestAgent; mount: string }

const writer: Rules = { defaultMode: 'read_write', stepUpApproval: 'never' }

/** Ana's tracker connection on a router with `/mcp` on, and an agent bound to it with `rules`. */
async function agentWith(rules: Rules, fake?: FakeProvider): Promise<Setup> {
  const setup = await connectTracker({ mcp: true, ...(fake ? { fake } : {}) })
  const agent = await createAgent(setup.app)
  await bindPolicy(setup.app, agent, setup.id, rules)
  return { ...setup, agent, mount: `${setup.app.url}/integrations` }
}

async function approve(s: Setup, id: string): Promise<void> {
  const res = await request(s.app.url).post(`/integrations/approvals/${id}/approve`).set(owner)
  expect(res.status).toBe(200)
}

const create = { project: 'acme', title: 'From MCP' }

describe('/mcp tools/list', () => {
  it('lists the enabled tools of the agent’s connections: merged schemas, hints, output schemas', async () => {
    const s = await agentWith(writer)
    await request(s.app.url)
      .patch(`/integrations/connections/${s.id}/tools/create_item`)
      .set(owner)
      .send({ inputDefaults: { project: 'acme' }, pinnedFields: ['project'] })
    await request(s.app.url)
      .patch(`/integrations/connections/${s.id}/tools/delete_item`)
      .set(owner)
      .send({ isEnabled: false })
    const client = await mcpClient(s.mount, s.agent.key)
    const { tools } = await client.listTools()
    expect(tools.map((t) => t.name)).toEqual(['tracker__list_items', 'tracker__create_item'])
    const http = await request(s.app.url)
      .get(`/integrations/connections/${s.id}/tools`)
      .set(bearer(s.agent.key))
    const [list, make] = tools
    expect(make?.inputSchema).toEqual(http.body.data[1].mergedInputPreview)
    expect(list?.inputSchema).toEqual(http.body.data[0].mergedInputPreview)
    expect(make?.inputSchema.properties).not.toHaveProperty('project')
    expect(make?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false })
    expect(list?.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false })
    expect(make?.outputSchema).toEqual({ type: 'object', properties: { id: {}, url: {} } })
    expect(make).toMatchObject({ title: 'Create item', description: 'Create an item in a project.' })
    await client.close()
  })

  it('marks destructive tools, and names tools apart when the agent has two connections to one provider', async () => {
    let accounts = 0
    // A second account of the same provider (the same one again would replace the first connection).
    const fake = await startFakeProvider({
      token: () => ({ access_token: 'tk', token_type: 'Bearer', expires_in: 3600, scope: 'items' }),
      userInfo: () => ({ sub: `u-${++accounts}` }),
    })
    fakes.push(fake)
    const s = await agentWith(writer, fake)
    const second = await connectThroughFake(s.provider, s.fake, { app: s.app })
    await bindPolicy(s.app, s.agent, second.connection.id, writer)
    const client = await mcpClient(s.mount, s.agent.key)
    const { tools } = await client.listTools()
    const tag = (id: string) => id.replaceAll('-', '').slice(0, 8)
    expect(tools.map((t) => t.name).sort()).toEqual(
      [s.id, second.connection.id]
        .flatMap((id) => ['list_items', 'create_item', 'delete_item'].map((t) => `tracker_${tag(id)}__${t}`))
        .sort(),
    )
    for (const tool of tools) expect(tool.name).toMatch(/^[A-Za-z0-9_.-]{1,64}$/)
    const remove = tools.find((t) => t.name.endsWith('__delete_item'))
    expect(remove?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true })
    await client.close()
  })

  it('shows nothing of another owner’s connections to an agent of theirs', async () => {
    const s = await agentWith(writer)
    const bobs = await createAgent(s.app, 'Bob’s bot', { 'x-user': 'bob' })
    const client = await mcpClient(s.mount, bobs.key)
    expect((await client.listTools()).tools).toEqual([])
    await expect(client.callTool({ name: 'tracker__create_item', arguments: create })).rejects.toThrow(
      /Unknown tool/,
    )
    // Interleaved with Ana's agent on the same instance (servers are pooled): each sees its own.
    const anas = await mcpClient(s.mount, s.agent.key)
    const lists = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? client : anas).listTools()))
    expect(lists.map((l) => l.tools.length)).toEqual([3, 0, 3, 0, 3, 0, 3, 0, 3, 0])
    expect(apiCalls(s.fake)).toHaveLength(0)
    await Promise.all([client.close(), anas.close()])
  })
})

describe('/mcp tools/call', () => {
  it('runs the tool through the runner: mapped output, as structured content and as text, audited', async () => {
    const s = await agentWith(writer)
    const client = await mcpClient(s.mount, s.agent.key)
    const result = await client.callTool({ name: 'tracker__create_item', arguments: create })
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy()
    expect(result.structuredContent).toEqual({ id: 8, url: 'https://tracker.example/acme/8' })
    expect(result.content).toEqual([{ type: 'text', text: JSON.stringify(result.structuredContent) }])
    expect(apiCalls(s.fake)).toEqual([expect.objectContaining({ method: 'POST' })])
    // Concurrent calls, each on its own server of the pool, each answered with its own result.
    const reads = await Promise.all(
      ['open', 'closed', 'open', 'closed', 'open', 'closed', 'open', 'closed'].map((state) =>
        client.callTool({ name: 'tracker__list_items', arguments: { project: 'acme', state } }),
      ),
    )
    expect(
      reads.map((r) => (r.structuredContent as { items: Array<{ state: string }> }).items[0]?.state),
    ).toEqual(['open', 'closed', 'open', 'closed', 'open', 'closed', 'open', 'closed'])
    expect(apiCalls(s.fake)).toHaveLength(9)
    const audit = (await request(s.app.url).get('/integrations/audit').set(owner)).body.data
    expect(audit).toContainEqual(
      expect.objectContaining({
        action: 'tool',
        agentId: s.agent.agent.id,
        detail: 'tool create_item → 201',
      }),
    )
    await client.close()
  })

  it('a policy refusal is a tool error naming the rule, and nothing is sent', async () => {
    const s = await agentWith({ defaultMode: 'read_only' })
    const client = await mcpClient(s.mount, s.agent.key)
    const result = await client.callTool({ name: 'tracker__create_item', arguments: create })
    expect(result.isError).toBe(true)
    expect(result.structuredContent).toMatchObject({
      error: { code: 'policy_denied', details: [expect.objectContaining({ rule: 'mode' })] },
    })
    expect(JSON.stringify(result.content)).toMatch(/mode: /)
    expect(apiCalls(s.fake)).toHaveLength(0)
    await client.close()
  })

  it('over the rate limit: a tool error that says when to try again', async () => {
    const s = await agentWith({ ...writer, rateLimits: [{ limit: 2, per: 'hour' }] })
    const client = await mcpClient(s.mount, s.agent.key)
    const call = () => client.callTool({ name: 'tracker__list_items', arguments: { project: 'acme' } })
    expect((await call()).isError).toBeFalsy()
    expect((await call()).isError).toBeFalsy()
    const refused = await call()
    expect(refused.isError).toBe(true)
    const error = (refused.structuredContent as { error: { code: string; retryAfterSeconds: number } }).error
    expect(error.code).toBe('rate_limited')
    expect(error.retryAfterSeconds).toBeGreaterThan(0)
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(3600)
    expect(JSON.stringify(refused.content)).toContain(`Try again in ${error.retryAfterSeconds} seconds`)
    expect(apiCalls(s.fake)).toHaveLength(2)
    await client.close()
  })

  it('approval round trip: a tool error naming the approval, the owner approves, the repeat with _meta.approvalId runs once', async () => {
    const s = await agentWith({ defaultMode: 'read_write', stepUpApproval: 'risk_based' })
    const client = await mcpClient(s.mount, s.agent.key)
    const asked = await client.callTool({ name: 'tracker__create_item', arguments: create })
    expect(asked.isError).toBe(true)
    const { approval } = asked.structuredContent as { approval: { id: string; status: string } }
    expect(approval.status).toBe('pending')
    expect(asked.structuredContent).toMatchObject({
      error: { code: 'approval_required', approvalId: approval.id },
    })
    expect(JSON.stringify(asked.content)).toContain(approval.id)
    expect(JSON.stringify(asked.content)).not.toContain('From MCP')
    expect(apiCalls(s.fake)).toHaveLength(0)

    const early = await client.callTool({
      name: 'tracker__create_item',
      arguments: create,
      _meta: { approvalId: approval.id },
    })
    expect(early.isError).toBe(true)
    expect(apiCalls(s.fake)).toHaveLength(0)

    await approve(s, approval.id)
    const other = await client.callTool({
      name: 'tracker__create_item',
      arguments: { ...create, title: 'Something else' },
      _meta: { approvalId: approval.id },
    })
    expect(other.isError).toBe(true)
    expect(other.structuredContent).toMatchObject({ error: { code: 'forbidden' } })
    const ran = await client.callTool({
      name: 'tracker__create_item',
      arguments: create,
      _meta: { approvalId: approval.id },
    })
    expect(ran.isError, JSON.stringify(ran.content)).toBeFalsy()
    expect(ran.structuredContent).toEqual({ id: 8, url: 'https://tracker.example/acme/8' })
    const twice = await client.callTool({
      name: 'tracker__create_item',
      arguments: create,
      _meta: { approvalId: approval.id },
    })
    expect(twice.isError).toBe(true)
    expect(apiCalls(s.fake)).toHaveLength(1)
    const audit = (await request(s.app.url).get('/integrations/audit').set(owner)).body.data
    expect(audit).toContainEqual(expect.objectContaining({ action: 'tool', approvalId: approval.id }))
    await client.close()
  })

  it('takes the approval id from the x-approval-id header too', async () => {
    const s = await agentWith({ defaultMode: 'read_write', stepUpApproval: 'risk_based' })
    const client = await mcpClient(s.mount, s.agent.key)
    const asked = await client.callTool({ name: 'tracker__create_item', arguments: create })
    const { approval } = asked.structuredContent as { approval: { id: string } }
    await approve(s, approval.id)
    const withHeader = await mcpClient(s.mount, s.agent.key, { 'x-approval-id': approval.id })
    const ran = await withHeader.callTool({ name: 'tracker__create_item', arguments: create })
    expect(ran.isError, JSON.stringify(ran.content)).toBeFalsy()
    expect(apiCalls(s.fake)).toHaveLength(1)
    await Promise.all([client.close(), withHeader.close()])
  })

  it('a name from an earlier list: runs while the tool is there; disabled or unbound since, it is unknown', async () => {
    const s = await agentWith(writer)
    const client = await mcpClient(s.mount, s.agent.key)
    await client.listTools()
    const read = () => client.callTool({ name: 'tracker__list_items', arguments: { project: 'acme' } })
    expect((await read()).isError).toBeFalsy()
    await request(s.app.url)
      .patch(`/integrations/connections/${s.id}/tools/list_items`)
      .set(owner)
      .send({ isEnabled: false })
    await expect(read()).rejects.toMatchObject({ code: -32602 })
    await request(s.app.url)
      .patch(`/integrations/connections/${s.id}/tools/list_items`)
      .set(owner)
      .send({ isEnabled: true })
    expect((await read()).isError).toBeFalsy()
    const policies = await request(s.app.url)
      .get(`/integrations/policies?agentId=${s.agent.agent.id}`)
      .set(owner)
    await request(s.app.url)
      .delete(`/integrations/policies/${policies.body.data[0].id}`)
      .set(owner)
      .expect(200)
    await expect(read()).rejects.toMatchObject({ code: -32602 })
    expect(apiCalls(s.fake)).toHaveLength(2)
    await client.close()
  })

  it('wrong arguments: a tool error with the JSON pointers of what is wrong; unknown tool: a JSON-RPC error', async () => {
    const s = await agentWith(writer)
    const client = await mcpClient(s.mount, s.agent.key)
    const bad = await client.callTool({
      name: 'tracker__create_item',
      arguments: { project: '../admin', title: 42, extra: true },
    })
    expect(bad.isError).toBe(true)
    const error = (bad.structuredContent as { error: { code: string; details: Array<{ pointer: string }> } })
      .error
    expect(error.code).toBe('invalid_input')
    expect(error.details.map((d) => d.pointer)).toEqual(
      expect.arrayContaining(['/project', '/title', '/extra']),
    )
    expect(JSON.stringify(bad.content)).toContain('/title: ')
    const badMeta = await client.callTool({
      name: 'tracker__create_item',
      arguments: create,
      _meta: { approvalId: 'not-an-id' },
    })
    expect(badMeta.isError).toBe(true)
    expect(badMeta.structuredContent).toMatchObject({ error: { code: 'invalid_request' } })
    const unknown = client.callTool({ name: 'tracker__nope', arguments: {} })
    await expect(unknown).rejects.toBeInstanceOf(McpError)
    await expect(unknown).rejects.toMatchObject({ code: -32602 })
    expect(apiCalls(s.fake)).toHaveLength(0)
    await client.close()
  })
})
