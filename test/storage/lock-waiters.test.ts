import { createHash, randomUUID } from 'node:crypto'
import pg from 'pg'
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type Lock,
  PostgresLock,
  type PostgresLockPool,
  RedisLock,
  type RedisLockClient,
} from '../../src/index.js'
import { sleep } from '../support/as-client.js'

/**
 * How a waiter learns that a shared lock is free, on Redis and on PostgreSQL: two instances (two
 * clients, two pools: two processes' worth of connections), one of them counting every command it
 * sends, so a waiter that polls shows up as asks while it waits.
 */

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const PREFIX = 'express-connections:lock:'

let redisA: ReturnType<typeof createClient>
let redisB: ReturnType<typeof createClient>
let poolA: pg.Pool
let poolB: pg.Pool

beforeAll(async () => {
  redisA = await createClient({ url: REDIS_URL }).connect()
  redisB = await createClient({ url: REDIS_URL }).connect()
  poolA = new pg.Pool({ connectionString: DATABASE_URL, max: 10 })
  poolB = new pg.Pool({ connectionString: DATABASE_URL, max: 10 })
  for (const pool of [poolA, poolB]) pool.on('error', () => undefined)
})
afterAll(async () => {
  await Promise.all([redisA.quit(), redisB.quit(), poolA.end(), poolB.end()])
})

interface Instance {
  lock: Lock
  /** Commands this instance has sent to the store so far. */
  asks(): number
}

interface Backend {
  name: string
  /** Instance 0 or 1 of the deployment; `waitMs` as the lock's option. */
  instance(which: 0 | 1, waitMs?: number): Instance
  /** Takes the lock as a process that dies `ms` later without releasing it. */
  holdAndDie(key: string, ms: number): Promise<void>
}

const redisBackend: Backend = {
  name: 'redis',
  instance(which, waitMs) {
    const client = which === 0 ? redisA : redisB
    let asks = 0
    const counted: RedisLockClient = {
      eval: (script, options) => {
        asks += 1
        return client.eval(script, options)
      },
      duplicate: () => client.duplicate(),
    }
    return { lock: new RedisLock({ client: counted, ...(waitMs ? { waitMs } : {}) }), asks: () => asks }
  },
  async holdAndDie(key, ms) {
    // Its lease is all that is left of it: no release, so no wake-up.
    await redisA.set(PREFIX + key, 'dead-holder', { PX: ms })
  },
}

const postgresBackend: Backend = {
  name: 'postgres',
  instance(which, waitMs) {
    const pool = which === 0 ? poolA : poolB
    let asks = 0
    const counted: PostgresLockPool = {
      connect: async () => {
        const connection = await pool.connect()
        return {
          query: (sql: string, params: unknown[]) => {
            asks += 1
            return connection.query(sql, params)
          },
          release: (destroy?: boolean) => connection.release(destroy),
          on: (event, listener) => connection.on(event, listener),
          removeListener: (event, listener) => connection.removeListener(event, listener),
        }
      },
    }
    return { lock: new PostgresLock({ pool: counted, ...(waitMs ? { waitMs } : {}) }), asks: () => asks }
  },
  async holdAndDie(key, ms) {
    const hash = createHash('sha256').update(key).digest()
    const dying = new pg.Client({ connectionString: DATABASE_URL })
    dying.on('error', () => undefined)
    await dying.connect()
    const { rows } = await dying.query('select pg_backend_pid() as pid, pg_advisory_lock($1, $2)', [
      hash.readInt32BE(0),
      hash.readInt32BE(4),
    ])
    // Killed as a crash kills it: the server ends the session, and with it the session's locks.
    setTimeout(() => {
      poolA.query('select pg_terminate_backend($1)', [rows[0]?.pid]).catch(() => undefined)
    }, ms)
  },
}

/**
 * Holds `key` on `holder` for `holdMs`: `held` resolves once it has it, `released` with the time it
 * let go.
 */
function hold(holder: Lock, key: string, holdMs: number): { held: Promise<void>; released: Promise<number> } {
  let taken: () => void = () => undefined
  const held = new Promise<void>((resolve) => {
    taken = resolve
  })
  const released = holder
    .withLock(key, async () => {
      taken()
      await sleep(holdMs)
    })
    .then(() => performance.now())
  return { held, released }
}

