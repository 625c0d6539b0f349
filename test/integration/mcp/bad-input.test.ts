import request from 'supertest'
import { afterEach, describe, expect, it } from 'vitest'
import { bearer, bindPolicy, createAgent, owner } from '../../support/agent-policy.js'
import { postMcp } from '../../support/mcp-agent.js'
import { apiCalls, closeTrackerApps, connectTracker } from '../../support/tool-fixture.js'

afterEach(closeTrackerApps)

const listTools = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} })

async function setup(options: { mcp?: boolean | { bodyLimit: number } } = { mcp: true }) {
  const s = await connectTracker(options)
  const agent = await createAgent(s.app)
  await bindPolicy(s.app, agent, s.id, { defaultMode: 'read_write', stepUpApproval: 'never' })
  return { ...s, agent, mount: `${s.app.url}/integrations` }
}

describe('/mcp refuses what it cannot take', () => {
  it('malformed JSON and messages that are not JSON-RPC: a JSON-RPC error, never a 500', async () => {
    const s = await setup()
    const key = bearer(s.agent.key)
    for (const body of [
      '{"jsonrpc": "2.0", "id": 1, "method": ',
      '',
      'null',
      '[]',
      '"tools/list"',
      '{"id":1}',
    ]) {
      const res = await postMcp(s.mount, body, key)
      expect(res.status, body).toBe(400)
      const answer = (await res.json()) as { error: { code: number } }
      expect(answer, body).toMatchObject({ jsonrpc: '2.0', error: { code: expect.any(Number) } })
      expect([-32700, -32600]).toContain(answer.error.code)
    }
    const noMethod = await postMcp(
      s.mount,
      JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/nope' }),
      key,
    )
    expect(await noMethod.json()).toMatchObject({ jsonrpc: '2.0', id: 2, error: { code: -32601 } })
    const wrongParams = await postMcp(
      s.mount,
      JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { arguments: {} } }),
      key,
    )
    // The SDK answers a request its schema refuses with -32603 and the schema's complaint.
    const refused = (await wrongParams.json()) as { error: { message: string } }
    expect(refused).toMatchObject({ jsonrpc: '2.0', id: 3, error: { code: -32603 } })
    expect(refused.error.message).toContain('name')
    expect(apiCalls(s.fake)).toHaveLength(0)
  })

  it('a body over the limit: 413, read no further', async () => {
    const s = await setup({ mcp: { bodyLimit: 1024 } })
    const big = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: {
        name: 'tracker__create_item',
        arguments: { project: 'acme', title: 'x', body: 'y'.repeat(2000) },
      },
    })
    const res = await postMcp(s.mount, big, bearer(s.agent.key))
    expect(res.status).toBe(413)
    expect(await res.json()).toMatchObject({ error: { code: -32700 } })
    expect(apiCalls(s.fake)).toHaveLength(0)
  })

  it('no key, a wrong key, a deleted agent’s key, or a person’s session: 401', async () => {
    const s = await setup()
    const none = await postMcp(s.mount, listTools)
    expect(none.status).toBe(401)
    expect(none.headers.get('www-authenticate')).toBe('Bearer')
    const session = await postMcp(s.mount, listTools, owner)
    expect(session.status).toBe(401)
    const [id, secret] = s.agent.key.split('.')
    const wrong = await postMcp(s.mount, listTools, bearer(`${id}.${'x'.repeat(secret?.length ?? 10)}`))
    expect(wrong.status).toBe(401)
    const garbage = await postMcp(s.mount, listTools, { authorization: 'Bearer not-a-key' })
    expect(garbage.status).toBe(401)
    const other = await createAgent(s.app, 'Other bot')
    await request(s.app.url).delete(`/integrations/agents/${other.agent.id}`).set(owner).expect(200)
    const deleted = await postMcp(s.mount, listTools, bearer(other.key))
    expect(deleted.status).toBe(401)
    for (const res of [none, session, wrong, garbage, deleted]) {
      expect(JSON.stringify(await res.json())).not.toContain(s.agent.key)
    }
  })

  it('GET and DELETE (no sessions, no stream): 405; a body that is not JSON: 415; mcp off: 404', async () => {
    const s = await setup()
    const get = await fetch(`${s.mount}/mcp`, {
      headers: { ...bearer(s.agent.key), accept: 'text/event-stream' },
    })
    expect(get.status).toBe(405)
    expect(get.headers.get('allow')).toBe('POST')
    const del = await fetch(`${s.mount}/mcp`, { method: 'DELETE', headers: bearer(s.agent.key) })
    expect(del.status).toBe(405)
    const text = await postMcp(s.mount, listTools, { ...bearer(s.agent.key), 'content-type': 'text/plain' })
    expect(text.status).toBe(415)
    const off = await setup({})
    const res = await postMcp(off.mount, listTools, bearer(off.agent.key))
    expect(res.status).toBe(404)
  })

  it('each request is judged by its own headers, however many alike came before', async () => {
    const s = await setup()
    const key = bearer(s.agent.key)
    expect((await postMcp(s.mount, listTools, key)).status).toBe(200)
    const json = { ...key, accept: 'application/json' }
    expect((await postMcp(s.mount, listTools, json)).status).toBe(406)
    const future = { ...key, 'mcp-protocol-version': '2099-01-01' }
    expect((await postMcp(s.mount, listTools, future)).status).toBe(400)
    expect((await postMcp(s.mount, listTools, { ...key, 'content-type': 'text/plain' })).status).toBe(415)
    expect((await postMcp(s.mount, listTools, key)).status).toBe(200)
  })
})
