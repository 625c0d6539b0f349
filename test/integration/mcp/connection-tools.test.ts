import { setTimeout as sleep } from 'node:timers/promises'
import request from 'supertest'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { providers } from '../../../src/index.js'
import { bearer, bindPolicy, createAgent, owner } from '../../support/agent-policy.js'
import { connectionKeys, dump, startTestApp, type TestApp } from '../../support/app.js'
import { connect } from '../../support/flows.js'
import { mcpClient } from '../../support/mcp-agent.js'
import {
  type McpAuthServer,
  type ProtectedMcpServer,
  startMcpAuthServer,
  startProtectedMcpServer,
} from '../../support/mcp-servers.js'

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

interface Setup {
  as: McpAuthServer
  rs: ProtectedMcpServer
  app: TestApp
  id: string
}

const tools = (id: string, rest = '') => `/integrations/connections/${id}/tools${rest}`

/** Ana connected to the notes MCP server (OAuth, two pages of tools). */
async function connected(ttl = { seconds: 3600 }, mcp = false): Promise<Setup> {
  let resource = ''
  const as = await startMcpAuthServer(() => resource, { accessTokenTtl: () => ttl.seconds })
  const rs = await startProtectedMcpServer(as.issuer)
  resource = rs.url
  const app = await startTestApp(null, {
    providers: [providers.mcp({ id: 'notes', name: 'Notes', url: rs.url })],
    selfBaseUrl: true,
    authorize: () => true,
    mcp,
  })
  closers.push(as.close, rs.close, app.close)
  const id = await connect(app, 'ana', 'ana', 'notes')
  return { as, rs, app, id }
}

function run(s: Setup, slug: string, input: unknown, as: Record<string, string> = owner) {
  return request(s.app.url)
    .post(tools(s.id, `/${slug}/run`))
    .set(as)
    .send({ input })
}

