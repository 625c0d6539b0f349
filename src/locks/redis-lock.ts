import { randomUUID } from 'node:crypto'
import { ConnectionsError } from '../core/errors.js'
import type { Lock } from './lock.js'
import { type RedisLockSubscriber, RedisWakeups } from './redis-wakeups.js'

/** What the lock needs of a client, as node-redis (v4, v5) clients offer it: scripts, and reopening. */
export interface RedisLockClient {
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>
  /** node-redis: false once the client is closed, e.g. after its reconnect strategy gave up. */
  readonly isOpen?: boolean
  /** node-redis: opens a closed client again; the lock calls it when it finds the client closed. */
  connect?(): Promise<unknown>
  /**
   * node-redis: a new client with the same options. Waiters are woken through a subscription on one
   * such connection (subscribed connections answer nothing else); without it they poll.
   */
  duplicate?(): RedisLockSubscriber
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

// Scripts share their first lines: Redis's clock, and dropping waiters that stopped asking (a crashed
// process) after ARGV[2] ms. KEYS: the lock, the queue (a sorted set by arrival), the waiters' last asks.
const FORGET_GONE = `
if redis.replicate_commands then redis.replicate_commands() end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local gone = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now - tonumber(ARGV[2]))
for _, waiter in ipairs(gone) do
  redis.call('ZREM', KEYS[2], waiter)
  redis.call('ZREM', KEYS[3], waiter)
end
local function wake_head()
  local head = redis.call('ZRANGE', KEYS[2], 0, 0)[1]
  if head and redis.call('EXISTS', KEYS[1]) == 0 then redis.call('PUBLISH', ARGV[3], head) end
end`
/**
 * Waiters take the lock in arrival order: each joins the queue and only the head may take a free lock,
 * so a holder that asks again goes behind those already waiting. A waiter behind a free lock wakes the
 * head (it may have missed its wake-up). Answers 1 (taken), 0 (first in line, the lock still held) or
 * minus the waiter's place in the queue.
 */
const ACQUIRE = `${FORGET_GONE}
if not redis.call('ZSCORE', KEYS[2], ARGV[1]) then redis.call('ZADD', KEYS[2], now, ARGV[1]) end
redis.call('ZADD', KEYS[3], now, ARGV[1])
local rank = redis.call('ZRANK', KEYS[2], ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
redis.call('PEXPIRE', KEYS[3], ARGV[5])
if rank > 0 then
  wake_head()
  return -rank
end
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[4]) then return 0 end
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
return 1`
// Only the holder's token may release: a holder whose lease ran out must not free the lock another
// process took since. The release wakes the waiter at the head of the queue, and only that one.
const RELEASE = `${FORGET_GONE}
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
wake_head()
return 1`
/** A waiter that gives up leaves the queue, and wakes the next one if it was at the head. */
const LEAVE = `${FORGET_GONE}
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
wake_head()
return 1`
const EXTEND =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end"
/** A waiter that has not asked for this long has gone away: waiters ask at least every 900 ms. */
const WAITER_STALE_MS = 2_000
/**
 * Woken waiters still ask now and then: a holder that crashed sends no wake-up (its lease just runs
 * out), and a wake-up published while the subscription was reconnecting is lost.
 */
const SAFETY_POLL_MS = 750
/** A subscription slower than this to open is not waited for: the waiter polls meanwhile. */
const SUBSCRIBE_WAIT_MS = 250

/**
 * A lock for several instances on one Redis: `SET key token NX PX lease`, renewed at a third of the
 * lease while the holder works, released only by its holder. A holder that crashes frees the lock
 * when its lease runs out. Waiting is fair: first come, first served across instances. Waiters do not
 * poll: the release wakes the next one through pub/sub, on one extra connection per lock opened with
 * the client's `duplicate()` at the first wait (without it, waiters poll as before). A client
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
  private readonly wakeups: RedisWakeups
  private reopening: Promise<void> | undefined

  constructor(private readonly options: RedisLockOptions) {
    this.leaseMs = options.leaseMs ?? 15_000
    this.waitMs = options.waitMs ?? 30_000
    this.prefix = options.prefix ?? 'express-connections:lock:'
    this.wakeups = new RedisWakeups(options.client, `${this.prefix}wake`)
  }

  async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const name = this.prefix + key
    const token = randomUUID()
    // `{name}` hashes to the lock key's own cluster slot (the key has no braces): one slot for a script.
    const keys = [name, `{${name}}:queue`, `{${name}}:seen`]
    await this.acquire(keys, token)
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
      await this.run(RELEASE, keys, token).catch(() => undefined)
    }
  }

  private run(script: string, keys: string[], token: string, ...rest: string[]): Promise<unknown> {
    return this.options.client.eval(script, {
      keys,
      arguments: [token, String(WAITER_STALE_MS), this.wakeups.channel, ...rest],
    })
  }

  private async acquire(keys: string[], token: string): Promise<void> {
    const deadline = Date.now() + this.waitMs
    const lease = String(this.leaseMs)
    const ttl = String(this.waitMs + WAITER_STALE_MS)
    const doorbell = this.wakeups.register(token)
    try {
      for (;;) {
        // Known before asking: a wake-up published after this ask reaches a live subscription.
        const live = this.wakeups.live
        doorbell.arm()
        let taken: unknown
        try {
          taken = await this.run(ACQUIRE, keys, token, lease, ttl)
        } catch (cause) {
          this.reopenIfClosed()
          throw new ConnectionsError(
            'store_unavailable',
            'The lock store is unavailable; nothing was changed.',
            { cause },
          )
        }
        if (taken === 1) return
        const left = deadline - Date.now()
        if (left < 0) {
          await this.run(LEAVE, keys, token).catch(() => undefined)
          throw new ConnectionsError('store_unavailable', 'A lock stayed busy too long; nothing was changed.')
        }
        if (live) {
          await doorbell.wait(Math.min(left + 1, SAFETY_POLL_MS * (0.8 + Math.random() * 0.4)))
          continue
        }
        // Not subscribed yet: subscribe and ask again at once (a release may have gone by unheard), or
        // poll without wake-ups.
        if (!(await this.wakeups.start(Math.min(left + 1, SUBSCRIBE_WAIT_MS)))) {
          await sleep(Math.min(left + 1, pollPause(taken)))
        }
      }
    } finally {
      this.wakeups.unregister(token)
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

/**
 * Without wake-ups (the client has no `duplicate()`, or the subscription is down): the nearer the
 * head of the queue, the more often a waiter asks, so a released lock passes on quickly without every
 * waiter polling fast.
 */
function pollPause(taken: unknown): number {
  const place = typeof taken === 'number' ? -taken : 20
  return Math.min(100, 5 + 5 * place) * (0.8 + Math.random() * 0.4)
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
