import type { ConnectionRecord, PendingFlow } from '../core/model.js'
import type { Lock } from '../locks/lock.js'
import { keys } from './keys.js'
import type { SafeStore } from './safe-store.js'

/**
 * Connections on a key-value store with no scans and no transactions: a record per connection and one
 * index per owner (listing is one index read plus one read per connection). The index changes only
 * under the owner's lock; a record is written before its id enters the index, so the index never
 * points at nothing.
 */
export class Repository {
  constructor(
    private readonly store: SafeStore,
    private readonly lock: Lock,
  ) {}

  getConnection(id: string): Promise<ConnectionRecord | undefined> {
    return this.store.get<ConnectionRecord>(keys.connection(id))
  }

  async putConnection(record: ConnectionRecord): Promise<void> {
    await this.store.set(keys.connection(record.id), record)
  }

  /** Writes a new record and adds it to its owner's index; on failure, takes the record back out. */
  async createConnection(record: ConnectionRecord): Promise<void> {
    await this.putConnection(record)
    try {
      await this.lock.withLock(keys.ownerLock(record.owner), async () => {
        const ids = await this.listIds(record.owner)
        if (!ids.includes(record.id)) await this.store.set(keys.ownerIndex(record.owner), [...ids, record.id])
      })
    } catch (error) {
      await this.store.delete(keys.connection(record.id)).catch(() => undefined)
      throw error
    }
  }

  async listIds(owner: string): Promise<string[]> {
    return (await this.store.get<string[]>(keys.ownerIndex(owner))) ?? []
  }

  async listConnections(owner: string): Promise<ConnectionRecord[]> {
    const ids = await this.listIds(owner)
    const records = await Promise.all(ids.map((id) => this.getConnection(id)))
    return records.filter((record): record is ConnectionRecord => record?.owner === owner)
  }

  async putFlow(state: string, flow: PendingFlow, ttlMs: number): Promise<void> {
    await this.store.set(keys.flow(state), flow, ttlMs)
  }

  /** Reads and deletes a flow: a state is good for one callback only, even for two racing ones. */
  takeFlow(state: string): Promise<PendingFlow | undefined> {
    return this.lock.withLock(keys.flowLock(state), async () => {
      const flow = await this.store.get<PendingFlow>(keys.flow(state))
      if (flow) await this.store.delete(keys.flow(state))
      return flow
    })
  }
}