describe("a remote MCP server's tools as the connection's tools", () => {
  it("lists the server's tools (every page) with every field, slugs from their names", async () => {
    const s = await connected()
    const listed = await request(s.app.url).get(tools(s.id)).set(owner)
    expect(listed.status, JSON.stringify(listed.body)).toBe(200)
    expect(listed.body.data.map((t: { slug: string }) => t.slug)).toEqual([
      'add_note',
      'read_notes',
      'fail_tool',
      'admin_action',
    ])
    const inputSchema = { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] }
    expect(listed.body.data[0]).toEqual({
      id: expect.any(String),
      connectionId: s.id,
      slug: 'add_note',
      toolPath: 'notes/add_note',
      displayName: 'Add note',
      description: 'Adds a note',
      inputSchema,
      responseSchema: { type: 'object', properties: { saved: { type: 'string' } }, required: ['saved'] },
      responseFieldMap: {},
      annotations: { readOnly: false, destructive: false, idempotent: false },
      isEnabled: true,
      inputDefaults: {},
      pinnedFields: [],
      defaultCount: 0,
      pinnedCount: 0,
      mergedInputPreview: inputSchema,
      staleInputFields: [],
      staleFieldPaths: [],
      lastSeenAt: expect.any(String),
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    })
    expect(listed.body.data[1]).toMatchObject({
      slug: 'read_notes',
      displayName: 'read_notes',
      annotations: { readOnly: true, destructive: false, idempotent: false },
      responseSchema: null,
    })
    const row = await request(s.app.url).get(`/integrations/connections/${s.id}`).set(owner)
    expect(row.body.data).toMatchObject({ toolsStatus: 'synced', toolsSyncedAt: expect.any(String) })
    // The snapshot is stored sealed, next to the tool settings.
    expect(connectionKeys(s.app.raw).some((key) => key.includes('connection-mcp-tools'))).toBe(true)
    expect(dump(s.app.raw)).not.toContain('Adds a note')
  })

  it('runs tools for the owner as tools/call with the token: structured content, text, isError as 502', async () => {
    const s = await connected()
    const saved = await run(s, 'add_note', { text: 'hi' })
    expect(saved.status, JSON.stringify(saved.body)).toBe(200)
    expect(saved.body.data).toEqual({ output: { saved: 'hi' } })
    expect((await run(s, 'read_notes', {})).body.data).toEqual({ output: 'one\ntwo' })
    const failed = await run(s, 'fail_tool', {})
    expect(failed.status).toBe(502)
    expect(failed.body.error).toMatchObject({
      code: 'provider_error',
      message: "Notes's tool reported a failure: the notes are locked",
    })
    const bad = await run(s, 'add_note', { text: 7 })
    expect(bad.status).toBe(422)
    expect(bad.body.error.details).toEqual([expect.objectContaining({ pointer: '/text' })])
    expect(s.rs.calls.map((call) => [call.tool, call.subject, call.args])).toEqual([
      ['add_note', 'ana', { text: 'hi' }],
      ['read_notes', 'ana', {}],
      ['fail_tool', 'ana', {}],
    ])
  })

  it('refreshes the token on the run: one the server refuses (401), and one past half its life', async () => {
    const ttl = { seconds: 3600 }
    const s = await connected(ttl)
    expect((await request(s.app.url).get(tools(s.id)).set(owner)).status).toBe(200)
    s.rs.refuseNext.count = 1
    ttl.seconds = 2
    const again = await run(s, 'add_note', { text: 'after 401' })
    expect(again.status, JSON.stringify(again.body)).toBe(200)
    expect(again.body.data.output).toEqual({ saved: 'after 401' })
    expect(s.rs.refused.filter((why) => why === 'refused on purpose')).toHaveLength(1)
    expect(s.as.grants.map((grant) => grant.grantType)).toEqual(['authorization_code', 'refresh_token'])
    await sleep(1100)
    const aged = await run(s, 'add_note', { text: 'aged' })
    expect(aged.status, JSON.stringify(aged.body)).toBe(200)
    expect(s.as.grants.map((grant) => grant.grantType)).toEqual([
      'authorization_code',
      'refresh_token',
      'refresh_token',
    ])
    expect(s.as.grants.every((grant, at) => at === 0 || grant.resource === s.rs.url)).toBe(true)
    expect(s.rs.calls.map((call) => call.args)).toEqual([{ text: 'after 401' }, { text: 'aged' }])
  })

  it('an agent runs them under its policy: allowlist, read_only by readOnlyHint, approvals', async () => {
    const s = await connected()
    const agent = await createAgent(s.app)
    await bindPolicy(s.app, agent, s.id, {
      defaultMode: 'read_only',
      allowlists: [{ tool: 'read_notes' }, { tool: 'add_note' }],
    })
    const seen = await request(s.app.url).get(tools(s.id)).set(bearer(agent.key))
    expect(seen.body.data.map((t: { slug: string }) => t.slug)).toEqual(['add_note', 'read_notes'])
    const read = await run(s, 'read_notes', {}, bearer(agent.key))
    expect(read.status, JSON.stringify(read.body)).toBe(200)
    const write = await run(s, 'add_note', { text: 'no' }, bearer(agent.key))
    expect(write.status).toBe(403)
    expect(write.body.error.code).toBe('policy_denied')
    expect((await run(s, 'fail_tool', {}, bearer(agent.key))).status).toBe(403)
    expect(s.rs.calls.map((call) => call.tool)).toEqual(['read_notes'])

    const writer = await createAgent(s.app, 'Writer')
    await bindPolicy(s.app, writer, s.id, { defaultMode: 'read_write', stepUpApproval: 'always' })
    const asked = await run(s, 'add_note', { text: 'approved' }, bearer(writer.key))
    expect(asked.status).toBe(202)
    const approval = asked.body.data.approval
    expect(approval).toMatchObject({ status: 'pending', request: { tool: 'add_note', method: 'TOOL' } })
    const approved = await request(s.app.url)
      .post(`/integrations/approvals/${approval.id}/approve`)
      .set(owner)
    expect(approved.status).toBe(200)
    const ran = await run(
      s,
      'add_note',
      { text: 'approved' },
      { ...bearer(writer.key), 'x-approval-id': approval.id },
    )
    expect(ran.status, JSON.stringify(ran.body)).toBe(200)
    expect(s.rs.calls.at(-1)).toMatchObject({ tool: 'add_note', args: { text: 'approved' } })
  })

  it('a changed tool list is not applied until a sync; the sync shows stale fields and drops the stale default', async () => {
    const s = await connected()
    await request(s.app.url).get(tools(s.id)).set(owner)
    const set = await request(s.app.url)
      .patch(tools(s.id, '/add_note'))
      .set(owner)
      .send({ inputDefaults: { text: 'from the owner' } })
    expect(set.status, JSON.stringify(set.body)).toBe(200)

    // Upstream: add_note now takes `body` instead of `text`, read_notes is gone.
    const page1 = s.rs.tools[0]?.[0] as Record<string, unknown>
    page1.inputSchema = { type: 'object', properties: { body: { type: 'string' } }, required: ['body'] }
    s.rs.tools[1] = (s.rs.tools[1] ?? []).filter((tool) => tool.name !== 'read_notes')

    const before = await request(s.app.url).get(tools(s.id)).set(owner)
    expect(before.body.data.map((t: { slug: string }) => t.slug)).toContain('read_notes')
    expect(before.body.data[0]).toMatchObject({ staleInputFields: [], inputSchema: { required: ['text'] } })
    // Run against the old snapshot: the server refuses a tool it no longer has, and says so.
    const gone = await run(s, 'read_notes', {})
    expect(gone.status).toBe(502)
    expect(gone.body.error.message).toContain('unknown tool read_notes')

    // The refused call made the snapshot due: the next list reads the server again.
    const after = await request(s.app.url).get(tools(s.id)).set(owner)
    expect(after.body.data.map((t: { slug: string }) => t.slug)).not.toContain('read_notes')

    const synced = await request(s.app.url).post(tools(s.id, '/sync')).set(owner)
    expect(synced.status, JSON.stringify(synced.body)).toBe(200)
    expect(synced.body.data.map((t: { slug: string }) => t.slug)).toEqual([
      'add_note',
      'fail_tool',
      'admin_action',
    ])
    expect(synced.body.data[0]).toMatchObject({
      inputDefaults: { text: 'from the owner' },
      staleInputFields: ['text'],
      inputSchema: { properties: { body: { type: 'string' } } },
    })
    const ran = await run(s, 'add_note', { body: 'new shape' })
    expect(ran.status, JSON.stringify(ran.body)).toBe(200)
    expect(s.rs.calls.at(-1)).toEqual(expect.objectContaining({ args: { body: 'new shape' } }))
    expect((await run(s, 'read_notes', {})).status).toBe(404)
  })

  it('a list re-reads the server when the snapshot is older than 15 minutes (no schedule, no stream)', async () => {
    const s = await connected()
    const slugs = async () =>
      (await request(s.app.url).get(tools(s.id)).set(owner)).body.data.map((t: { slug: string }) => t.slug)
    expect(await slugs()).toEqual(['add_note', 'read_notes', 'fail_tool', 'admin_action'])
    s.rs.tools[1]?.push({ name: 'archive_note', inputSchema: { type: 'object', properties: {} } })
    expect(await slugs()).not.toContain('archive_note')
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 16 * 60_000)
    try {
      expect(await slugs()).toContain('archive_note')
      const row = await request(s.app.url).get(`/integrations/connections/${s.id}`).set(owner)
      expect(Date.parse(row.body.data.toolsSyncedAt)).toBeGreaterThan(Date.now() - 60_000)
    } finally {
      vi.useRealTimers()
    }
  })

  it('a snapshot that does not open (a retired key, another connection’s record) is read again from the server', async () => {
    const s = await connected()
    const slugs = async () =>
      (await request(s.app.url).get(tools(s.id)).set(owner)).body.data.map((t: { slug: string }) => t.slug)
    expect(await slugs()).toHaveLength(4)
    const key = [...s.app.raw.keys()].find((k) => k.includes('connection-mcp-tools'))
    const settings = [...s.app.raw.keys()].find((k) => k.includes('connection-tools'))
    expect(key && settings).toBeTruthy()
    // Sealed for the settings' record, not the snapshot's: it does not open here.
    s.app.raw.set(key as string, s.app.raw.get(settings as string))
    s.rs.tools[1]?.push({ name: 'archive_note', inputSchema: { type: 'object', properties: {} } })
    await sleep(1100) // past the instance's one-second reuse of a read snapshot
    expect(await slugs()).toEqual(['add_note', 'read_notes', 'fail_tool', 'admin_action', 'archive_note'])
  })

  it("an agent on the router's own /mcp lists and calls the remote server's tools", async () => {
    const s = await connected(undefined, true)
    const agent = await createAgent(s.app)
    await bindPolicy(s.app, agent, s.id, { defaultMode: 'read_write', stepUpApproval: 'never' })
    const client = await mcpClient(`${s.app.url}/integrations`, agent.key)
    closers.push(() => client.close())
    const { tools: listed } = await client.listTools()
    const names = listed.map((tool) => tool.name)
    expect(names).toHaveLength(4)
    const addNote = names.find((name) => name.endsWith('add_note')) as string
    const result = await client.callTool({ name: addNote, arguments: { text: 'via /mcp' } })
    expect(result.isError, JSON.stringify(result)).toBeFalsy()
    expect(result.structuredContent).toEqual({ saved: 'via /mcp' })
    expect(s.rs.calls.at(-1)).toMatchObject({ tool: 'add_note', subject: 'ana', args: { text: 'via /mcp' } })
  })
})
