import { EventEmitter } from 'node:events'

export type Operation = 'get' | 'set' | 'delete'

/**
 * A Keyv storage adapter on a Map that fails on command: every operation while `down`, or the ones
 * `failWhen` picks (the Nth write, a key pattern). Failures throw, as a real adapter's do; `hang`
 * makes them never answer instead, like a Redis client queueing offline.
 */
export class FaultyStore extends EventEmitter {
  readonly data = new Map<string, unknown>()
  down = false
  hang = false
  failWhen: ((operation: Operation, key: string) => boolean) | undefined
  /** Runs before each call and may hold it up: lets a test interleave two requests exactly. */
  beforeCall: ((operation: Operation, key: string) => Promise<void> | undefined) | undefined
  readonly calls: Array<{ operation: Operation; key: string }> = []
  /** Fails the operation with this ordinal in `calls` (1-based), whatever `failWhen` says: see failNth. */
  failAt: number | undefined
  /** Every operation that was failed on purpose, in order. */
  readonly failed: Array<{ operation: Operation; key: string }> = []

  /** How many operations (get, set, delete) have been called so far, failed ones included. */
  get operations(): number {
    return this.calls.length
  }

  /** Fails only the nth operation counted from now (1 = the next one); every other one goes through. */
  failNth(n: number): void {
    this.failAt = this.calls.length + n
  }

  async get(key: string): Promise<unknown> {
    await this.maybeFail('get', key)
    return this.data.get(key)
  }

  async set(key: string, value: unknown): Promise<boolean> {
    await this.maybeFail('set', key)
    this.data.set(key, value)
    return true
  }

  async delete(key: string): Promise<boolean> {
    await this.maybeFail('delete', key)
    return this.data.delete(key)
  }

  async clear(): Promise<void> {
    this.data.clear()
  }

  heal(): void {
    this.down = false
    this.hang = false
    this.failWhen = undefined
    this.beforeCall = undefined
    this.failAt = undefined
  }

  private async maybeFail(operation: Operation, key: string): Promise<void> {
    const ordinal = this.calls.push({ operation, key })
    await this.beforeCall?.(operation, key)
    if (!this.down && !this.failWhen?.(operation, key) && ordinal !== this.failAt) return
    this.failed.push({ operation, key })
    if (this.hang) await new Promise(() => undefined)
    throw new Error(`injected ${operation} failure on ${key}`)
  }
}
