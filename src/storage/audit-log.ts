import { createHmac, randomUUID } from 'node:crypto'
import type { AuditAnchor, AuditEntry, AuditPage, AuditProblem, AuditVerification } from '../core/audit.js'
import { canonicalJson } from '../crypto/canonical-json.js'
import { sameSecret } from '../crypto/compare.js'
import type { Lock } from '../locks/lock.js'
import { keys, ownerKey } from './keys.js'
import type { SafeStore } from './safe-store.js'

const PERMANENT = 0
/** How many entries `verify` reads at once. */
const VERIFY_BATCH = 100

/**
 * Where an entry sits in its stream's chain (kept with the entry, never returned by the API):
 * `mac = HMAC-SHA256(key, prev + canonicalJson({ ...entry, seq, stream }))`, `prev` being the MAC of
 * the stream's previous entry ('' for the first entry, or when the previous one was gone or written
 * before entries were chained). `prev` is stored too, so the oldest entry still there can be checked
 * after the ones before it expired.
 */
interface ChainLink {
  seq: number
  prev: string
  mac: string
}

type StoredEntry = AuditEntry & { chain?: ChainLink }

/**
 * Append-only audit streams on the key-value store: one per owner and one per connection, each a
 * sequence counter plus one key per entry. Appending is three store calls under the stream's lock
 * (the previous entry, for its MAC; the entry; the counter); a page is one counter read and one read
 * per entry, whatever the length of the trail. Entries expire after the retention period; counters
 * stay.
 *
 * With `macKeys` (the current key first), each entry is chained to the previous one of its stream by
 * an HMAC (SECURITY.md P18), and {@link verify} tells an edited, deleted or moved entry from one that
 * expired at the old end. Any of the keys verifies, so rotating the encryption key keeps older chains
 * verifiable while the old key stays in the ring.
 */
export class AuditLog {
  private readonly macKeys: Buffer[]

  constructor(
    private readonly store: SafeStore,
    private readonly lock: Lock,
    private readonly retentionMs: number,
    macKeys: readonly string[] = [],
  ) {
    this.macKeys = macKeys.map((key) => Buffer.from(key, 'base64url'))
  }

  async append(owner: string, entry: Omit<AuditEntry, 'id'>): Promise<AuditEntry> {
    const full: AuditEntry = { id: randomUUID(), ...entry }
    // The two streams have locks and sequences of their own: written side by side, a hand-out that
    // waits for its entry waits for one stream's round trips, not both in a row.
    await Promise.all([
      this.push(ownerStream(owner), full),
      entry.connectionId ? this.push(connectionStream(entry.connectionId), full) : undefined,
    ])
    return full
  }

  /** Newest first. `connectionId` reads that connection's stream; the caller checks it is the owner's. */
  async page(
    owner: string,
    options: { connectionId?: string; limit: number; cursor?: string },
  ): Promise<AuditPage> {
    const stream = streamOf(owner, options.connectionId)
    const head = (await this.store.get<number>(keys.auditHead(stream))) ?? 0
    const from = options.cursor ? Math.min(Number(options.cursor), head) : head
    const seqs = Array.from({ length: Math.max(0, Math.min(options.limit, from)) }, (_, i) => from - i)
    const entries = await Promise.all(
      seqs.map((seq) => this.store.get<StoredEntry>(keys.auditEntry(stream, seq))),
    )
    const last = seqs.at(-1) ?? 0
    return {
      entries: entries.filter((entry): entry is StoredEntry => entry !== undefined).map(publicEntry),
      nextCursor: last > 1 ? String(last - 1) : null,
    }
  }