describe.each([redisBackend, postgresBackend])('waiting for a $name lock', (backend) => {
  it('wakes a waiter of another instance when the holder releases, without asking meanwhile', async () => {
    const key = `wake:${randomUUID()}`
    const first = backend.instance(0)
    const second = backend.instance(1)
    const { held, released } = hold(first.lock, key, 600)
    await held
    const asksBefore = second.asks()
    let acquiredAt = 0
    let asksWhileWaiting = 0
    await second.lock.withLock(key, async () => {
      acquiredAt = performance.now()
      asksWhileWaiting = second.asks() - asksBefore
    })
    const gap = acquiredAt - (await released)
    // Polling asked every 5–100 ms (dozens of asks in 600 ms). Now: the first ask, the one after
    // subscribing, at most one slow safety poll, and the ask that takes it.
    expect(asksWhileWaiting).toBeLessThanOrEqual(4)
    // The safety poll alone would take up to 900 ms: only the release's wake-up is this quick.
    expect(gap).toBeLessThan(100)
  })

  // Each holds for a while, as a refresh does: a PostgresLock's waiters queue in the process first and
  // the next one enters PostgreSQL's queue when the previous one of its instance lets go.
  it('serves waiters of two instances in the order they asked', async () => {
    const key = `order:${randomUUID()}`
    const [a, b] = [backend.instance(0), backend.instance(1)]
    const order: string[] = []
    const { held, released: holder } = hold(a.lock, key, 300)
    await held
    const waiters: Array<Promise<unknown>> = []
    for (const [name, lock] of [
      ['b1', b.lock],
      ['a2', a.lock],
      ['b3', b.lock],
      ['a4', a.lock],
    ] as const) {
      waiters.push(
        lock.withLock(key, async () => {
          order.push(name)
          await sleep(20)
        }),
      )
      await sleep(30)
    }
    await Promise.all([holder, ...waiters])
    expect(order).toEqual(['b1', 'a2', 'b3', 'a4'])
  })

  it('frees a waiter whose holder crashed: no release, the lease or session ends', async () => {
    const key = `crashed:${randomUUID()}`
    await backend.holdAndDie(key, 400)
    const started = performance.now()
    expect(await backend.instance(1).lock.withLock(key, async () => 'taken')).toBe('taken')
    const waited = performance.now() - started
    expect(waited).toBeGreaterThanOrEqual(350)
    // The slow safety poll (Redis, at most 900 ms) or the session's end (Postgres) lets it in.
    expect(waited).toBeLessThan(2_000)
  })

  it('fails a waiter with 503 past waitMs, and still wakes the next one at the release', async () => {
    const key = `impatient:${randomUUID()}`
    const holder = backend.instance(0)
    const impatient = backend.instance(1, 150)
    const patient = backend.instance(1)
    const { held, released } = hold(holder.lock, key, 600)
    await held
    const started = performance.now()
    const failing = impatient.lock
      .withLock(key, async () => 'never')
      .catch((error: unknown) => ({
        error,
        after: performance.now() - started,
      }))
    await sleep(20)
    let acquiredAt = 0
    await patient.lock.withLock(key, async () => {
      acquiredAt = performance.now()
    })
    const failure = await failing
    expect(failure).toMatchObject({ error: { code: 'store_unavailable' } })
    expect((failure as { after: number }).after).toBeLessThan(450)
    expect(acquiredAt - (await released)).toBeLessThan(100)
  })
})

