import { randomUUID } from 'node:crypto'
import { ConnectionsError } from '../core/errors.js'
import type { Lock } from './lock.js'

/** What the lock needs of a client, as node-redis (v4, v5) clients offer it: scripts, and reopening. */
export interface RedisLockClient {
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>
  /** node-redis: false once the client is closed, e.g. after its reconnect strategy gave up. */
  readonly isOpen?: boolean
  /** node-redis: opens a closed client again; the lock calls it when it finds the client closed. */
  connect?(): Promise<unknown>
}

export interface RedisLockOptions {
  /** A connected node-redis client (`createClient({ url }).connect()`), or anything with its eval. */
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
/**
 * Waiters take the lock in arrival order: each joins a queue (a sorted set by Redis's own clock) and
 * only the head may take a free lock, so a holder that asks again goes behind those already waiting.
 * A waiter that stops polling (a crashed process) leaves the queue after `ARGV[3]` ms. Answers 1
 * (taken), 0 (first in line, the lock still held) or minus the waiter's place in the queue.
 */
const ACQUIRE = `
if redis.replicate_commands then redis.replicate_commands() end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local gone = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now - tonumber(ARGV[3]))
for _, waiter in ipairs(gone) do
  redis.call('ZREM', KEYS[2], waiter)
  redis.call('ZREM', KEYS[3], waiter)
end
if not redis.call('ZSCORE', KEYS[2], ARGV[1]) then redis.call('ZADD', KEYS[2], now, ARGV[1]) end
redis.call('ZADD', KEYS[3], now, ARGV[1])
local rank = redis.call('ZRANK', KEYS[2], ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
redis.call('PEXPIRE', KEYS[3], ARGV[4])
if rank > 0 then return -rank end
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
return 1`
const LEAVE = "redis.call('ZREM', KEYS[1], ARGV[1]) redis.call('ZREM', KEYS[2], ARGV[1]) return 1"
/** A waiter that has not polled for this long has gone away (it polls at least every 100 ms). */
const WAITER_STALE_MS = 2_000
const EXTEND =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end"

/**
 * A lock for several instances on one Redis: `SET key token NX PX lease`, renewed at a third of the
 * lease while the holder works, released only by its holder. A holder that crashes frees the lock
 * when its lease runs out. Waiting is fair: first come, first served across instances. A client
 * found closed (its reconnect strategy gave up during an outage) is connected again, so the lock
 * recovers by itself.
 *
 * @example
 * const client = await createClient({ url: process.env.REDIS_URL }).connect()
 * createConnectionsRouter({ …, lock: new RedisLock({ client }) })
 */
export class RedisLock implements Lock {
  private readonly leaseMs: number
  private readonly waitMs: number
  private readonly prefix: string
  private reopening: Promise<void> | undefined

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
    // `{name}` hashes to the lock key's own cluster slot (the key has no braces): one slot for a script.
    const queue = [name, `{${name}}:queue`, `{${name}}:seen`]
    const ttl = String(this.waitMs + WAITER_STALE_MS)
    for (;;) {
      let taken: unknown
      try {
        taken = await this.options.client.eval(ACQUIRE, {
          keys: queue,
          arguments: [token, String(this.leaseMs), String(WAITER_STALE_MS), ttl],
        })
      } catch (cause) {
        this.reopenIfClosed()
        throw new ConnectionsError(
          'store_unavailable',
          'The lock store is unavailable; nothing was changed.',
          { cause },
        )
      }
      if (taken === 1) return
      if (Date.now() > deadline) {
        await this.options.client
          .eval(LEAVE, { keys: queue.slice(1), arguments: [token] })
          .catch(() => undefined)
        throw new ConnectionsError('store_unavailable', 'A lock stayed busy too long; nothing was changed.')
      }
      // The nearer the head of the queue, the more often a waiter asks, so a released lock passes on
      // quickly without every waiter polling fast.
      const place = typeof taken === 'number' ? -taken : 20
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(100, 5 + 5 * place) * (0.8 + Math.random() * 0.4)),
      )
    }
  }

  /**
   * node-redis closes a client for good once its reconnect strategy gives up (an outage of a few
   * seconds with a strategy that counts tries); the lock would then refuse every caller until a
   * restart. One connect at a time; this call still fails, the next ones use the open client.
   */
  private reopenIfClosed(): void {
    const { client } = this.options
    if (this.reopening || client.isOpen !== false || typeof client.connect !== 'function') return
    this.reopening = client
      .connect()
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => {
        this.reopening = undefined
      })
  }
}