  /**
   * Walks a stream from its head down to seq 1 and recomputes its chain. An entry whose MAC does not
   * match (or that the next entry does not chain to) is `modified`; an authentic entry at another
   * seq than its own is `reordered`; an entry that is gone while an older one is still there is
   * `missing`. Entries gone at the old end expired: the chain starts at the oldest one present.
   * Entries written before chaining (no MAC) are accepted only below the entry that started the chain.
   * Reads every seq of the stream (in batches), so it costs one read per entry ever appended.
   *
   * With an `anchor` (a `head` an earlier check returned, kept outside the store), the newest entries
   * removed together with the counter are `missing` too (counters never go back), and an entry at the
   * anchor's seq that is not the anchored one is `modified`.
   */
  async verify(
    owner: string,
    options: { connectionId?: string; anchor?: AuditAnchor } = {},
  ): Promise<AuditVerification> {
    if (this.macKeys.length === 0) throw new Error('AuditLog: no MAC key, the audit trail is not chained.')
    const stream = streamOf(owner, options.connectionId)
    const head = (await this.store.get<number>(keys.auditHead(stream))) ?? 0
    const anchor = options.anchor
    const problems: AuditProblem[] = []
    for (let seq = anchor?.seq ?? 0; seq > head; seq--) problems.push({ seq, problem: 'missing' })
    let newest: AuditAnchor | null = null
    let checked = 0
    /** Seqs found empty since the last entry present: missing if an older entry turns up. */
    let gap: number[] = []
    /** The nearest authentic entry above (no gap between), whose `prev` the current entry must match. */
    let above: ChainLink | null = null
    /** An authentic entry above started the chain (prev '' past seq 1): unchained entries below are older. */
    let preChain = false
    for (let top = head; top >= 1; top -= VERIFY_BATCH) {
      const seqs = Array.from({ length: Math.min(VERIFY_BATCH, top) }, (_, i) => top - i)
      const batch = await Promise.all(
        seqs.map((seq) => this.store.get<StoredEntry>(keys.auditEntry(stream, seq))),
      )
      for (const [i, stored] of batch.entries()) {
        const seq = seqs[i] as number
        if (stored === undefined) {
          gap.push(seq)
          above = null
          continue
        }
        for (const lost of gap) problems.push({ seq: lost, problem: 'missing' })
        gap = []
        checked += 1
        const expected = above?.prev
        above = null
        const link = stored.chain
        if (!link) {
          if (!preChain) problems.push({ seq, problem: 'modified' })
          continue
        }
        if (!this.authentic(stream, stored, link)) {
          problems.push({ seq, problem: 'modified' })
          continue
        }
        if (link.seq !== seq) {
          problems.push({ seq, problem: 'reordered' })
          continue
        }
        if (expected !== undefined && expected !== link.mac) {
          problems.push({ seq, problem: 'modified' })
          continue
        }
        if (anchor?.seq === seq && !sameSecret(anchor.mac, link.mac)) {
          problems.push({ seq, problem: 'modified' })
          continue
        }
        newest ??= { seq, mac: link.mac }
        above = link
        preChain = link.prev === '' && seq > 1
      }
    }
    return { checked, intact: problems.length === 0, problems, head: newest }
  }

  private push(stream: string, entry: AuditEntry): Promise<void> {
    return this.lock.withLock(keys.auditLock(stream), async () => {
      const seq = ((await this.store.get<number>(keys.auditHead(stream))) ?? 0) + 1
      const stored: StoredEntry = this.macKeys.length === 0 ? entry : await this.chained(stream, entry, seq)
      await this.store.set(keys.auditEntry(stream, seq), stored, this.retentionMs)
      await this.store.set(keys.auditHead(stream), seq, PERMANENT)
    })
  }

  private async chained(stream: string, entry: AuditEntry, seq: number): Promise<StoredEntry> {
    const previous = seq > 1 ? await this.store.get<StoredEntry>(keys.auditEntry(stream, seq - 1)) : undefined
    const prev = previous?.chain?.mac ?? ''
    const mac = macOf(this.macKeys[0] as Buffer, stream, entry, seq, prev)
    return { ...entry, chain: { seq, prev, mac } }
  }

  private authentic(stream: string, stored: StoredEntry, link: ChainLink): boolean {
    if (typeof link.mac !== 'string' || typeof link.prev !== 'string' || !Number.isSafeInteger(link.seq)) {
      return false
    }
    const entry = publicEntry(stored)
    return this.macKeys.some((key) => sameSecret(macOf(key, stream, entry, link.seq, link.prev), link.mac))
  }
}

function macOf(key: Buffer, stream: string, entry: AuditEntry, seq: number, prev: string): string {
  return createHmac('sha256', key)
    .update(prev, 'utf8')
    .update(canonicalJson({ ...entry, seq, stream }), 'utf8')
    .digest('base64url')
}

function publicEntry(stored: StoredEntry): AuditEntry {
  const { chain: _chain, ...entry } = stored
  return entry
}

function streamOf(owner: string, connectionId?: string): string {
  return connectionId ? connectionStream(connectionId) : ownerStream(owner)
}

function ownerStream(owner: string): string {
  return `owner:${ownerKey(owner)}`
}

function connectionStream(id: string): string {
  return `connection:${id}`
}
