import request from 'supertest'
import { describe, expect, it } from 'vitest'
import {
  bearer,
  bindPolicy,
  createAgent,
  owner,
  type TestAgent,
  useEchoApi,
} from '../../support/agent-policy.js'
import { localProvider, type TestApp, type TestAppOptions } from '../../support/app.js'
import { connect } from '../../support/flows.js'
import { useOAuthSuite } from '../../support/suite.js'

const suite = useOAuthSuite()

const echo = useEchoApi()

interface Setup {
  app: TestApp
  id: string
  agent: TestAgent
  policyId: string
}

/** Ana's connection to an API (the echo), and an agent that may write to it with a human's approval. */
async function writerNeedingApproval(options: TestAppOptions = {}): Promise<Setup> {
  const app = await suite.appWith({
    providers: [localProvider(suite.oauth, { apiBaseUrl: echo.url })],
    ...options,
  })
  const id = await connect(app, 'ana')
  const agent = await createAgent(app)
  const policy = await bindPolicy(app, agent, id, { defaultMode: 'read_write', stepUpApproval: 'risk_based' })
  return { app, id, agent, policyId: policy.id }
}

const post = (s: Setup, key: string, body: object, approvalId?: string) => {
  const call = request(s.app.url)
    .post(`/integrations/connections/${s.id}/proxy/issues`)
    .set(bearer(key))
    .send(body)
  return approvalId ? call.set('x-approval-id', approvalId) : call
}

const decide = (s: Setup, approvalId: string, verb: 'approve' | 'deny', as: Record<string, string> = owner) =>
  request(s.app.url).post(`/integrations/approvals/${approvalId}/${verb}`).set(as)

/** Asks for an approval with the agent's call; the owner approves (or denies) it. */
async function approved(s: Setup, body: object, verb: 'approve' | 'deny' = 'approve'): Promise<string> {
  const asked = await post(s, s.agent.key, body)
  expect(asked.status).toBe(202)
  const approvalId = asked.body.data.approval.id
  expect((await decide(s, approvalId, verb)).status).toBe(200)
  return approvalId
}

const reached = echo.calls

