import type { Lock } from '../locks/lock.js'
import { keys } from '../storage/keys.js'
import type { SafeStore } from '../storage/safe-store.js'

/** Where a connection's tools stand: not yet synced, being synced, synced, or the last sync failed. */
export type ToolsStatus = 'pending' | 'syncing' | 'synced' | 'failed'

/** What `GET /connections` rows and `GET /connections/:id` carry about the connection's tools. */
export interface ToolsSummary {
  toolsStatus: ToolsStatus
  /** When the last sync finished; null before the first, and for a provider without tools. */
  toolsSyncedAt: string | null
}

const PERMANENT = 0

/**
 * One key per owner holding every connection's {@link ToolsSummary}, so a list of connections costs
 * one extra read however long it is. Changed read-modify-write under the owner's tools-status lock.
 */
export class ToolsStatusBook {
  constructor(
    private readonly store: SafeStore,
    private readonly lock: Lock,
  ) {}

  async read(owner: string): Promise<Record<string, ToolsSummary>> {
    return (await this.store.get<Record<string, ToolsSummary>>(keys.toolsStatus(owner))) ?? {}
  }

  /** Sets one connection's summary; `syncedAt` undefined keeps the one it had. */
  set(owner: string, connectionId: string, status: ToolsStatus, syncedAt?: string): Promise<void> {
    return this.lock.withLock(keys.toolsStatusLock(owner), async () => {
      const all = await this.read(owner)
      const before = all[connectionId]
      all[connectionId] = { toolsStatus: status, toolsSyncedAt: syncedAt ?? before?.toolsSyncedAt ?? null }
      await this.store.set(keys.toolsStatus(owner), all, PERMANENT)
    })
  }
}
