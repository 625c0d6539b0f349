import { RateLimiterPostgres, RateLimiterRedis, type RateLimiterStoreAbstract } from 'rate-limiter-flexible'
import { storeUnavailable } from '../core/errors.js'
import type { Logger } from '../logger.js'
import { MemoryRateCounts, type WindowSlot } from './memory-rate-counts.js'
import { type RateLimitRule, type TakeResult, WINDOW_MS } from './rate-windows.js'
import { SharedRateCounts } from './shared-rate-counts.js'

export type { RateLimitRule, TakeResult } from './rate-windows.js'

/**
 * Where rate counts live. `'memory'` is exact for one process only; several instances need the Redis
 * (a connected node-redis client) or PostgreSQL (a `pg.Pool`) they share.
 */
export type RateLimitStore = 'memory' | { redis: object } | { postgres: object }

const TABLE = 'express_connections_rate_counts'

type Limiter = RateLimiterStoreAbstract

/**
 * Exact fixed-window counts per policy. Shared stores go through rate-limiter-flexible: each window is a counter key
 * (`<policy>:<per>:<window index>`), incremented atomically by the store (a Lua script on Redis, an
 * upsert on PostgreSQL), so two instances never both take the last call; {@link SharedRateCounts}
 * counts one process's calls of the same moment together. Windows are aligned to UTC (a minute is :00 to
 * :59). A call is counted only when every limit allows it: a refused call gives back what it took,
 * so it never uses up a window. In memory (one process), {@link MemoryRateCounts} checks and counts
 * every window in one synchronous step.
 */
export class RateCounter {
  private readonly limiters = new Map<string, Promise<Limiter>>()
  private readonly memory: MemoryRateCounts | undefined
  private readonly counts: SharedRateCounts

  constructor(private readonly store: RateLimitStore) {
    this.memory = store === 'memory' ? new MemoryRateCounts() : undefined
    this.counts = new SharedRateCounts((rule) => this.limiter(rule))
  }

  /** Whether counts live in a store other processes share (each count is then a round trip). */
  get shared(): boolean {
    return this.memory === undefined
  }

  /** Counts a call in every limit, or in none. `ahead`: started with the call's reads (Gate.countAhead). */
  take(policyId: string, limits: readonly RateLimitRule[], now: Date, ahead = false): Promise<TakeResult> {
    const at = now.getTime()
    if (this.memory) return Promise.resolve(takeInMemory(this.memory, policyId, limits, at))
    return this.counts.take(policyId, limits, at, ahead)
  }

  /** Gives back a call that {@link take} counted at `now` and that did not run after all. */
  async giveBack(policyId: string, limits: readonly RateLimitRule[], now: Date): Promise<void> {
    const at = now.getTime()
    if (this.memory) {
      this.memory.untake(memorySlots(policyId, limits, at))
      return
    }
    await this.counts.giveBack(policyId, limits, at)
  }

  private limiter(rule: RateLimitRule): Promise<Limiter> {
    const id = `${rule.limit}/${rule.per}`
    let limiter = this.limiters.get(id)
    if (!limiter) {
      limiter = this.build(rule)
      // A table that could not be made is tried again on the next call.
      limiter.catch(() => this.limiters.delete(id))
      this.limiters.set(id, limiter)
    }
    return limiter
  }

  private build({ limit, per }: RateLimitRule): Promise<Limiter> {
    const common = { points: limit, duration: WINDOW_MS[per] / 1000, keyPrefix: `ec-rate:${limit}:${per}` }
    const store = this.store
    if (store === 'memory') throw new Error('RateCounter: memory counts are kept by MemoryRateCounts.')
    if ('redis' in store) {
      return Promise.resolve(
        new RateLimiterRedis({ ...common, storeClient: store.redis, useRedisPackage: true }),
      )
    }
    return new Promise((resolve, reject) => {
      const limiter: RateLimiterPostgres = new RateLimiterPostgres(
        { ...common, storeClient: store.postgres, storeType: 'pool', tableName: TABLE },
        (error?: unknown) => (error ? reject(storeUnavailable(error)) : resolve(limiter)),
      )
    })
  }
}

function memorySlots(policyId: string, limits: readonly RateLimitRule[], at: number): WindowSlot[] {
  return limits.map(({ limit, per }) => {
    const windowMs = WINDOW_MS[per]
    const index = Math.floor(at / windowMs)
    // The limit is in the key as rate-limiter-flexible's prefix had it: a changed limit starts afresh.
    return { key: `${policyId}:${limit}:${per}:${index}`, limit, endsAt: (index + 1) * windowMs }
  })
}

function takeInMemory(
  counts: MemoryRateCounts,
  policyId: string,
  limits: readonly RateLimitRule[],
  at: number,
): TakeResult {
  const slots = memorySlots(policyId, limits, at)
  if (counts.take(slots, at)) return { ok: true }
  const until = Math.max(...slots.filter((slot) => counts.full(slot)).map((slot) => slot.endsAt))
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((until - at) / 1000)) }
}

/**
 * The counter for the `rateLimitStore` option. Counting in memory while the router shares a lock with
 * other instances means each instance counts alone: said once at start-up, outside production.
 */
export function createRateCounter(
  store: RateLimitStore | undefined,
  setup: { sharedLock: boolean; logger: Logger },
): RateCounter {
  const chosen = store ?? 'memory'
  if (chosen === 'memory' && setup.sharedLock && process.env.NODE_ENV !== 'production') {
    setup.logger.warn(
      'express-connections: a shared lock is set but rate limits are counted in memory, so each instance ' +
        'counts alone: set rateLimitStore to { redis: client } or { postgres: pool }.',
    )
  }
  return new RateCounter(chosen)
}
