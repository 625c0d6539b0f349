import type { Lock } from '../locks/lock.js'
import { decodeRecord, encodeRecord } from './encoded.js'
import { keys } from './keys.js'
import type { SafeStore } from './safe-store.js'

const PERMANENT = 0

/** What every owned record carries: an id unique across owners, and its owner. */
export interface OwnedRecord {
  id: string
  owner: string
}

/**
 * Records of one kind, each owned by one owner, with no scans: a key per record (so a record is found
 * by its id alone, in one read) and an index of ids per owner, changed only under that owner's lock.
 * Like the connections' repository, a record is written before its id enters the index and leaves the
 * index before it is deleted, so the index never points at nothing that matters. A record changes only
 * under its own lock, after a fresh read, and locks are always taken owner first, then record.
 */
export class OwnedRecords<T extends OwnedRecord> {
  constructor(
    private readonly store: SafeStore,
    private readonly lock: Lock,
    private readonly kind: string,
    /** Written as one JSON string (storage/encoded.ts): for records read on every request. */
    private readonly encoded = false,
  ) {}

  /** The record, whoever owns it (the caller checks the owner, or has no owner yet: a key lookup). */
  async get(id: string): Promise<T | undefined> {
    const stored = decodeRecord(await this.store.get<T | string>(keys.owned(this.kind, id)))
    return typeof stored === 'object' ? stored : undefined
  }

  private write(record: T, ttlMs: number): Promise<void> {
    return this.store.set(
      keys.owned(this.kind, record.id),
      this.encoded ? encodeRecord(record) : record,
      ttlMs,
    )
  }

  /** The record if `owner` owns it: another owner's id reads as unknown. */
  async getOwned(owner: string, id: string): Promise<T | undefined> {
    const record = await this.get(id)
    return record?.owner === owner ? record : undefined
  }

  async list(owner: string): Promise<T[]> {
    const ids = (await this.store.get<string[]>(keys.ownedIndex(this.kind, owner))) ?? []
    const records: Array<T | undefined> = await Promise.all(ids.map((id) => this.get(id)))
    const gone = ids.filter((_id, at) => records[at] === undefined)
    if (gone.length > 0) await this.prune(owner, gone).catch(() => undefined)
    return records.filter((record): record is T => record?.owner === owner)
  }

  /**
   * Takes ids whose record is gone (expired by its TTL, or a removal whose index write failed) out of
   * the index, so it does not grow with them. Ids are never reused and a record is written before its
   * id is indexed, so an id found without its record stays without one.
   */
  private prune(owner: string, gone: readonly string[]): Promise<void> {
    const index = keys.ownedIndex(this.kind, owner)
    return this.lock.withLock(keys.ownedIndexLock(this.kind, owner), async () => {
      const ids = (await this.store.get<string[]>(index)) ?? []
      const rest = ids.filter((id) => !gone.includes(id))
      if (rest.length !== ids.length) await this.store.set(index, rest, PERMANENT)
    })
  }

  /** Writes a new record, then indexes it; if indexing fails, takes the record back out. */
  insert(record: T, ttlMs = PERMANENT): Promise<T> {
    return this.lock.withLock(keys.ownedIndexLock(this.kind, record.owner), async () => {
      await this.write(record, ttlMs)
      try {
        const index = keys.ownedIndex(this.kind, record.owner)
        const ids = (await this.store.get<string[]>(index)) ?? []
        if (!ids.includes(record.id)) await this.store.set(index, [...ids, record.id], PERMANENT)
      } catch (error) {
        await this.store.delete(keys.owned(this.kind, record.id)).catch(() => undefined)
        throw error
      }
      return record
    })
  }

  /**
   * Read-modify-write of the owner's record under its lock: `change` sees the record as stored now and
   * may throw to refuse (nothing is written) or return `current` to leave it. Undefined when `owner`
   * has no such record.
   */
  update(
    owner: string,
    id: string,
    change: (current: T) => T | Promise<T>,
    ttlMs = PERMANENT,
  ): Promise<T | undefined> {
    return this.lock.withLock(keys.ownedLock(this.kind, id), async () => {
      const current = await this.getOwned(owner, id)
      if (!current) return undefined
      const next = await change(current)
      if (next !== current) await this.write(next, ttlMs)
      return next
    })
  }

  /**
   * Removes the owner's record, the record first: whatever finds it by id (a key lookup) stops finding
   * it at once. An id left in the index by a failed index write is skipped by `list`. The removed
   * record, if any.
   */
  remove(owner: string, id: string): Promise<T | undefined> {
    return this.lock.withLock(keys.ownedIndexLock(this.kind, owner), () =>
      this.lock.withLock(keys.ownedLock(this.kind, id), async () => {
        const record = await this.getOwned(owner, id)
        if (!record) return undefined
        await this.store.delete(keys.owned(this.kind, id))
        const index = keys.ownedIndex(this.kind, owner)
        const ids = (await this.store.get<string[]>(index).catch(() => undefined)) ?? []
        const rest = ids.filter((other) => other !== id)
        if (rest.length !== ids.length) await this.store.set(index, rest, PERMANENT).catch(() => undefined)
        return record
      }),
    )
  }
}
