import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type ConnectionsClientError,
  createAgentClient,
  createConnectionsClient,
  type PolicyRulesInput,
} from '../../../src/client/index.js'
import { localProvider } from '../../support/app.js'
import { connect } from '../../support/flows.js'
import { startEchoApi } from '../../support/http-fakes.js'
import { useOAuthSuite } from '../../support/suite.js'

const suite = useOAuthSuite()
let echo: Awaited<ReturnType<typeof startEchoApi>>
beforeAll(async () => {
  echo = await startEchoApi()
})
afterAll(async () => {
  await echo.close()
})
const reached = (path: string) => echo.seen.filter((r) => r.url === path).length

/** Ana's connection to the echo API, and her agent bound to it by `rules`, all made with the clients. */
async function agentWith(rules: PolicyRulesInput) {
  const app = await suite.appWith({ providers: [localProvider(suite.oauth, { apiBaseUrl: echo.url })] })
  const id = await connect(app, 'ana')
  const ana = createConnectionsClient({ baseUrl: app.mount, headers: { 'x-user': 'ana' } })
  const { agent, key } = await ana.agents.create('Support bot')
  await ana.policies.create({ connectionId: id, agentId: agent.id, ...rules })
  return { app, id, ana, key, bot: createAgentClient({ baseUrl: app.mount, agentKey: key }) }
}

async function thrown(promise: Promise<unknown>): Promise<ConnectionsClientError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toMatchObject({ name: 'ConnectionsClientError' })
  return error as ConnectionsClientError
}

