/** How many connections' opened secrets one process keeps at most. */
export const OPENED_SECRETS_MAX = 1000

interface Opened {
  recordId: string
  binding: string
  plaintext: Buffer
  expiresAt: number
}

/**
 * Secrets opened on a token hand-out, kept for a short while so that the next hand-outs of the same
 * record version skip the AES-GCM open (the largest part of a vend after the store read). The trade:
 * tokens stay in this process's memory for up to `ttlMs` after their last open (they are in memory
 * while each request uses them anyway). Bounded: at most {@link OPENED_SECRETS_MAX} entries, each for
 * `ttlMs` from when it was opened; an entry leaves on expiry (a timer sweeps), on eviction (oldest
 * first) or with `clear`, and its bytes are zeroed then.
 *
 * An entry is found by the sealed blob itself (a new seal — refresh, rotation, reconnect — is a new
 * blob, so a new entry) and is used only for the record id and binding it was opened for: a blob
 * copied onto another record, or a record whose bound fields were changed in the store, misses and is
 * opened (and refused) as before.
 */
export class OpenedSecrets {
  private readonly entries = new Map<string, Opened>()
  private sweeper: NodeJS.Timeout | undefined

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly max = OPENED_SECRETS_MAX,
  ) {}

  get(blob: string, recordId: string, binding: string): string | undefined {
    const entry = this.entries.get(blob)
    if (!entry) return undefined
    if (entry.expiresAt <= this.now()) {
      this.drop(blob, entry)
      return undefined
    }
    return entry.recordId === recordId && entry.binding === binding
      ? entry.plaintext.toString('utf8')
      : undefined
  }

  put(blob: string, recordId: string, binding: string, plaintext: string): void {
    const old = this.entries.get(blob)
    if (old) this.drop(blob, old)
    while (this.entries.size >= this.max) {
      const [oldest, entry] = this.entries.entries().next().value as [string, Opened]
      this.drop(oldest, entry)
    }
    this.entries.set(blob, {
      recordId,
      binding,
      plaintext: Buffer.from(plaintext, 'utf8'),
      expiresAt: this.now() + this.ttlMs,
    })
    this.sweeper ??= setInterval(() => this.sweep(), this.ttlMs).unref()
  }

  get size(): number {
    return this.entries.size
  }

  /** Drops every entry, zeroing it. */
  clear(): void {
    for (const [blob, entry] of this.entries) this.drop(blob, entry)
  }

  /** Drops the expired entries (the map is in insertion order: they are at its start). */
  private sweep(): void {
    const now = this.now()
    for (const [blob, entry] of this.entries) {
      if (entry.expiresAt > now) break
      this.drop(blob, entry)
    }
  }

  private drop(blob: string, entry: Opened): void {
    entry.plaintext.fill(0)
    this.entries.delete(blob)
    if (this.entries.size === 0 && this.sweeper) {
      clearInterval(this.sweeper)
      this.sweeper = undefined
    }
  }
}
