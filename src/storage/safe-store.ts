import { storeUnavailable } from '../core/errors.js'
import type { KeyvLike } from './keyv-like.js'

/**
 * Every store call goes through here: a failure or a hang becomes `store_unavailable`, never
 * `undefined` (Keyv's default reads a broken store as an empty one, see DESIGN.md §3).
 */
export class SafeStore {
  constructor(
    private readonly keyv: KeyvLike,
    private readonly timeoutMs: number,
  ) {
    if ('throwOnErrors' in keyv) keyv.throwOnErrors = true
    // Some adapters (@keyv/redis) catch errors themselves unless told not to, and Keyv does not pass
    // its own flag on: a failing Redis would otherwise read as an empty store.
    const adapter = (keyv as { store?: unknown }).store
    if (typeof adapter === 'object' && adapter !== null && 'throwOnErrors' in adapter) {
      ;(adapter as { throwOnErrors: boolean }).throwOnErrors = true
    }
  }

  async get<T>(key: string): Promise<T | undefined> {
    const value = await this.call(() => this.keyv.get(key))
    return (value ?? undefined) as T | undefined
  }

  async set(key: string, value: unknown, ttlMs?: number): Promise<void> {
    const result = await this.call(() => this.keyv.set(key, value, ttlMs))
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