describe('RedisLock wake-ups', () => {
  it('use one subscribed connection per lock, shared by all its waiters', async () => {
    const name = `lock-waiters-${randomUUID()}`
    const client = await createClient({ url: REDIS_URL, name }).connect()
    try {
      const holder = redisBackend.instance(0)
      const waiting = new RedisLock({ client })
      const keys = Array.from({ length: 5 }, () => `shared:${randomUUID()}`)
      const holds = keys.map((key) => hold(holder.lock, key, 300))
      await Promise.all(holds.map(({ held }) => held))
      const waiters = keys.map((key) => waiting.withLock(key, async () => undefined))
      await sleep(150)
      const list = String(await redisA.sendCommand(['CLIENT', 'LIST']))
      const ours = list.split('\n').filter((line) => line.includes(` name=${name} `))
      // The lock's own client, and one more, subscribed.
      expect(ours).toHaveLength(2)
      expect(ours.filter((line) => / sub=1 /.test(line))).toHaveLength(1)
      await Promise.all([...holds.map(({ released }) => released), ...waiters])
    } finally {
      await client.quit()
    }
  })

  it('pass over a waiter that died at the head of the queue', { timeout: 10_000 }, async () => {
    const key = `dead-waiter:${randomUUID()}`
    const holder = redisBackend.instance(0)
    const waiter = redisBackend.instance(1)
    const { held, released } = hold(holder.lock, key, 200)
    await held
    // A waiter that queued and then its process died: first in line, it will never ask again.
    const now = Date.now()
    await redisA.zAdd(`{${PREFIX}${key}}:queue`, { score: now, value: 'dead-waiter' })
    await redisA.zAdd(`{${PREFIX}${key}}:seen`, { score: now, value: 'dead-waiter' })
    await sleep(10)
    let acquiredAt = 0
    await waiter.lock.withLock(key, async () => {
      acquiredAt = performance.now()
    })
    // Dropped once it has not asked for 2 s, found by the next safety poll (at most 900 ms later).
    expect(acquiredAt - (await released)).toBeLessThan(3_500)
  })

  it('fall back to polling when the subscription fails, without a new connection at every poll', async () => {
    let opened = 0
    const refusing: RedisLockClient = {
      eval: (script, options) => redisB.eval(script, options),
      // As a server whose ACL forbids SUBSCRIBE answers.
      duplicate: () => {
        opened += 1
        return {
          connect: async () => undefined,
          subscribe: async () =>
            Promise.reject(new Error('NOPERM this user has no permissions to access the channel')),
        }
      },
    }
    const key = `refused:${randomUUID()}`
    const { held, released } = hold(redisBackend.instance(0).lock, key, 500)
    await held
    expect(await new RedisLock({ client: refusing }).withLock(key, async () => 'taken')).toBe('taken')
    await released
    expect(opened).toBe(1)
  })

  it('fall back to polling with a client that cannot open a second connection', async () => {
    const plain = (client: ReturnType<typeof createClient>): RedisLockClient => ({
      eval: (script, options) => client.eval(script, options),
    })
    const [first, second] = [
      new RedisLock({ client: plain(redisA) }),
      new RedisLock({ client: plain(redisB) }),
    ]
    const key = `plain:${randomUUID()}`
    let inside = 0
    let maxInside = 0
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 ? first : second).withLock(key, async () => {
          inside += 1
          maxInside = Math.max(maxInside, inside)
          await sleep(5)
          inside -= 1
        }),
      ),
    )
    expect(maxInside).toBe(1)
  })
})

describe('PostgresLock waits', () => {
  it('give their connection back to the pool without the lock_timeout they waited under', async () => {
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 })
    try {
      const lock = new PostgresLock({ pool })
      const key = `timeout-reset:${randomUUID()}`
      // One wait that times out, one that gets the lock.
      const first = hold(new PostgresLock({ pool: poolA }), key, 300)
      await first.held
      await expect(
        new PostgresLock({ pool, waitMs: 100 }).withLock(key, async () => 'never'),
      ).rejects.toMatchObject({ code: 'store_unavailable' })
      const second = hold(new PostgresLock({ pool: poolA }), key, 300)
      await Promise.all([first.released, second.held])
      expect(await lock.withLock(key, async () => 'taken')).toBe('taken')
      // Both connections of the pool: the shared session's and the waiter's.
      const connections = await Promise.all([pool.connect(), pool.connect()])
      const settings = await Promise.all(
        connections.map(async (connection) => (await connection.query('show lock_timeout')).rows[0]),
      )
      for (const connection of connections) connection.release()
      expect(settings).toEqual([{ lock_timeout: '0' }, { lock_timeout: '0' }])
    } finally {
      await pool.end()
    }
  })
})
