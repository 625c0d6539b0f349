import type { ConnectionRecord, PendingFlow } from '../core/model.js'
import type { Lock } from '../locks/lock.js'
import { keys } from './keys.js'
import type { SafeStore } from './safe-store.js'

/** Keyv reads a ttl of 0 as "never expires", overriding a default ttl the host's Keyv may carry. */
const PERMANENT = 0

/**
 * Connections on a key-value store with no scans and no transactions: a record per connection and one
 * index per owner (listing is one index read plus one read per connection). The index changes only
 * under the owner's lock, a record only under its own lock after a fresh read, and a record is written
 * before its id enters the index, so the index never points at nothing. Locks are always taken owner
 * first, then connection, so two writers can never wait on each other.
 */
export class Repository {
  constructor(
    private readonly store: SafeStore,
    private readonly lock: Lock,
  ) {}

  getConnection(id: string): Promise<ConnectionRecord | undefined> {
    return this.store.get<ConnectionRecord>(keys.connection(id))
  }

  /**
   * Read-modify-write of one record under its lock: `change` sees the record as stored now, not as a
   * caller read it earlier, so concurrent updates (a relabel during a reconnect) never undo each other.
   * `change` may throw to refuse (nothing is written then) or return `current` itself to leave it as
   * it is.
   */
  updateConnection(
    id: string,
    change: (current: ConnectionRecord) => ConnectionRecord | Promise<ConnectionRecord>,
    options: { writeRetriesMs?: readonly number[] } = {},
  ): Promise<ConnectionRecord> {
    return this.lock.withLock(keys.connectionLock(id), async () => {
      const current = await this.getConnection(id)
      if (!current) throw new MissingRecordError(id)
      const next = await change(current)
      if (next !== current) await this.write(keys.connection(id), next, options.writeRetriesMs ?? [])
      return next
    })
  }

  /** A write tried again after each pause while it fails, still under the caller's lock. */
  private async write(key: string, value: unknown, retriesMs: readonly number[]): Promise<void> {
    for (const pause of retriesMs) {
      try {
        return await this.store.set(key, value, PERMANENT)
      } catch {
        await new Promise((resolve) => setTimeout(resolve, pause))
      }
    }
    await this.store.set(key, value, PERMANENT)
  }

  /**
   * Under the owner's lock: finds the record `match` picks among the owner's connections and updates
   * it, or creates `build(undefined)` and indexes it. Used where connecting again must replace, not
   * add (singleton providers, the same account connected twice).
   */
  upsertConnection(
    owner: string,
    match: (record: ConnectionRecord) => boolean,
    build: (existing: ConnectionRecord | undefined) => ConnectionRecord,
  ): Promise<{ record: ConnectionRecord; created: boolean }> {
    return this.lock.withLock(keys.ownerLock(owner), async () => {
      // The index read here stays current until the lock is released: the insert does not read it again.
      const ids = await this.listIds(owner)
      const existing = (await this.recordsOf(owner, ids)).find(match)
      if (existing) return { record: await this.updateConnection(existing.id, build), created: false }
      const record = build(undefined)
      await this.insertUnderOwnerLock(record, ids)
      return { record, created: true }
    })
  }

  async listIds(owner: string): Promise<string[]> {
    return (await this.store.get<string[]>(keys.ownerIndex(owner))) ?? []
  }

  async listConnections(owner: string): Promise<ConnectionRecord[]> {
    return this.recordsOf(owner, await this.listIds(owner))
  }

  /** The owner's records behind these ids, in one store call where the store reads many at once. */
  private async recordsOf(owner: string, ids: readonly string[]): Promise<ConnectionRecord[]> {
    const records = await this.store.getMany<ConnectionRecord>(ids.map((id) => keys.connection(id)))
    return records.filter((record): record is ConnectionRecord => record?.owner === owner)
  }

  async putFlow(state: string, flow: PendingFlow, ttlMs: number): Promise<void> {
    await this.store.set(keys.flow(state), flow, ttlMs)
  }

  peekFlow(state: string): Promise<PendingFlow | undefined> {
    return this.store.get<PendingFlow>(keys.flow(state))
  }

  /** Reads and deletes a flow: a state is good for one callback only, even for two racing ones. */
  takeFlow(state: string): Promise<PendingFlow | undefined> {
    return this.lock.withLock(keys.flowLock(state), async () => {
      const flow = await this.store.get<PendingFlow>(keys.flow(state))
      if (flow) await this.store.delete(keys.flow(state))
      return flow
    })
  }

  /**
   * Writes a new record, then adds it to the owner's index (`ids`, as read under the same lock); if
   * that fails, takes the record back out.
   */
  private async insertUnderOwnerLock(record: ConnectionRecord, ids: readonly string[]): Promise<void> {
    await this.store.set(keys.connection(record.id), record, PERMANENT)
    try {
      if (!ids.includes(record.id))
        await this.store.set(keys.ownerIndex(record.owner), [...ids, record.id], PERMANENT)
    } catch (error) {
      await this.store.delete(keys.connection(record.id)).catch(() => undefined)
      throw error
    }
  }
}

/** The record disappeared between an index read and its update. */
export class MissingRecordError extends Error {
  constructor(id: string) {
    super(`Connection ${id} is not in the store.`)
    this.name = 'MissingRecordError'
  }
}
