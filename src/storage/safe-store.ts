import { storeUnavailable } from '../core/errors.js'
import type { KeyvLike } from './keyv-like.js'
import { detectMaxTtlMs, expiring, unwrapExpiring } from './ttl-limit.js'

/**
 * Every store call goes through here: a failure or a hang becomes `store_unavailable`, never
 * `undefined` (Keyv's default reads a broken store as an empty one, see DESIGN.md §3).
 *
 * A TTL longer than the adapter can hold (`maxTtlMs`, detected for @keyv/memcache) is not handed to
 * it: the value is stored without an adapter TTL and carries its expiry, checked on every read.
 */
export class SafeStore {
  private readonly maxTtlMs: number | undefined
  /** Whether the adapter reads many keys in one call (see {@link get}). */
  private readonly readsMany: boolean
  /** Reads asked for in the current tick, sent together when it ends. */
  private batch: Array<{ key: string; settle: Settle }> | undefined

  constructor(
    private readonly keyv: KeyvLike,
    private readonly timeoutMs: number,
    maxTtlMs?: number,
  ) {
    this.maxTtlMs = maxTtlMs ?? detectMaxTtlMs(keyv)
    if ('throwOnErrors' in keyv) keyv.throwOnErrors = true
    // Some adapters (@keyv/redis) catch errors themselves unless told not to, and Keyv does not pass
    // its own flag on: a failing Redis would otherwise read as an empty store.
    const adapter = (keyv as { store?: unknown }).store
    if (typeof adapter === 'object' && adapter !== null && 'throwOnErrors' in adapter) {
      ;(adapter as { throwOnErrors: boolean }).throwOnErrors = true
    }
    this.readsMany = readsManyAtOnce(keyv)
  }

  /**
   * One key. Where the adapter reads many keys in one call (SQLite, Redis, Postgres), the reads asked
   * for in the same tick go together: an agent's call reads its key, its connection and its policy
   * at once, one store command instead of three. A failure fails each of them, as it would alone.
   */
  get<T>(key: string): Promise<T | undefined> {
    if (!this.readsMany) return this.getOne<T>(key)
    return new Promise<T | undefined>((resolve, reject) => {
      const settle: Settle = { resolve: resolve as (value: unknown) => void, reject }
      if (this.batch) {
        this.batch.push({ key, settle })
        return
      }
      this.batch = [{ key, settle }]
      queueMicrotask(() => this.flush())
    })
  }

  private flush(): void {
    const batch = this.batch ?? []
    this.batch = undefined
    const [only] = batch
    const read =
      batch.length === 1 && only
        ? this.getOne(only.key).then((value) => [value])
        : this.getMany(batch.map((one) => one.key))
    read.then(
      (values) => {
        for (const [i, one] of batch.entries()) one.settle.resolve(values[i])
      },
      (error: unknown) => {
        for (const one of batch) one.settle.reject(error)
      },
    )
  }

  private async getOne<T>(key: string): Promise<T | undefined> {
    const stored = await this.call(() => this.keyv.get(key))
    // Unwrapped whatever maxTtlMs is now: the value may have been written under another setting.
    const { value, expired } = unwrapExpiring(stored, Date.now())
    if (expired) await this.delete(key).catch(() => undefined)
    return (value ?? undefined) as T | undefined
  }

  /**
   * Several keys in one store call when the adapter reads many at once (SQLite, Redis, Postgres),
   * else one read each. Keyv's own fallback is not used: it reads a failing key as missing.
   */
  async getMany<T>(keys: readonly string[]): Promise<Array<T | undefined>> {
    const { keyv } = this
    if (keys.length < 2 || !this.readsMany || !keyv.getMany) {
      return Promise.all(keys.map((key) => this.getOne<T>(key)))
    }
    const read = keyv.getMany.bind(keyv)
    const stored = await this.call(() => read([...keys]))
    const now = Date.now()
    return keys.map((key, i) => {
      const { value, expired } = unwrapExpiring(stored[i], now)
      if (expired) void this.delete(key).catch(() => undefined)
      return (value ?? undefined) as T | undefined
    })
  }

  async set(key: string, value: unknown, ttlMs?: number): Promise<void> {
    const tooLong = this.maxTtlMs !== undefined && ttlMs !== undefined && ttlMs > this.maxTtlMs
    // 0 is "no TTL" to Keyv: a host's default ttl does not apply either.
    const [stored, ttl] = tooLong ? [expiring(value, ttlMs, Date.now()), 0] : [value, ttlMs]
    const result = await this.call(() => this.keyv.set(key, stored, ttl))
    if (result === false) throw storeUnavailable(new Error(`set ${key} was refused by the store`))
  }

  async delete(key: string): Promise<void> {
    await this.call(() => this.keyv.delete(key))
  }

  private call<T>(operation: () => Promise<T>): Promise<T> {
    // One timer and one promise per call (not a race of two): this wraps every read of the hot path.
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(storeUnavailable(new Error(`store call timed out after ${this.timeoutMs} ms`))),
        this.timeoutMs,
      )
      const settle = (error: unknown) => {
        clearTimeout(timer)
        reject(storeUnavailable(error))
      }
      try {
        operation().then((value) => {
          clearTimeout(timer)
          resolve(value)
        }, settle)
      } catch (error) {
        settle(error)
      }
    })
  }
}

/**
 * Whether the adapter reads many keys in one call and fails them when it fails. @keyv/memcache's
 * getMany reads each key alone and turns a failure into "missing": it is read one key at a time.
 */
function readsManyAtOnce(keyv: KeyvLike): boolean {
  const adapter = keyv.store as { constructor?: { name?: string }; getMany?: unknown } | undefined
  return (
    Boolean(keyv.getMany) &&
    typeof adapter?.getMany === 'function' &&
    adapter.constructor?.name !== 'KeyvMemcache'
  )
}

interface Settle {
  resolve: (value: unknown) => void
  reject: (error: unknown) => void
}
