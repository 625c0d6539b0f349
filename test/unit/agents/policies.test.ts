import { randomUUID } from 'node:crypto'
import Keyv from 'keyv'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PolicyStore } from '../../../src/agents/policies.js'
import { InProcessLock } from '../../../src/locks/lock.js'
import { keys } from '../../../src/storage/keys.js'
import { SafeStore } from '../../../src/storage/safe-store.js'
import { type AgentStore, agentBackends } from '../../support/agent-stores.js'
import { FaultyStore } from '../../support/faulty-store.js'

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

  it('holds the policy as one encoded string (Keyv then revives one value, not every field)', async () => {
    const connectionId = randomUUID()
    const created = await policies.create('ana', { connectionId, agentId: bot.id, allowedModels: ['A'] }, bot)
    const raw = await backend.store.get<unknown>(keys.policyPair('ana', bot.id, connectionId))
    expect(typeof raw).toBe('string')
    expect(JSON.parse(String(raw).slice('json:'.length))).toEqual({ ...created, owner: 'ana' })
    const updated = await policies.update('ana', created.id, { defaultMode: 'read_write' })
    expect(typeof (await backend.store.get<unknown>(keys.policyPair('ana', bot.id, connectionId)))).toBe(
      'string',
    )
    expect(await policies.forPair('ana', bot.id, connectionId)).toEqual(updated)
  })

  it('reads a policy written whole as an object (the layout before), and encodes it on its next change', async () => {
    const connectionId = randomUUID()
    const created = await policies.create('ana', { connectionId, agentId: bot.id }, bot)
    await backend.store.set(keys.policyPair('ana', bot.id, connectionId), { ...created, owner: 'ana' }, 0)
    expect(await policies.forPair('ana', bot.id, connectionId)).toEqual(created)
    expect(await policies.get('ana', created.id)).toEqual(created)
    await policies.update('ana', created.id, { defaultMode: 'read_write' })
    expect(typeof (await backend.store.get<unknown>(keys.policyPair('ana', bot.id, connectionId)))).toBe(
      'string',
    )
  })

  it('reads an encoded value that does not parse as no policy', async () => {
    const connectionId = randomUUID()
    await backend.store.set(keys.policyPair('ana', bot.id, connectionId), 'json:{"id":', 0)
    expect(await policies.forPair('ana', bot.id, connectionId)).toBeUndefined()
  })
})

describe.each(agentBackends)('policies stored by the layout before, on $name', ({ open }) => {
  let backend: AgentStore
  let policies: PolicyStore

  beforeAll(async () => {
    backend = await open()
    policies = new PolicyStore(backend.store, backend.lock)
  })
  afterAll(() => backend?.close())

  /** As the store before wrote it: the whole record under policy:<id>, its id under the pair key. */
  async function storedBefore(owner: string, connectionId: string) {
    const at = '2026-12-01T10:00:00.000Z'
    const policy = {
      id: randomUUID(),
      connectionId,
      agentId: bot.id,
      agentName: bot.name,
      defaultMode: 'read_write' as const,
      stepUpApproval: 'never' as const,
      allowedModels: ['A' as const],
      allowlists: [],
      rateLimits: [{ limit: 7, per: 'minute' as const }],
      timeWindows: [],
      providerConstraints: {},
      createdAt: at,
      updatedAt: at,
    }
    await backend.store.set(keys.owned('policy', policy.id), { ...policy, owner }, 0)
    const index = keys.ownedIndex('policy', owner)
    await backend.store.set(index, [...((await backend.store.get<string[]>(index)) ?? []), policy.id], 0)
    await backend.store.set(keys.policyPair(owner, bot.id, connectionId), policy.id, 0)
    return policy
  }

  it('reads them by pair, by id and in lists, exactly as written', async () => {
    const connectionId = randomUUID()
    const before = await storedBefore('old-owner', connectionId)
    expect(await policies.forPair('old-owner', bot.id, connectionId)).toEqual(before)
    expect(await policies.forPair('someone-else', bot.id, connectionId)).toBeUndefined()
    expect(await policies.get('old-owner', before.id)).toEqual(before)
    expect(await policies.list('old-owner', { connectionId })).toEqual([before])
    await expect(policies.create('old-owner', { connectionId, agentId: bot.id }, bot)).rejects.toMatchObject({
      code: 'conflict',
    })
  })

  it('moves a changed one under its pair key, and removes one as any other', async () => {
    const connectionId = randomUUID()
    const before = await storedBefore('old-owner-2', connectionId)
    const updated = await policies.update('old-owner-2', before.id, { defaultMode: 'read_only' })
    expect(updated).toMatchObject({ id: before.id, defaultMode: 'read_only', rateLimits: null })
    expect(await policies.forPair('old-owner-2', bot.id, connectionId)).toEqual(updated)
    expect(await policies.get('old-owner-2', before.id)).toEqual(updated)
    expect(await backend.store.get(keys.owned('policy', before.id))).not.toHaveProperty('defaultMode')

    const second = await storedBefore('old-owner-2', randomUUID())
    await policies.remove('old-owner-2', second.id)
    expect(await policies.forPair('old-owner-2', bot.id, second.connectionId)).toBeUndefined()
    expect(await policies.get('old-owner-2', second.id)).toBeUndefined()
    await policies.removeForAgent('old-owner-2', bot.id)
    expect(await policies.list('old-owner-2')).toEqual([])
    expect(await backend.store.get(keys.policyPair('old-owner-2', bot.id, connectionId))).toBeUndefined()
  })
})

