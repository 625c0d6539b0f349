import { randomUUID } from 'node:crypto'
import type { z } from 'zod'
import { ConnectionsError } from '../core/errors.js'
import type { Lock } from '../locks/lock.js'
import type { Policy, ProviderConstraints } from '../policy/model.js'
import { policyInput, policyRules, providerConstraints } from '../policy/schema.js'
import { keys } from '../storage/keys.js'
import { OwnedRecords } from '../storage/owned-records.js'
import type { SafeStore } from '../storage/safe-store.js'

/** `POST /policies` as written (defaults not yet applied). */
export type PolicyInput = z.input<typeof policyInput>
/** The rules of `PUT /policies/:id`: they replace the policy's rules whole (an absent rule takes its default). */
export type PolicyRulesInput = z.input<typeof policyRules>

interface PolicyRecord extends Policy {
  owner: string
}

const PERMANENT = 0

/**
 * Policies: one per (agent, connection) of an owner. Besides the owned record and the owner's index,
 * a pair key (owner × agent × connection → policy id) makes {@link forPair}, read on every agent call,
 * a point read and never a list. The pair key is written and removed under its own lock, always taken
 * before OwnedRecords' locks. A pair key left behind by a failed delete is harmless: forPair checks the
 * record it names, and create treats a pair key naming nothing as free.
 */
export class PolicyStore {
  private readonly records: OwnedRecords<PolicyRecord>

  constructor(
    private readonly store: SafeStore,
    private readonly lock: Lock,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.records = new OwnedRecords(store, lock, 'policy')
  }

  /**
   * A new policy for `agent` on `input.connectionId` (the caller has checked both are the owner's).
   * `agent` is authoritative: its id and name are stored, whatever `input.agentId`/`agentName` say.
   * 409 `conflict` when the pair already has one.
   */
  async create(owner: string, input: PolicyInput, agent: { id: string; name: string }): Promise<Policy> {
    const { connectionId, agentId: _agentId, agentName: _agentName, ...rules } = policyInput.parse(input)
    return this.lock.withLock(keys.policyPairLock(owner, agent.id, connectionId), async () => {
      if (await this.forPair(owner, agent.id, connectionId)) {
        throw new ConnectionsError('conflict', 'This agent already has a policy on this connection.')
      }
      const at = this.now().toISOString()
      const record: PolicyRecord = {
        id: randomUUID(),
        owner,
        connectionId,
        agentId: agent.id,
        agentName: agent.name,
        ...rules,
        createdAt: at,
        updatedAt: at,
      }
      await this.records.insert(record)
      try {
        await this.store.set(keys.policyPair(owner, agent.id, connectionId), record.id, PERMANENT)
      } catch (error) {
        await this.records.remove(owner, record.id).catch(() => undefined)
        throw error
      }
      return toPolicy(record)
    })
  }

  async get(owner: string, id: string): Promise<Policy | undefined> {
    const record = await this.records.getOwned(owner, id)
    return record && toPolicy(record)
  }

  /** The owner's policies, optionally only those of one connection and/or one agent. */
  async list(owner: string, filter: { connectionId?: string; agentId?: string } = {}): Promise<Policy[]> {
    return (await this.records.list(owner))
      .filter(
        (p) =>
          (filter.connectionId === undefined || p.connectionId === filter.connectionId) &&
          (filter.agentId === undefined || p.agentId === filter.agentId),
      )
      .map(toPolicy)
  }

  /** Replaces the policy's rules (agent and connection stay). 404 when the owner has no such policy. */
  async update(owner: string, id: string, rules: PolicyRulesInput): Promise<Policy> {
    const next = policyRules.parse(rules)
    return this.change(owner, id, (current) => ({ ...current, ...next }))
  }

  /** `PUT /policies/:id/provider-constraints`: replaces only the constraints. */
  async replaceConstraints(owner: string, id: string, constraints: ProviderConstraints): Promise<Policy> {
    const next = providerConstraints.parse(constraints)
    return this.change(owner, id, (current) => ({ ...current, providerConstraints: next }))
  }

  /** Removes the policy; it stops applying at once (forPair reads the record). 404 when unknown. */
  async remove(owner: string, id: string): Promise<void> {
    const record = await this.records.getOwned(owner, id)
    if (!record) throw notFoundPolicy()
    await this.removeRecord(record)
  }

  /** The one policy binding this agent to this connection, or undefined (one per pair). */
  async forPair(owner: string, agentId: string, connectionId: string): Promise<Policy | undefined> {
    const id = await this.store.get<string>(keys.policyPair(owner, agentId, connectionId))
    if (id === undefined) return undefined
    const record = await this.records.getOwned(owner, id)
    if (!record || record.agentId !== agentId || record.connectionId !== connectionId) return undefined
    return toPolicy(record)
  }

  /** Removes every policy of the agent (the agent is being deleted). */
  async removeForAgent(owner: string, agentId: string): Promise<void> {
    const records = (await this.records.list(owner)).filter((p) => p.agentId === agentId)
    for (const record of records) await this.removeRecord(record)
  }

  /** Removes every policy on the connection. */
  async removeForConnection(owner: string, connectionId: string): Promise<void> {
    const records = (await this.records.list(owner)).filter((p) => p.connectionId === connectionId)
    for (const record of records) await this.removeRecord(record)
  }

  private async change(
    owner: string,
    id: string,
    edit: (current: PolicyRecord) => PolicyRecord,
  ): Promise<Policy> {
    const updated = await this.records.update(owner, id, (current) => ({
      ...edit(current),
      updatedAt: this.now().toISOString(),
    }))
    if (!updated) throw notFoundPolicy()
    return toPolicy(updated)
  }

  private removeRecord(record: PolicyRecord): Promise<void> {
    const { owner, agentId, connectionId } = record
    return this.lock.withLock(keys.policyPairLock(owner, agentId, connectionId), async () => {
      await this.records.remove(owner, record.id)
      const pair = keys.policyPair(owner, agentId, connectionId)
      if ((await this.store.get<string>(pair)) === record.id) await this.store.delete(pair)
    })
  }
}

function notFoundPolicy(): ConnectionsError {
  return new ConnectionsError('not_found', 'The policy was not found.')
}

function toPolicy({ owner: _owner, ...policy }: PolicyRecord): Policy {
  return policy
}
