import request from 'supertest'
import { afterEach, describe, expect, it } from 'vitest'
import type { ConnectionRecord } from '../../../src/core/model.js'
import { providers } from '../../../src/index.js'
import { McpRemote } from '../../../src/mcp/remote.js'
import { dump, startTestApp, type TestApp } from '../../support/app.js'
import { type EverythingServer, startEverything } from '../../support/mcp-everything.js'
import { startProtectedMcpServer } from '../../support/mcp-servers.js'

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

const context = { actor: 'ana', action: 'tool' as const }

function remoteOf(app: TestApp, url: string): McpRemote {
  return new McpRemote(
    { call: (record, path, init) => app.router.connections.fetch(record.owner, record.id, path, init) },
    () => url,
  )
}

async function connectWith(app: TestApp, provider: string, credentials: Record<string, string>) {
  return request(app.url)
    .post('/integrations/connections')
    .set('x-user', 'ana')
    .send({ provider, credentials })
}

describe('MCP servers that take a static key, or none (the credentials path)', () => {
  it('checks a bearer key with initialize: a wrong one is 422 and nothing is stored; the right one runs tools', async () => {
    const rs = await startProtectedMcpServer('http://unused.invalid', { staticKey: 'static-key-CANARY-1' })
    const app = await startTestApp(null, {
      providers: [providers.mcp({ id: 'notes', url: rs.url, auth: 'bearer' })],
      authorize: () => true,
    })
    closers.push(rs.close, app.close)
    const before = [...app.raw.keys()]
    const wrong = await connectWith(app, 'notes', { apiKey: 'not-the-key' })
    expect(wrong.status).toBe(422)
    expect([...app.raw.keys()]).toEqual(before)
    const right = await connectWith(app, 'notes', { apiKey: 'static-key-CANARY-1' })
    expect(right.status).toBe(201)
    expect(dump(app.raw)).not.toContain('static-key-CANARY-1')
    const record = { id: right.body.data.id, owner: 'ana', provider: 'notes' } as ConnectionRecord
    const result = await remoteOf(app, rs.url).callTool(record, 'add_note', { text: 'k' }, context)
    expect(result).toEqual({ output: { saved: 'k' }, isError: false })
  })

  it('refuses an unreachable keyless server with a 502, storing nothing', async () => {
    const app = await startTestApp(null, {
      providers: [providers.mcp({ id: 'gone', url: 'http://127.0.0.1:9/mcp', auth: 'none' })],
      authorize: () => true,
    })
    closers.push(app.close)
    const before = [...app.raw.keys()]
    const answer = await connectWith(app, 'gone', {})
    expect(answer.status).toBe(502)
    expect(answer.body.error.message).toContain('did not answer')
    expect([...app.raw.keys()]).toEqual(before)
  })
})

describe('@modelcontextprotocol/server-everything over streamable HTTP', () => {
  let everything: EverythingServer

  async function connected() {
    everything = await startEverything()
    const app = await startTestApp(null, {
      providers: [providers.mcp({ id: 'everything', url: everything.url, auth: 'none' })],
      authorize: () => true,
    })
    closers.push(everything.close, app.close)
    const answer = await connectWith(app, 'everything', {})
    expect(answer.status).toBe(201)
    const record = { id: answer.body.data.id, owner: 'ana', provider: 'everything' } as ConnectionRecord
    return { app, record, remote: remoteOf(app, everything.url) }
  }

  it('connects without credentials, syncs its tools with their real schemas, and runs several', async () => {
    const { remote, record } = await connected()
    const { tools, skipped } = await remote.listTools(record, context)
    expect(skipped).toEqual([])
    const byName = new Map(tools.map((tool) => [tool.name, tool]))
    expect([...byName.keys()]).toEqual(expect.arrayContaining(['echo', 'get-sum', 'get-structured-content']))
    expect(byName.get('get-sum')).toMatchObject({
      title: 'Get Sum Tool',
      inputSchema: {
        type: 'object',
        properties: { a: { type: 'number' }, b: { type: 'number' } },
        required: ['a', 'b'],
      },
      annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: false },
    })
    expect(byName.get('get-structured-content')?.outputSchema).toMatchObject({ type: 'object' })

    expect(await remote.callTool(record, 'echo', { message: 'hello' }, context)).toEqual({
      output: 'Echo: hello',
      isError: false,
    })
    expect((await remote.callTool(record, 'get-sum', { a: 2, b: 3 }, context)).output).toContain('5')
    const weather = await remote.callTool(record, 'get-structured-content', { location: 'New York' }, context)
    expect(weather.isError).toBe(false)
    expect(weather.output).toMatchObject({ temperature: expect.any(Number) })
    const invalid = await remote.callTool(record, 'get-sum', { a: 'two' }, context)
    expect(invalid.isError).toBe(true)
  })
})