describe('approvals over HTTP', () => {
  it('answers 400 to an x-approval-id that is not an approval id, even an empty one, and runs nothing', async () => {
    const s = await writerNeedingApproval()
    const before = reached('/issues')
    for (const header of ['not-an-id', '']) {
      const call = request(s.app.url)
        .post(`/integrations/connections/${s.id}/proxy/issues`)
        .set(bearer(s.agent.key))
        .set('x-approval-id', header)
        .send({ title: 'Bug' })
      const answer = await call
      expect(answer.status).toBe(400)
      expect(answer.body.error.message).toContain('x-approval-id')
    }
    expect(reached('/issues')).toBe(before)
    const pending = await request(s.app.url).get('/integrations/approvals?status=pending').set(owner)
    expect(pending.body.data).toEqual([])
  })

  it('asks with 202 and approval.requested; once approved, the same call runs exactly once', async () => {
    const s = await writerNeedingApproval()
    const before = reached('/issues')
    const asked = await post(s, s.agent.key, { title: 'Bug' })
    expect(asked.status).toBe(202)
    const approval = asked.body.data.approval
    expect(approval).toMatchObject({
      status: 'pending',
      agentId: s.agent.agent.id,
      connectionId: s.id,
      policyId: s.policyId,
      request: { method: 'POST', path: '/issues' },
    })
    expect(JSON.stringify(approval)).not.toContain('Bug')
    expect(reached('/issues')).toBe(before)
    expect(s.app.events).toContainEqual(
      expect.objectContaining({
        type: 'approval.requested',
        approval: expect.objectContaining({ id: approval.id }),
      }),
    )
    const pending = await request(s.app.url).get('/integrations/approvals?status=pending').set(owner)
    expect(pending.body.data.map((a: { id: string }) => a.id)).toEqual([approval.id])

    expect((await decide(s, approval.id, 'approve')).body.data.status).toBe('approved')
    const run = await post(s, s.agent.key, { title: 'Bug' }, approval.id)
    expect(run.status).toBe(200)
    expect(reached('/issues')).toBe(before + 1)

    const again = await post(s, s.agent.key, { title: 'Bug' }, approval.id)
    expect(again.status).toBe(403)
    expect(reached('/issues')).toBe(before + 1)
    const used = await request(s.app.url).get('/integrations/approvals?status=used').set(owner)
    expect(used.body.data.map((a: { id: string }) => a.id)).toEqual([approval.id])

    const trail = await request(s.app.url).get('/integrations/audit').set(owner)
    const actions = trail.body.data.map((e: { action: string }) => e.action)
    expect(actions).toEqual(
      expect.arrayContaining(['approval_requested', 'approval_approved', 'approval_used']),
    )
    expect(trail.body.data).toContainEqual(
      expect.objectContaining({
        action: 'refused',
        rule: 'approval',
        approvalId: approval.id,
        policyId: s.policyId,
      }),
    )
    expect(trail.body.data).toContainEqual(
      expect.objectContaining({
        action: 'proxy',
        agentId: s.agent.agent.id,
        policyId: s.policyId,
        approvalId: approval.id,
      }),
    )
    expect(trail.text).not.toContain('Bug')
  })

  it('refuses an approved id for a changed body, for another agent, once expired, and when denied', async () => {
    const s = await writerNeedingApproval({ approvalTtlMs: 1500 })
    const other = await createAgent(s.app, 'Other bot')
    await bindPolicy(s.app, other, s.id, { defaultMode: 'read_write', stepUpApproval: 'risk_based' })
    const before = reached('/issues')

    const forBug = await approved(s, { title: 'Bug' })
    const changed = await post(s, s.agent.key, { title: 'Bug', labels: ['p0'] }, forBug)
    expect(changed.status).toBe(403)
    const byOther = await post(s, other.key, { title: 'Bug' }, forBug)
    expect(byOther.status).toBe(403)
    expect(reached('/issues')).toBe(before)
    // Refused attempts leave it untouched: the call it was given for still runs.
    expect((await post(s, s.agent.key, { title: 'Bug' }, forBug)).status).toBe(200)
    const denied = await approved(s, { title: 'Denied' }, 'deny')
    expect((await post(s, s.agent.key, { title: 'Denied' }, denied)).status).toBe(403)
    expect(s.app.events).toContainEqual(expect.objectContaining({ type: 'approval.denied' }))
    // Deciding twice: the approval is no longer pending.
    expect((await decide(s, denied, 'approve')).status).toBe(409)

    const expiring = await approved(s, { title: 'Late' })
    const { body } = await request(s.app.url).get('/integrations/approvals?status=approved').set(owner)
    const expiresAt = Date.parse(body.data.find((a: { id: string }) => a.id === expiring).expiresAt)
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt - Date.now()) + 50))
    expect((await post(s, s.agent.key, { title: 'Late' }, expiring)).status).toBe(403)
    // Found expired: audited and emitted once, however often it is read after.
    await request(s.app.url).get('/integrations/approvals').set(owner)
    const expired = s.app.events.filter((e) => e.type === 'approval.expired')
    expect(expired).toEqual([
      expect.objectContaining({ approval: expect.objectContaining({ id: expiring, status: 'expired' }) }),
    ])
    const trail = await request(s.app.url).get(`/integrations/audit?connectionId=${s.id}`).set(owner)
    expect(trail.body.data.filter((e: { action: string }) => e.action === 'approval_expired')).toEqual([
      expect.objectContaining({ approvalId: expiring, policyId: s.policyId, actor: 'system:expiry' }),
    ])

    expect(reached('/issues')).toBe(before + 1)
  })

  it('answers 403 to an agent that lists, approves or denies approvals', async () => {
    const s = await writerNeedingApproval()
    const asked = await post(s, s.agent.key, { title: 'Bug' })
    const id = asked.body.data.approval.id
    for (const res of [
      await request(s.app.url).get('/integrations/approvals').set(bearer(s.agent.key)),
      await decide(s, id, 'approve', bearer(s.agent.key)),
      await decide(s, id, 'deny', bearer(s.agent.key)),
    ]) {
      expect(res.status).toBe(403)
    }
    const listed = await request(s.app.url).get('/integrations/approvals').set(owner)
    expect(listed.body.data[0]).toMatchObject({ id, status: 'pending' })
    // Another owner does not see it, and cannot decide it.
    expect(
      (await request(s.app.url).get('/integrations/approvals').set({ 'x-user': 'bob' })).body.data,
    ).toEqual([])
    expect((await decide(s, id, 'approve', { 'x-user': 'bob' })).status).toBe(404)
  })

  it('server code lists and decides approvals too', async () => {
    const s = await writerNeedingApproval()
    const asked = await post(s, s.agent.key, { title: 'Bug' })
    const id = asked.body.data.approval.id
    expect(await s.app.router.connections.approvals.list('ana', { status: 'pending' })).toHaveLength(1)
    expect((await s.app.router.connections.approvals.approve('ana', id)).status).toBe('approved')
    expect((await post(s, s.agent.key, { title: 'Bug' }, id)).status).toBe(200)
  })
})
