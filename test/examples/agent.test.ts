import { randomBytes } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import type { AuditEntry, Connection } from '../../src/index.js'
import { cleanUp, request, runExample, tempDir } from './run-example.js'

afterAll(cleanUp)

describe('examples/agent', () => {
  it('runs the agent end to end under its read-only policy: reads pass, everything else is refused', async () => {
    const example = await runExample('examples/agent/run.ts', {
      cwd: await tempDir(),
      ready: /Done\. Still up: curl (http:\/\/\S+)\/integrations\/connections/,
      env: { PORT: '0' },
    })
    const mount = `${example.ready[1]}/integrations`
    const output = example.output()

    // What run.ts printed: each step, in order.
    expect(output).toMatch(/1\. Ana connected her Notes account ana@example\.com: connection [0-9a-f-]{36}\n/)
    expect(output).toMatch(/2\. Ana made the agent notes-agent: [0-9a-f-]{36}\n/)
    expect(output).toContain(
      '3. Ana gave it a policy on the connection: read-only, GET /v1/notes only, through the proxy\n',
    )
    expect(output).toContain('4. Server code: read 3 notes with connections.fetch\n')
    expect(output).toContain('agent: read 3 notes through the proxy: Renew the passport; Book the dentist;')
    // The policy applied: a write, a call off the allowlist and a raw token are refused, with the rule.
    expect(output).toContain('agent: writing a note: 403 policy_denied (mode)\n')
    expect(output).toContain('agent: reading the account: 403 policy_denied (allowlist)\n')
    expect(output).toContain('agent: asking for the raw token: 403 policy_denied (allowed_models)\n')
    expect(output).toMatch(/notes-agent +proxy +GET \/v1\/notes → 200\n/)
    expect(output).toMatch(/notes-agent +refused +This policy is read-only/)
    expect(output).toMatch(/digest-job +proxy +GET \/v1\/notes → 200\n/)
    // The agent's key was never printed.
    expect(output).not.toMatch(/ak_/)

    // Ana's browser lists her connection, with the agent's policy on its row.
    const list = await request<{ data: Array<Connection & { policies: Array<Record<string, unknown>> }> }>(
      `${mount}/connections`,
    )
    expect(list.status).toBe(200)
    expect(list.body.data).toHaveLength(1)
    expect(list.body.data[0]?.policies).toMatchObject([
      { defaultMode: 'read_only', allowedModels: ['B'], allowlists: [{ method: 'GET', path: '/v1/notes' }] },
    ])
    const connection = `${mount}/connections/${list.body.data[0]?.id}`

    // Another agent of Ana's, with no policy on the connection: for it, the connection does not exist.
    const made = await request<{ data: { key: string } }>(`${mount}/agents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'unbound' }),
    })
    expect(made.status).toBe(201)
    const unbound = { authorization: `Bearer ${made.body.data.key}` }
    expect((await request(`${connection}/proxy/v1/notes`, { headers: unbound })).status).toBe(404)
    expect((await request(`${connection}/token`, { headers: unbound })).status).toBe(404)
    // An agent may not manage agents or policies, nor list connections.
    expect((await request(`${mount}/agents`, { headers: unbound })).status).toBe(403)
    expect((await request(`${mount}/policies`, { headers: unbound })).status).toBe(403)
    expect((await request(`${mount}/connections`, { headers: unbound })).status).toBe(403)
    // A key that is not an agent's is nobody; Ana's browser gets no raw token.
    const stranger = { authorization: `Bearer ak_${randomBytes(16).toString('hex')}.x` }
    expect((await request(`${connection}/token`, { headers: stranger })).status).toBe(401)
    expect(await request(`${connection}/token`)).toMatchObject({
      status: 403,
      body: { error: { code: 'forbidden' } },
    })

    // The audit trail: the agent's read, and each refusal with its rule.
    const audit = await request<{ data: AuditEntry[] }>(`${mount}/audit`)
    const byAgents = audit.body.data.filter((entry) => entry.actor.startsWith('agent:')).reverse()
    expect(byAgents.map((entry) => entry.action)).toEqual(['proxy', 'refused', 'refused', 'refused'])
  })
})
