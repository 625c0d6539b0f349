import { randomUUID } from 'node:crypto'
import type { AuditEntry, AuditPage } from '../core/audit.js'
import type { Lock } from '../locks/lock.js'
import { keys, ownerKey } from './keys.js'
import type { SafeStore } from './safe-store.js'

const PERMANENT = 0

/**
 * Append-only audit streams on the key-value store: one per owner and one per connection, each a
 * sequence counter plus one key per entry. Appending is two writes under the stream's lock; a page is
 * one counter read and one read per entry, whatever the length of the trail. Entries expire after the
 * retention period; counters stay.
 */
export class AuditLog {
  constructor(
    private readonly store: SafeStore,
    private readonly lock: Lock,
    private readonly retentionMs: number,
  ) {}

  async append(owner: string, entry: Omit<AuditEntry, 'id'>): Promise<AuditEntry> {
    const full: AuditEntry = { id: randomUUID(), ...entry }
    await this.push(ownerStream(owner), full)
    await this.push(connectionStream(entry.connectionId), full)
    return full
  }

  /** Newest first. `connectionId` reads that connection's stream; the caller checks it is the owner's. */
  async page(
    owner: string,
    options: { connectionId?: string; limit: number; cursor?: string },
  ): Promise<AuditPage> {
    const stream = options.connectionId ? connectionStream(options.connectionId) : ownerStream(owner)
    const head = (await this.store.get<number>(keys.auditHead(stream))) ?? 0
    const from = options.cursor ? Math.min(Number(options.cursor), head) : head
    const seqs = Array.from({ length: Math.max(0, Math.min(options.limit, from)) }, (_, i) => from - i)
    const entries = await Promise.all(
      seqs.map((seq) => this.store.get<AuditEntry>(keys.auditEntry(stream, seq))),
    )
    const last = seqs.at(-1) ?? 0
    return {
      entries: entries.filter((entry): entry is AuditEntry => entry !== undefined),
      nextCursor: last > 1 ? String(last - 1) : null,
    }
  }

  private push(stream: string, entry: AuditEntry): Promise<void> {
    return this.lock.withLock(keys.auditLock(stream), async () => {
      const seq = ((await this.store.get<number>(keys.auditHead(stream))) ?? 0) + 1
      await this.store.set(keys.auditEntry(stream, seq), entry, this.retentionMs)
      await this.store.set(keys.auditHead(stream), seq, PERMANENT)
    })
  }
}

function ownerStream(owner: string): string {
  return `owner:${ownerKey(owner)}`
}

function connectionStream(id: string): string {
  return `connection:${id}`
}