describe("an agent's client against the router", () => {
  it('asks, gets a typed approval, the owner approves with her client, and the retry runs once', async () => {
    const s = await agentWith({ defaultMode: 'read_write', stepUpApproval: 'risk_based' })
    const before = reached('/issues')
    const call = () =>
      s.bot.proxy(s.id, '/issues', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Bug' }),
      })
    const asked = await call()
    if (asked.kind !== 'approval') throw new Error(`expected an approval, got ${asked.kind}`)
    expect(asked.approval).toMatchObject({
      status: 'pending',
      connectionId: s.id,
      request: { method: 'POST' },
    })
    expect(reached('/issues')).toBe(before)

    expect((await s.ana.approvals.list({ status: 'pending' })).map((a) => a.id)).toEqual([asked.approval.id])
    expect((await s.ana.approvals.approve(asked.approval.id)).status).toBe('approved')

    const retried = await s.bot.proxy(s.id, 'issues', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Bug' }),
      approvalId: asked.approval.id,
    })
    if (retried.kind !== 'done') throw new Error('expected the approved call to run')
    expect(retried.data.status).toBe(200)
    expect(await retried.data.json()).toMatchObject({
      method: 'POST',
      url: '/issues',
      body: '{"title":"Bug"}',
    })
    expect(reached('/issues')).toBe(before + 1)

    // Spent: the same id again is refused, and thrown with the router's code.
    const again = await thrown(
      s.bot.proxy(s.id, 'issues', { method: 'POST', body: '{"title":"Bug"}', approvalId: asked.approval.id }),
    )
    expect(again.status).toBe(403)
    expect(reached('/issues')).toBe(before + 1)

    // A denied one: the owner says no.
    const second = await call()
    if (second.kind !== 'approval') throw new Error('expected an approval')
    expect((await s.ana.approvals.deny(second.approval.id)).status).toBe('denied')
  })

  it('vends a token (model A), or an approval when every call needs one', async () => {
    const s = await agentWith({
      defaultMode: 'read_write',
      stepUpApproval: 'never',
      allowedModels: ['A', 'B'],
    })
    const vended = await s.bot.token(s.id)
    if (vended.kind !== 'done') throw new Error('expected a token')
    expect(vended.data).toMatchObject({
      accessToken: expect.any(String),
      tokenType: expect.stringMatching(/bearer/i),
    })
    // By the singleton provider's id too.
    expect((await s.bot.token('local')).kind).toBe('done')

    const policy = (await s.ana.policies.list({ connectionId: s.id }))[0]
    await s.ana.policies.update(policy?.id ?? '', {
      defaultMode: 'read_write',
      stepUpApproval: 'always',
      allowedModels: ['A'],
    })
    const held = await s.bot.token(s.id)
    expect(held.kind).toBe('approval')
    if (held.kind !== 'approval') return
    await s.ana.approvals.approve(held.approval.id)
    const approved = await s.bot.token(s.id, { approvalId: held.approval.id })
    expect(approved.kind === 'done' && approved.data.accessToken).toEqual(expect.any(String))
  })

  it("passes the provider's answers through as they are, whatever their status", async () => {
    const s = await agentWith({ defaultMode: 'read_only' })
    const read = await s.bot.proxy(s.id, '/notes?page=2')
    if (read.kind !== 'done') throw new Error('expected the read to run')
    expect(read.data.status).toBe(200)
    expect(await read.data.json()).toMatchObject({ method: 'GET', url: '/notes?page=2' })
    expect(echo.seen.at(-1)?.headers.authorization).toMatch(/^Bearer /)
    expect(echo.seen.at(-1)?.headers.authorization).not.toContain(s.key)
    // Like fetch: no Accept of the client's own; the caller's headers and signal go along.
    expect(echo.seen.at(-1)?.headers.accept).toBe('*/*')
    const csv = await s.bot.proxy(s.id, '/export', { headers: { accept: 'text/csv' } })
    expect(csv.kind === 'done' && csv.data.status).toBe(200)
    expect(echo.seen.at(-1)?.headers.accept).toBe('text/csv')
    const aborted = await s.bot
      .proxy(s.id, '/notes', { signal: AbortSignal.abort() })
      .catch((e: unknown) => e)
    expect(aborted).toMatchObject({ name: 'ConnectionsClientError', code: 'network_error', status: 0 })

    echo.status = 404
    try {
      const missing = await s.bot.proxy(s.id, '/notes/9')
      expect(missing.kind === 'done' && missing.data.status).toBe(404)
    } finally {
      echo.status = 200
    }
  })

  it('throws refusals with code, status and details, and never puts the key in an error', async () => {
    const s = await agentWith({ defaultMode: 'read_only', allowlists: [{ method: 'GET', path: '/notes' }] })
    const write = await thrown(s.bot.proxy(s.id, '/notes', { method: 'POST', body: '{}' }))
    expect(write).toMatchObject({ code: 'policy_denied', status: 403 })
    expect(write.details).toEqual([expect.objectContaining({ rule: 'mode' })])
    const off = await thrown(s.bot.proxy(s.id, '/me'))
    expect(off.details).toEqual([expect.objectContaining({ rule: 'allowlist' })])
    expect(await thrown(s.bot.token(s.id))).toMatchObject({
      code: 'policy_denied',
      details: [{ rule: 'allowed_models' }],
    })
    expect(await thrown(s.bot.token('00000000-0000-4000-8000-000000000000'))).toMatchObject({
      code: 'not_found',
      status: 404,
    })

    const forged = createAgentClient({ baseUrl: s.app.mount, agentKey: `${s.key}x` })
    const unknown = await thrown(forged.proxy(s.id, '/notes'))
    expect(unknown).toMatchObject({ code: 'unauthenticated', status: 401 })
    // An agent may not do what only owners do.
    const asOwner = createConnectionsClient({
      baseUrl: s.app.mount,
      headers: { authorization: `Bearer ${s.key}` },
    })
    expect(await thrown(asOwner.agents.list())).toMatchObject({ code: 'forbidden', status: 403 })

    await s.app.close()
    const offline = await thrown(s.bot.token(s.id))
    expect(offline).toMatchObject({ code: 'network_error', status: 0 })
    for (const error of [write, off, unknown, offline]) {
      const everything = `${error.message} ${error.stack} ${JSON.stringify(error)} ${String(error.cause)}`
      expect(everything).not.toContain(s.key.split('.')[1])
    }
  })

  it('runs tools at the contract’s route, with the approval header on a retry', async () => {
    const seen: Array<{ url: string; init: RequestInit }> = []
    const bot = createAgentClient({
      baseUrl: 'https://app.example/integrations/',
      agentKey: 'ak_x.y',
      fetch: async (url, init) => {
        seen.push({ url, init })
        const approval = { id: 'a1', status: 'pending' }
        return seen.length === 1
          ? Response.json({ data: { approval } }, { status: 202 })
          : Response.json({ data: { output: { id: 7 } } })
      },
    })
    const asked = await bot.tools.run('github', 'create_issue', { title: 'Bug' })
    expect(asked).toEqual({ kind: 'approval', approval: { id: 'a1', status: 'pending' } })
    const ran = await bot.tools.run('github', 'create_issue', { title: 'Bug' }, { approvalId: 'a1' })
    expect(ran).toEqual({ kind: 'done', data: { output: { id: 7 } } })
    expect(seen.map((s) => s.url)).toEqual([
      'https://app.example/integrations/connections/github/tools/create_issue/run',
      'https://app.example/integrations/connections/github/tools/create_issue/run',
    ])
    expect(seen[1]?.init).toMatchObject({
      method: 'POST',
      body: '{"input":{"title":"Bug"}}',
      headers: { authorization: 'Bearer ak_x.y', 'x-approval-id': 'a1', 'content-type': 'application/json' },
    })
  })
})
