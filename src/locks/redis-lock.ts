import { randomUUID } from 'node:crypto'
import { ConnectionsError } from '../core/errors.js'
import type { Lock } from './lock.js'

/** The two commands the lock needs, as node-redis (v4, v5) clients offer them. */
export interface RedisLockClient {
  set(key: string, value: string, options: { NX: true; PX: number }): Promise<unknown>
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>
}

export interface RedisLockOptions {
  /** A connected node-redis client (`createClient({ url }).connect()`), or anything with its set/eval. */
  client: RedisLockClient
  /** How long a lock outlives a holder that crashed. Renewed while the holder works. Default 15 s. */
  leaseMs?: number
  /** How long to wait for a busy lock before failing with 503. Default 30 s. */
  waitMs?: number
  /** Key prefix, to share a Redis database. Default `express-connections:lock:`. */
  prefix?: string
}

// Only the holder's token may release or extend: a holder whose lease ran out must not free the lock
// another process took since.
const RELEASE =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"
const EXTEND =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end"

/**
 * A lock for several instances on one Redis: `SET key token NX PX lease`, renewed at a third of the
 * lease while the holder works, released only by its holder. A holder that crashes frees the lock
 * when its lease runs out.
 *
 * @example
 * const client = await createClient({ url: process.env.REDIS_URL }).connect()
 * createConnectionsRouter({ …, lock: new RedisLock({ client }) })
 */
export class RedisLock implements Lock {
  private readonly leaseMs: number
  private readonly waitMs: number
  private readonly prefix: string

  constructor(private readonly options: RedisLockOptions) {
    this.leaseMs = options.leaseMs ?? 15_000
    this.waitMs = options.waitMs ?? 30_000
    this.prefix = options.prefix ?? 'express-connections:lock:'
  }

  async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const name = this.prefix + key
    const token = randomUUID()
    await this.acquire(name, token)
    const renew = setInterval(() => {
      this.options.client
        .eval(EXTEND, { keys: [name], arguments: [token, String(this.leaseMs)] })
        .catch(() => undefined)
    }, this.leaseMs / 3)
    renew.unref()
    try {
      return await fn()
    } finally {
      clearInterval(renew)
      await this.options.client.eval(RELEASE, { keys: [name], arguments: [token] }).catch(() => undefined)
    }
  }

  private async acquire(name: string, token: string): Promise<void> {
    const deadline = Date.now() + this.waitMs
    let pause = 5
    for (;;) {
      let taken: unknown
      try {
        taken = await this.options.client.set(name, token, { NX: true, PX: this.leaseMs })
      } catch (cause) {
        throw new ConnectionsError(
          'store_unavailable',
          'The lock store is unavailable; nothing was changed.',
          { cause },
        )
      }
      if (taken) return
      if (Date.now() > deadline) {
        throw new ConnectionsError('store_unavailable', 'A lock stayed busy too long; nothing was changed.')
      }
      await new Promise((resolve) => setTimeout(resolve, pause + Math.random() * pause))
      pause = Math.min(pause * 2, 100)
    }
  }
}
