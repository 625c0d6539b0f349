/** Past this many remembered hand-outs, the ones older than the interval are forgotten. */
const PRUNE_AT = 10_000

/**
 * When a token hand-out needs an audit entry of its own: the first one per connection and actor in
 * each interval, in this process. The entry is written before that token is handed out, and hand-outs
 * that come while it is being written wait for it; the ones that follow within the interval are
 * covered by it. Writing one per hand-out made the audit trail (two streams, four store writes) the
 * whole cost of vending a token. An interval of 0 audits every hand-out.
 */
export class TokenAuditThrottle {
  private readonly lastAudited = new Map<string, number>()
  private readonly writing = new Map<string, Promise<void>>()

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => Date,
  ) {}

  /**
   * Resolves once an audit entry covers a hand-out of `connectionId`'s token to `actor` now, calling
   * `write` when none does; rejects (and no token may be handed out) when that write fails.
   */
  async cover(connectionId: string, actor: string, write: () => Promise<void>): Promise<void> {
    if (this.intervalMs === 0) return write()
    // A connection id is a UUID, without spaces: the key is unambiguous.
    const key = `${connectionId} ${actor}`
    const last = this.lastAudited.get(key)
    if (last !== undefined && this.now().getTime() - last < this.intervalMs) return
    const running = this.writing.get(key)
    if (running) return running
    const run = write()
      .then(() => this.audited(key))
      .finally(() => this.writing.delete(key))
    this.writing.set(key, run)
    return run
  }

  private audited(key: string): void {
    const at = this.now().getTime()
    this.lastAudited.set(key, at)
    if (this.lastAudited.size <= PRUNE_AT) return
    for (const [entry, last] of this.lastAudited) {
      if (at - last >= this.intervalMs) this.lastAudited.delete(entry)
    }
  }
}
