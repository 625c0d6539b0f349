/** One limit's window as the in-process counter sees it: its key, its limit and when it ends. */
export interface WindowSlot {
  key: string
  limit: number
  endsAt: number
}

/** How often windows that have ended are dropped: the map holds at most a sweep's worth of them. */
const SWEEP_EVERY_MS = 60_000

/**
 * Fixed-window counts for one process (`rateLimitStore: 'memory'`). The check and the counting run
 * synchronously, so no other call can interleave: a call is counted in every window or in none, with
 * no promise, timer or refund per call (rate-limiter-flexible's memory limiter had all three).
 */
export class MemoryRateCounts {
  private readonly counts = new Map<string, { count: number; endsAt: number }>()
  private nextSweep = 0

  /** Counts the call in every slot if each is under its limit; else counts nothing and says false. */
  take(slots: readonly WindowSlot[], at: number): boolean {
    this.sweep(at)
    for (const slot of slots) {
      const current = this.counts.get(slot.key)
      if (current && current.count >= slot.limit) return false
    }
    for (const slot of slots) {
      const current = this.counts.get(slot.key)
      if (current) current.count += 1
      else this.counts.set(slot.key, { count: 1, endsAt: slot.endsAt })
    }
    return true
  }

  /** Uncounts a call that {@link take} counted in these slots (a window that has ended is gone already). */
  untake(slots: readonly WindowSlot[]): void {
    for (const slot of slots) {
      const current = this.counts.get(slot.key)
      if (current && current.count > 0) current.count -= 1
    }
  }

  /** Whether the slot is at its limit (for Retry-After: which windows refused). */
  full(slot: WindowSlot): boolean {
    return (this.counts.get(slot.key)?.count ?? 0) >= slot.limit
  }

  private sweep(at: number): void {
    if (at < this.nextSweep) return
    this.nextSweep = at + SWEEP_EVERY_MS
    for (const [key, entry] of this.counts) if (entry.endsAt <= at) this.counts.delete(key)
  }
}
