import { createHash, randomUUID } from 'node:crypto'
import pg from 'pg'
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InProcessLock, type Lock, PostgresLock, RedisLock, type RedisLockClient } from '../../src/index.js'

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

let redisA: ReturnType<typeof createClient>
let redisB: ReturnType<typeof createClient>
let poolA: pg.Pool
let poolB: pg.Pool

beforeAll(async () => {
  // Two clients and two pools: two processes' worth of connections to one Redis and one Postgres.
  redisA = await createClient({ url: REDIS_URL }).connect()
  redisB = await createClient({ url: REDIS_URL }).connect()
  poolA = new pg.Pool({ connectionString: DATABASE_URL, max: 30 })
  poolB = new pg.Pool({ connectionString: DATABASE_URL, max: 30 })
  // An idle client whose backend was terminated reports it here; the test kills one on purpose.
  for (const pool of [poolA, poolB]) pool.on('error', () => undefined)
})
afterAll(async () => {
  await Promise.all([redisA.quit(), redisB.quit(), poolA.end(), poolB.end()])
})

const redis = (client: ReturnType<typeof createClient>, leaseMs = 15_000) =>
  new RedisLock({ client: client as unknown as RedisLockClient, leaseMs })

/**
 * 40 read-wait-write critical sections split over two lock instances: without mutual exclusion the
 * waits interleave and increments are lost, and more than one section runs at a time.
 */
async function contend(first: Lock, second: Lock): Promise<{ counter: number; maxInside: number }> {
  const key = `test:${randomUUID()}`
  let counter = 0
  let inside = 0
  let maxInside = 0
  await Promise.all(
    Array.from({ length: 40 }, (_, i) =>
      (i % 2 ? first : second).withLock(key, async () => {
        inside += 1
        maxInside = Math.max(maxInside, inside)
        const read = counter
        await new Promise((resolve) => setTimeout(resolve, 2))
        counter = read + 1
        inside -= 1
      }),
    ),
  )
  return { counter, maxInside }
}

describe.each([
  ['redis', () => [redis(redisA), redis(redisB)] as const],
  ['postgres', () => [new PostgresLock({ pool: poolA }), new PostgresLock({ pool: poolB })] as const],
])('%s lock', (_name, make) => {
  it('lets one holder in at a time across two instances, losing no update', async () => {
    const [first, second] = make()
    expect(await contend(first, second)).toEqual({ counter: 40, maxInside: 1 })
  })

  it('keys are independent: different keys do not wait for each other', async () => {
    const [first, second] = make()
    let overlapped = false
    let running = 0
    const hold = (lock: Lock, key: string) =>
      lock.withLock(key, async () => {
        running += 1
        if (running > 1) overlapped = true
        await new Promise((resolve) => setTimeout(resolve, 30))
        running -= 1
      })
    await Promise.all([hold(first, `a:${randomUUID()}`), hold(second, `b:${randomUUID()}`)])
    expect(overlapped).toBe(true)
  })

  it('releases when the work throws', async () => {
    const [first, second] = make()
    const key = `throw:${randomUUID()}`
    await expect(first.withLock(key, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
    expect(await second.withLock(key, async () => 'next')).toBe('next')
  })
})

describe('waiting for a Redis lock', () => {
  it('is first come, first served: a holder that asks again goes behind a waiter of another instance', async () => {
    const [first, second] = [redis(redisA), redis(redisB)]
    const key = `fair:${randomUUID()}`
    const order: string[] = []
    let waiter: Promise<unknown> = Promise.resolve()
    // The first instance takes the lock five times, asking again as soon as it lets go (as a busy
    // instance's next request does); the second asks once, while the first holds it.
    for (let i = 0; i < 5; i++) {
      await first.withLock(key, async () => {
        order.push(`first-${i}`)
        if (i === 0) waiter = second.withLock(key, async () => order.push('second'))
        await new Promise((resolve) => setTimeout(resolve, 50))
      })
    }
    await waiter
    expect(order.slice(0, 2)).toEqual(['first-0', 'second'])
  })
})

describe('postgres lock on a small pool', () => {
  it('nests and queues many holders without exhausting the pool, and gives the connection back', async () => {
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 })
    try {
      const lock = new PostgresLock({ pool, waitMs: 5_000 })
      const tag = randomUUID()
      let inside = 0
      let maxInside = 0
      // Ten holders of one owner's lock and ten of ten owners', each taking a connection's lock inside.
      const nested = (owner: string, i: number) =>
        lock.withLock(`owner:${owner}`, () =>
          lock.withLock(`connection:${tag}:${i}`, async () => {
            inside += owner === tag ? 1 : 0
            maxInside = Math.max(maxInside, inside)
            await new Promise((resolve) => setTimeout(resolve, 5))
            inside -= owner === tag ? 1 : 0
            return i
          }),
        )
      const results = await Promise.all([
        ...Array.from({ length: 10 }, (_, i) => nested(tag, i)),
        ...Array.from({ length: 10 }, (_, i) => nested(`${tag}-${i}`, 10 + i)),
      ])
      expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i))
      expect(maxInside).toBe(1)
      await new Promise((resolve) => setTimeout(resolve, 10))
      expect(pool.totalCount - pool.idleCount).toBe(0)
    } finally {
      await pool.end()
    }
  })
})

describe('the in-process lock (the default) for comparison', () => {
  it('serialises within one process', async () => {
    const lock = new InProcessLock()
    expect(await contend(lock, lock)).toEqual({ counter: 40, maxInside: 1 })
  })
})

describe('a crashed holder', () => {
  it('frees a Redis lock when its lease runs out', async () => {
    const key = `crash:${randomUUID()}`
    // A holder that took the lock and died: its key stays until the lease (300 ms) ends.
    await redisA.set(`express-connections:lock:${key}`, 'dead-holder', { PX: 300 })
    const started = Date.now()
    const result = await redis(redisB).withLock(key, async () => 'taken')
    expect(result).toBe('taken')
    expect(Date.now() - started).toBeGreaterThanOrEqual(250)
  })

  it('frees a Postgres lock when its connection closes', async () => {
    const key = `crash:${randomUUID()}`
    const dying = new PostgresLock({ pool: poolA })
    let release: () => void = () => undefined
    const held = dying.withLock(key, () => new Promise<void>((resolve) => (release = resolve)))
    await new Promise((resolve) => setTimeout(resolve, 50))
    // Kill the holder's session the way a crash would (advisory locks keyed by two int4 show as
    // classid/objid, unsigned).
    const hash = createHash('sha256').update(key).digest()
    await poolB.query(
      "select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory' and classid = $1::bigint::oid and objid = $2::bigint::oid",
      [hash.readUInt32BE(0), hash.readUInt32BE(4)],
    )
    expect(await new PostgresLock({ pool: poolB }).withLock(key, async () => 'taken')).toBe('taken')
    release()
    await held.catch(() => undefined)
  })

  it('answers 503 when the lock stays busy past waitMs', async () => {
    const key = `busy:${randomUUID()}`
    await redisA.set(`express-connections:lock:${key}`, 'someone', { PX: 5000 })
    const impatient = new RedisLock({ client: redisB as unknown as RedisLockClient, waitMs: 100 })
    await expect(impatient.withLock(key, async () => 'never')).rejects.toMatchObject({
      code: 'store_unavailable',
    })
    await redisA.del(`express-connections:lock:${key}`)
  })
})
