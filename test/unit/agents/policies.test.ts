import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PolicyStore } from '../../../src/agents/policies.js'
import { type AgentStore, agentBackends } from '../../support/agent-stores.js'

const bot = { id: 'agent-1', name: 'Support bot' }

describe.each(agentBackends)('policy store on $name', ({ open }) => {
  let backend: AgentStore
  let policies: PolicyStore

  beforeAll(async () => {
    backend = await open()
    policies = new PolicyStore(backend.store, backend.lock)
  })
  afterAll(() => backend?.close())

  it('creates a policy with the documented defaults, found by its pair in one read', async () => {
    const connectionId = randomUUID()
    const created = await policies.create('ana', { connectionId, agentId: bot.id }, bot)
    expect(created).toMatchObject({
      connectionId,
      agentId: bot.id,
      agentName: 'Support bot',
      defaultMode: 'read_only',
      stepUpApproval: 'risk_based',
      allowedModels: ['B'],
      allowlists: [],
      rateLimits: null,
      timeWindows: [],
      providerConstraints: {},
    })
    expect(created).not.toHaveProperty('owner')
    expect(await policies.forPair('ana', bot.id, connectionId)).toEqual(created)
    expect(await policies.forPair('bob', bot.id, connectionId)).toBeUndefined()
    expect(await policies.forPair('ana', 'agent-2', connectionId)).toBeUndefined()
    expect(await policies.get('bob', created.id)).toBeUndefined()
  })

  it('allows one policy per agent and connection: two racing creates, one wins, the other is a 409', async () => {
    const connectionId = randomUUID()
    const results = await Promise.allSettled([
      policies.create('ana', { connectionId, agentId: bot.id }, bot),
      policies.create('ana', { connectionId, agentId: bot.id, defaultMode: 'read_write' }, bot),
    ])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'conflict' } })
    expect(await policies.list('ana', { connectionId })).toHaveLength(1)
  })

  it('replaces rules and constraints, keeping agent and connection', async () => {
    const connectionId = randomUUID()
    const { id } = await policies.create(
      'ana',
      { connectionId, agentId: bot.id, defaultMode: 'read_write' },
      bot,
    )
    const updated = await policies.update('ana', id, {
      stepUpApproval: 'never',
      rateLimits: [{ limit: 5, per: 'minute' }],
    })
    expect(updated).toMatchObject({
      defaultMode: 'read_only',
      stepUpApproval: 'never',
      connectionId,
      agentId: bot.id,
    })
    const constrained = await policies.replaceConstraints('ana', id, { telegram: { chatIds: [42] } })
    expect(constrained.providerConstraints).toEqual({ telegram: { chatIds: [42] } })
    expect(constrained.rateLimits).toEqual([{ limit: 5, per: 'minute' }])
    expect(await policies.forPair('ana', bot.id, connectionId)).toEqual(constrained)
    await expect(policies.update('bob', id, {})).rejects.toMatchObject({ code: 'not_found' })
  })

  it('leaves nothing behind: remove, removeForAgent and removeForConnection; the pair is free again', async () => {
    const c1 = randomUUID()
    const c2 = randomUUID()
    const other = { id: 'agent-other', name: 'Other' }
    const a = await policies.create('ana', { connectionId: c1, agentId: bot.id }, bot)
    await policies.create('ana', { connectionId: c2, agentId: bot.id }, bot)
    const kept = await policies.create('ana', { connectionId: c1, agentId: other.id }, other)
    await policies.remove('ana', a.id)
    expect(await policies.forPair('ana', bot.id, c1)).toBeUndefined()
    await expect(policies.remove('ana', a.id)).rejects.toMatchObject({ code: 'not_found' })
    await policies.create('ana', { connectionId: c1, agentId: bot.id }, bot)

    await policies.removeForAgent('ana', bot.id)
    expect(await policies.list('ana', { agentId: bot.id })).toEqual([])
    expect(await policies.forPair('ana', bot.id, c2)).toBeUndefined()
    expect(await policies.forPair('ana', other.id, c1)).toEqual(kept)

    await policies.removeForConnection('ana', c1)
    expect(await policies.forPair('ana', other.id, c1)).toBeUndefined()
    expect(await policies.list('ana', { connectionId: c1 })).toEqual([])
  })
})
