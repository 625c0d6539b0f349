import { randomBytes } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import type { AuditEntry, Connection } from '../../src/index.js'
import { cleanUp, request, runExample, tempDir } from './run-example.js'

afterAll(cleanUp)

describe('examples/agent', () => {
  it('runs the agent end to end, then serves tokens and the proxy to agents only', async () => {
    const agentKey = randomBytes(32).toString('base64url')
    const example = await runExample('examples/agent/run.ts', {
      cwd: await tempDir(),
      ready: /Done\. Still up: curl (http:\/\/\S+)\/integrations\/connections/,
      env: { PORT: '0', AGENT_KEY: agentKey },
    })
    const mount = `${example.ready[1]}/integrations`
    const output = example.output()

    // What run.ts printed: each step, in order.
    expect(output).toMatch(/1\. Ana connected her Notes account ana@example\.com: connection [0-9a-f-]{36}\n/)
    expect(output).toContain('2. Server code: took a Bearer token; read 3 notes with connections.fetch\n')
    expect(output).toContain(
      'agent: took a Bearer token and called Notes itself: signed in as ana@example.com\n',
    )
    expect(output).toContain('agent: read 3 notes through the proxy: Renew the passport; Book the dentist;')
    expect(output).toContain("4. Ana's browser asking for the token: 403\n")
    expect(output).toMatch(/agent:notes-agent +token\n/)
    expect(output).toMatch(/agent:notes-agent +proxy +GET \/v1\/notes → 200\n/)
    expect(output).toMatch(/digest-job +proxy +GET \/v1\/notes → 200\n/)

    // Ana's browser (no Authorization header) lists her connection.
    const list = await request<{ data: Connection[] }>(`${mount}/connections`)
    expect(list.status).toBe(200)
    expect(list.body.data).toHaveLength(1)
    const connection = `${mount}/connections/${list.body.data[0]?.id}`

    // The agent, with its key: a token, and the proxy.
    const asAgent = { authorization: `Bearer ${agentKey}` }
    const token = await request<{ data: { accessToken: string; tokenType: string } }>(`${connection}/token`, {
      headers: asAgent,
    })
    expect(token.status).toBe(200)
    expect(token.body.data.tokenType).toBe('Bearer')
    const proxied = await request<{ notes: unknown[] }>(`${connection}/proxy/v1/notes`, { headers: asAgent })
    expect(proxied.status).toBe(200)
    expect(proxied.body.notes).toHaveLength(3)

    // Neither the user's Notes key nor the agent key was ever printed.
    expect(output).not.toContain(token.body.data.accessToken)
    expect(output).not.toContain(agentKey)

    // Not an agent: Ana's browser is refused tokens and the proxy; an unknown key is nobody.
    expect(await request(`${connection}/token`)).toMatchObject({
      status: 403,
      body: { error: { code: 'forbidden' } },
    })
    expect((await request(`${connection}/proxy/v1/notes`)).status).toBe(403)
    const stranger = { authorization: `Bearer ${randomBytes(32).toString('base64url')}` }
    expect((await request(`${connection}/token`, { headers: stranger })).status).toBe(401)
    // And the agent may do nothing but tokens and the proxy.
    expect((await request(`${mount}/connections`, { headers: asAgent })).status).toBe(403)
    expect((await request(`${connection}/revoke`, { method: 'POST', headers: asAgent })).status).toBe(403)

    // The audit trail names the agent for what it did.
    const audit = await request<{ data: AuditEntry[] }>(`${mount}/audit`)
    expect(
      audit.body.data.filter((entry) => entry.actor === 'agent:notes-agent').map((e) => e.action),
    ).toEqual(['proxy', 'proxy', 'token']) // its two token hand-outs within a minute share one entry
  })
})