describe('policy store on a failing store', () => {
  function failing(): { faulty: FaultyStore; policies: PolicyStore } {
    const faulty = new FaultyStore()
    const store = new SafeStore(new Keyv({ store: faulty }), 1_000)
    return { faulty, policies: new PolicyStore(store, new InProcessLock()) }
  }

  it('leaves no policy behind when the pair key cannot be written, and the pair stays free', async () => {
    const { faulty, policies } = failing()
    const connectionId = randomUUID()
    faulty.failWhen = (operation, key) => operation === 'set' && key.includes('policy-pair:')
    await expect(policies.create('ana', { connectionId, agentId: bot.id }, bot)).rejects.toMatchObject({
      code: 'store_unavailable',
    })
    faulty.heal()
    expect(await policies.list('ana')).toEqual([])
    expect(await policies.create('ana', { connectionId, agentId: bot.id }, bot)).toMatchObject({
      connectionId,
    })
  })

  it('a pair key that cannot be removed fails the removal: the policy still applies, and a retry removes it', async () => {
    const { faulty, policies } = failing()
    const connectionId = randomUUID()
    const first = await policies.create('ana', { connectionId, agentId: bot.id }, bot)
    faulty.failWhen = (operation, key) => operation === 'delete' && key.includes('policy-pair:')
    await expect(policies.remove('ana', first.id)).rejects.toMatchObject({ code: 'store_unavailable' })
    faulty.heal()
    expect(await policies.forPair('ana', bot.id, connectionId)).toEqual(first)
    expect(await policies.get('ana', first.id)).toEqual(first)
    await policies.remove('ana', first.id)
    expect(await policies.forPair('ana', bot.id, connectionId)).toBeUndefined()
    const again = await policies.create('ana', { connectionId, agentId: bot.id }, bot)
    expect(await policies.forPair('ana', bot.id, connectionId)).toEqual(again)
  })

  it('a record whose pair key is gone (a removal that failed after it) is no policy, and goes with its agent', async () => {
    const { faulty, policies } = failing()
    const connectionId = randomUUID()
    const first = await policies.create('ana', { connectionId, agentId: bot.id }, bot)
    faulty.failWhen = (operation, key) => operation === 'delete' && key.includes(`policy:${first.id}`)
    await expect(policies.remove('ana', first.id)).rejects.toMatchObject({ code: 'store_unavailable' })
    faulty.heal()
    expect(await policies.forPair('ana', bot.id, connectionId)).toBeUndefined()
    expect(await policies.get('ana', first.id)).toBeUndefined()
    expect(await policies.list('ana')).toEqual([])
    await expect(policies.update('ana', first.id, {})).rejects.toMatchObject({ code: 'not_found' })
    await policies.removeForAgent('ana', bot.id)
    await expect(policies.remove('ana', first.id)).rejects.toMatchObject({ code: 'not_found' })
  })
})
