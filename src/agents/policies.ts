import { randomUUID } from 'node:crypto'
import type { z } from 'zod'
import { ConnectionsError } from '../core/errors.js'
import type { Lock } from '../locks/lock.js'
import type { Policy, ProviderConstraints } from '../policy/model.js'
import { policyInput, policyRules, providerConstraints } from '../policy/schema.js'
import { decodeRecord, encodeRecord } from '../storage/encoded.js'
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

/** What `policy:<id>` holds: where the policy is bound, which never changes (a full record before). */
type PolicyPlace = Pick<PolicyRecord, 'id' | 'owner' | 'agentId' | 'connectionId'>

/**
 * The pair key's value: the policy itself (written encoded, storage/encoded.ts; as an object before),
 * or (as the first layout wrote it) the id of its record.
 */
type PairValue = PolicyRecord | string

const PERMANENT = 0

/**
 * Policies: one per (agent, connection) of an owner. The policy lives under its pair key (owner ×
 * agent × connection), so {@link forPair}, read on every agent call, is one point read; its owned
 * record (`policy:<id>`) and the owner's index only say where it is bound, for lookups by id and
 * lists. Everything that writes a pair key holds that pair's lock (always taken before
 * OwnedRecords' locks), and the pair key decides: a policy is bound while its pair key holds it.
 *
 * Stores written before hold the whole policy in its record and only its id under the pair key: both
 * are read (a policy changed later moves under its pair key). Either way a record whose pair key
 * names another policy, or none, is not a policy (a create or delete that failed half-way).
 */
export class PolicyStore {
  private readonly records: OwnedRecords<PolicyPlace>

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
      await this.records.insert(placeOf(record))
      try {
        await this.store.set(pairKey(record), encodeRecord(record), PERMANENT)
      } catch (error) {
        await this.records.remove(owner, record.id).catch(() => undefined)
        throw error
      }
      return toPolicy(record)
    })
  }

  async get(owner: string, id: string): Promise<Policy | undefined> {
    const place = await this.records.getOwned(owner, id)
    const record = place && (await this.bound(place))
    return record && toPolicy(record)
  }

  /** The owner's policies, optionally only those of one connection and/or one agent. */
  async list(owner: string, filter: { connectionId?: string; agentId?: string } = {}): Promise<Policy[]> {
    const places = (await this.records.list(owner)).filter(
      (p) =>
        (filter.connectionId === undefined || p.connectionId === filter.connectionId) &&
        (filter.agentId === undefined || p.agentId === filter.agentId),
    )
    const records = await Promise.all(places.map((place) => this.bound(place)))
    return records.filter((record): record is PolicyRecord => record !== undefined).map(toPolicy)
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

  /**
   * Removes the policy; it stops applying at once (its pair key goes first). 404 when unknown. When
   * the pair key cannot be removed, nothing is, and the error says so: the policy still applies.
   */
  async remove(owner: string, id: string): Promise<void> {
    const place = await this.records.getOwned(owner, id)
    if (!place) throw notFoundPolicy()
    await this.removeRecord(place)
  }

  /** The one policy binding this agent to this connection, or undefined (one per pair). */
  async forPair(owner: string, agentId: string, connectionId: string): Promise<Policy | undefined> {
    const value = await this.pairValue(keys.policyPair(owner, agentId, connectionId))
    if (value === undefined) return undefined
    const record = typeof value === 'string' ? await this.recordBefore(owner, value) : value
    if (
      !record ||
      record.owner !== owner ||
      record.agentId !== agentId ||
      record.connectionId !== connectionId
    )
      return undefined
    return toPolicy(record)
  }

  /** Removes every policy of the agent (the agent is being deleted). */
  async removeForAgent(owner: string, agentId: string): Promise<void> {
    const places = (await this.records.list(owner)).filter((p) => p.agentId === agentId)
    for (const place of places) await this.removeRecord(place)
  }

  /** Removes every policy on the connection. */
  async removeForConnection(owner: string, connectionId: string): Promise<void> {
    const places = (await this.records.list(owner)).filter((p) => p.connectionId === connectionId)
    for (const place of places) await this.removeRecord(place)
  }

  /** The policy a record names, as its pair key holds it now; undefined when that key names another. */
  private async bound(place: PolicyPlace): Promise<PolicyRecord | undefined> {
    const value = await this.pairValue(pairKey(place))
    if (typeof value === 'string') return value === place.id && isWhole(place) ? place : undefined
    return value?.id === place.id ? value : undefined
  }

  /** A pair key's value: the policy (encoded, or an object as written before), or an id (before). */
  private async pairValue(key: string): Promise<PairValue | undefined> {
    return decodeRecord(await this.store.get<PairValue>(key))
  }

  /** A policy as the layout before stored it: the whole record under `policy:<id>`. */
  private async recordBefore(owner: string, id: string): Promise<PolicyRecord | undefined> {
    const place = await this.records.getOwned(owner, id)
    return place && isWhole(place) ? place : undefined
  }

  private async change(
    owner: string,
    id: string,
    edit: (current: PolicyRecord) => PolicyRecord,
  ): Promise<Policy> {
    const place = await this.records.getOwned(owner, id)
    if (!place) throw notFoundPolicy()
    return this.lock.withLock(pairLockOf(place), async () => {
      const current = await this.bound(place)
      if (!current) throw notFoundPolicy()
      const updated = { ...edit(current), updatedAt: this.now().toISOString() }
      await this.store.set(pairKey(place), encodeRecord(updated), PERMANENT)
      // A record of the layout before keeps its old rules, read no more: it keeps only the place.
      if (isWhole(place)) await this.records.update(owner, id, () => placeOf(updated)).catch(() => undefined)
      return toPolicy(updated)
    })
  }

  private removeRecord(place: PolicyPlace): Promise<void> {
    return this.lock.withLock(pairLockOf(place), async () => {
      const pair = pairKey(place)
      const value = await this.pairValue(pair)
      if (value === place.id || (typeof value === 'object' && value.id === place.id)) {
        await this.store.delete(pair)
      }
      await this.records.remove(place.owner, place.id)
    })
  }
}

function pairKey({ owner, agentId, connectionId }: PolicyPlace): string {
  return keys.policyPair(owner, agentId, connectionId)
}

function pairLockOf({ owner, agentId, connectionId }: PolicyPlace): string {
  return keys.policyPairLock(owner, agentId, connectionId)
}

function placeOf({ id, owner, agentId, connectionId }: PolicyRecord): PolicyPlace {
  return { id, owner, agentId, connectionId }
}

/** Whether a record holds the whole policy (written by the layout before), not only its place. */
function isWhole(place: PolicyPlace): place is PolicyRecord {
  return 'defaultMode' in place
}

function notFoundPolicy(): ConnectionsError {
  return new ConnectionsError('not_found', 'The policy was not found.')
}

/** The policies of records decoded once (kept frozen by decodeRecord): one copy per record, not per read. */
const policiesOf = new WeakMap<PolicyRecord, Policy>()

function toPolicy(record: PolicyRecord): Policy {
  const known = policiesOf.get(record)
  if (known) return known
  const { owner: _owner, ...policy } = record
  // Shared by every read of a frozen record: frozen too (its lists are the record's, frozen already).
  if (!Object.isFrozen(record)) return policy
  Object.freeze(policy)
  policiesOf.set(record, policy)
  return policy
}
