import { RateLimiterRes, type RateLimiterStoreAbstract } from 'rate-limiter-flexible'
import { ConnectionsError, storeUnavailable } from '../core/errors.js'
import { type RateLimitRule, type TakeResult, WINDOW_MS } from './rate-windows.js'

interface Waiting {
  at: number
  settle: (result: TakeResult) => void
  fail: (error: unknown) => void
}

/** The calls of one moment (see SharedRateCounts.take) for one policy, with the same limits, in the same windows. */
interface Batch {
  policyId: string
  limits: readonly RateLimitRule[]
  windows: readonly number[]
  waiting: Waiting[]
}

/**
 * Fixed-window counts in a store other processes share (Redis, PostgreSQL), through
 * rate-limiter-flexible. The calls one process asks to count at the same moment (see {@link take}),
 * for the same policy and windows, are counted together: one atomic increment by their number per limit, whose new total
 * says which of them fit (those whose counts are within the limit, in the order they asked). What did
 * not fit is given back at once, so a refused call never uses up a window, as when counted one by
 * one. Under load, an agent's concurrent calls then cost one store command per tick, not one each.
 */
export class SharedRateCounts {
  private readonly open = new Map<string, Batch>()

  constructor(private readonly limiterFor: (rule: RateLimitRule) => Promise<RateLimiterStoreAbstract>) {}

  /**
   * Counts a call. `ahead`: the count starts with a request's reads (Gate.countAhead), in the
   * request's own turn of the event loop: the calls of the requests read in one turn are counted
   * together, sent with those reads. Otherwise the calls of this tick are counted together, sent at
   * once (they follow reads that came back together).
   */
  take(policyId: string, limits: readonly RateLimitRule[], at: number, ahead = false): Promise<TakeResult> {
    const windows = limits.map((rule) => Math.floor(at / WINDOW_MS[rule.per]))
    const id = `${ahead ? 'ahead' : 'now'}\u0000${policyId}\u0000${limits.map((rule, i) => `${rule.limit}/${rule.per}/${windows[i]}`).join(',')}`
    let batch = this.open.get(id)
    if (!batch) {
      const fresh: Batch = { policyId, limits, windows, waiting: [] }
      this.open.set(id, fresh)
      const count = () => {
        this.open.delete(id)
        void this.count(fresh)
      }
      // setImmediate runs once the turn's I/O is handled; node-redis writes what was sent meanwhile at
      // that same point, so the counts go out with the reads sent before them. nextTick runs once
      // this tick's promise jobs are done.
      if (ahead) setImmediate(count)
      else process.nextTick(count)
      batch = fresh
    }
    const joined = batch
    return new Promise((settle, fail) => joined.waiting.push({ at, settle, fail }))
  }

  private async count(batch: Batch): Promise<void> {
    const calls = batch.waiting.length
    try {
      const counted = await Promise.all(
        batch.limits.map(async (rule, i) => {
          const limiter = await this.limiterFor(rule)
          const window = batch.windows[i] as number
          const key = counterKey(batch.policyId, rule, window)
          const total = await limiter.consume(key, calls).then(
            (res) => res.consumedPoints,
            (refusal: unknown) => {
              if (refusal instanceof RateLimiterRes) return refusal.consumedPoints
              throw refusal
            },
          )
          // This batch holds the counts total - calls + 1 … total: those within the limit may run.
          const fits = Math.min(calls, Math.max(0, rule.limit - (total - calls)))
          return { limiter, key, fits, windowEnd: (window + 1) * WINDOW_MS[rule.per] }
        }),
      )
      const runs = Math.min(...counted.map((one) => one.fits))
      if (runs < calls) await Promise.all(counted.map((one) => one.limiter.reward(one.key, calls - runs)))
      for (const [i, call] of batch.waiting.entries()) {
        if (i < runs) {
          call.settle({ ok: true })
          continue
        }
        // Retry once every limit that had no room for this call has started a new window.
        const until = Math.max(...counted.filter((one) => one.fits <= i).map((one) => one.windowEnd))
        call.settle({ ok: false, retryAfterSeconds: Math.max(1, Math.ceil((until - call.at) / 1000)) })
      }
    } catch (error) {
      const failure = error instanceof ConnectionsError ? error : storeUnavailable(error)
      for (const call of batch.waiting) call.fail(failure)
    }
  }

  /** Gives back one call that {@link take} counted at `at` and that did not run after all. */
  async giveBack(policyId: string, limits: readonly RateLimitRule[], at: number): Promise<void> {
    await Promise.all(
      limits.map(async (rule) =>
        (await this.limiterFor(rule)).reward(
          counterKey(policyId, rule, Math.floor(at / WINDOW_MS[rule.per])),
          1,
        ),
      ),
    ).catch((error: unknown) => {
      throw storeUnavailable(error)
    })
  }
}

/** A limit's counter for one window (rate-limiter-flexible's key prefix adds the limit). */
function counterKey(policyId: string, rule: RateLimitRule, window: number): string {
  return `${policyId}:${rule.per}:${window}`
}
