import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Approvals, type NewApproval } from '../../../src/agents/approvals.js'
import { keys } from '../../../src/storage/keys.js'
import { OwnedRecords } from '../../../src/storage/owned-records.js'
import { type AgentStore, agentBackends } from '../../support/agent-stores.js'

const T0 = new Date('2026-03-01T10:00:00Z')
const later = (ms: number) => new Date(T0.getTime() + ms)

function asked(overrides: Partial<NewApproval> = {}): NewApproval {
  return {
    agentId: 'agent-1',
    connectionId: 'conn-1',
    policyId: 'policy-1',
    reason: 'risk_based: a write',
    request: { method: 'POST', path: '/repos/acme/issues', summary: 'POST /repos/acme/issues' },
    digest: 'digest-1',
    ...overrides,
  }
}

describe.each(agentBackends)('approvals on $name', ({ open }) => {
  let backend: AgentStore
  let approvals: Approvals

  beforeAll(async () => {
    backend = await open()
    approvals = new Approvals(backend.store, backend.lock)
  })
  afterAll(() => backend?.close())

  it('is pending for 15 minutes, then approved by its owner, then used once', async () => {
    const approval = await approvals.request('ana', asked(), T0)
    expect(approval).toMatchObject({ status: 'pending', expiresAt: later(15 * 60_000).toISOString() })
    expect(approval).not.toHaveProperty('digest')
    const call = { agentId: 'agent-1', digest: 'digest-1' }
    expect(await approvals.consume('ana', approval.id, call, later(1))).toEqual({
      ok: false,
      reason: 'not_approved',
    })
    expect(await approvals.decide('bob', approval.id, 'approved', later(2))).toBeUndefined()
    expect(await approvals.decide('ana', approval.id, 'approved', later(2))).toMatchObject({
      status: 'approved',
    })
    expect(await approvals.decide('ana', approval.id, 'denied', later(3))).toBeUndefined()
    expect(await approvals.consume('bob', approval.id, call, later(4))).toEqual({
      ok: false,
      reason: 'unknown',
    })
    expect(await approvals.consume('ana', approval.id, call, later(4))).toMatchObject({ ok: true })
    expect(await approvals.consume('ana', approval.id, call, later(5))).toEqual({
      ok: false,
      reason: 'not_approved',
    })
    expect((await approvals.get('ana', approval.id, later(6)))?.status).toBe('used')
  })

  it('refuses another digest or another agent, and leaves the approval usable by the right call', async () => {
    const { id } = await approvals.request('ana', asked(), T0)
    await approvals.decide('ana', id, 'approved', later(1))
    expect(await approvals.consume('ana', id, { agentId: 'agent-1', digest: 'changed' }, later(2))).toEqual({
      ok: false,
      reason: 'mismatch',
    })
    expect(await approvals.consume('ana', id, { agentId: 'agent-2', digest: 'digest-1' }, later(2))).toEqual({
      ok: false,
      reason: 'mismatch',
    })
    expect(
      (await approvals.consume('ana', id, { agentId: 'agent-1', digest: 'digest-1' }, later(3))).ok,
    ).toBe(true)
  })

  it('refuses a denied approval, and an approved one after expiresAt (marked expired when read)', async () => {
    const call = { agentId: 'agent-1', digest: 'digest-1' }
    const denied = await approvals.request('ana', asked(), T0)
    await approvals.decide('ana', denied.id, 'denied', later(1))
    expect(await approvals.consume('ana', denied.id, call, later(2))).toEqual({
      ok: false,
      reason: 'not_approved',
    })

    const late = await approvals.request('ana', asked(), T0)
    await approvals.decide('ana', late.id, 'approved', later(1))
    expect(await approvals.consume('ana', late.id, call, later(15 * 60_000))).toEqual({
      ok: false,
      reason: 'expired',
    })
    expect((await approvals.get('ana', late.id, later(15 * 60_000)))?.status).toBe('expired')

    const pending = await approvals.request('ana', asked(), T0)
    expect((await approvals.list('ana', later(16 * 60_000), 'expired')).map((a) => a.id)).toContain(
      pending.id,
    )
    expect(await approvals.decide('ana', pending.id, 'approved', later(16 * 60_000))).toBeUndefined()
  })

  it('tells onExpired once per approval found past expiresAt, however many reads (racing ones too) find it', async () => {
    const heard: Array<{ owner: string; id: string; status: string; at: string }> = []
    const told = new Approvals(backend.store, backend.lock, 60_000, async (owner, approval, now) => {
      heard.push({ owner, id: approval.id, status: approval.status, at: now.toISOString() })
    })
    const pending = await told.request('erin', asked(), T0)
    const approved = await told.request('erin', asked(), T0)
    await told.decide('erin', approved.id, 'approved', later(1))
    const used = await told.request('erin', asked(), T0)
    await told.decide('erin', used.id, 'approved', later(1))
    await told.consume('erin', used.id, { agentId: 'agent-1', digest: 'digest-1' }, later(2))
    expect(await told.list('erin', later(59_999))).toHaveLength(3)
    expect(heard).toEqual([])

    const past = later(60_000)
    await Promise.all([
      told.list('erin', past),
      told.list('erin', past),
      told.get('erin', pending.id, past),
      told.consume('erin', approved.id, { agentId: 'agent-1', digest: 'digest-1' }, past),
      told.decide('erin', pending.id, 'approved', past),
    ])
    await told.list('erin', later(120_000))
    expect(heard.map((h) => h.id).sort()).toEqual([pending.id, approved.id].sort())
    expect(heard).toContainEqual({ owner: 'erin', id: pending.id, status: 'expired', at: past.toISOString() })
  })

  it('lists by status, the owner’s only', async () => {
    const mine = await approvals.request('carla', asked(), T0)
    const theirs = await approvals.request('dan', asked(), T0)
    const pending = (await approvals.list('carla', later(1), 'pending')).map((a) => a.id)
    expect(pending).toEqual([mine.id])
    expect(pending).not.toContain(theirs.id)
    expect(await approvals.list('carla', later(1), 'approved')).toEqual([])
  })

  it('10 concurrent consumes of one approval: exactly one wins', async () => {
    const { id } = await approvals.request('ana', asked(), T0)
    await approvals.decide('ana', id, 'approved', later(1))
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        approvals.consume('ana', id, { agentId: 'agent-1', digest: 'digest-1' }, later(2)),
      ),
    )
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    expect(results.filter((r) => !r.ok)).toEqual(Array(9).fill({ ok: false, reason: 'not_approved' }))
  })
})

describe.each(agentBackends)('owned records on $name', ({ open }) => {
  it('take the ids of records gone by their TTL out of the owner index when listing', async () => {
    const backend = await open()
    try {
      const records = new OwnedRecords<{ id: string; owner: string }>(backend.store, backend.lock, 'thing')
      await records.insert({ id: 'kept', owner: 'ana' })
      await records.insert({ id: 'short', owner: 'ana' }, 50)
      await new Promise((resolve) => setTimeout(resolve, 120))
      expect((await records.list('ana')).map((r) => r.id)).toEqual(['kept'])
      expect(await backend.store.get(keys.ownedIndex('thing', 'ana'))).toEqual(['kept'])
    } finally {
      await backend.close()
    }
  })
})
