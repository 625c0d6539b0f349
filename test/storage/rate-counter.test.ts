import { randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRateCounter, RateCounter, type RateLimitStore } from '../../src/storage/rate-counter.js'
import { DATABASE_URL, REDIS_URL } from '../support/backends.js'
import { type Cluster, sharedBackends, startCluster } from '../support/instances.js'

const MINUTE = 60_000
/** Half past a minute the test picks: every call of a test counts in that one window. */
const inWindow = (minute: number) => new Date(minute * MINUTE + 30_000)
const thisMinute = () => Math.floor(Date.now() / MINUTE)

const stores: Array<{ name: string; open(): Promise<{ store: RateLimitStore; close(): Promise<unknown> }> }> =
  [
    { name: 'memory', open: async () => ({ store: 'memory', close: async () => undefined }) },
    {
      name: 'redis',
      async open() {
        const client = await createClient({ url: REDIS_URL }).connect()
        return { store: { redis: client }, close: () => client.quit() }
      },
    },
    {
      name: 'postgres',
      async open() {
        const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 4 })
        return { store: { postgres: pool }, close: () => pool.end() }
      },
    },
  ]

describe.each(stores)('rate counter on $name', ({ open }) => {
  let counter: RateCounter
  let close: () => Promise<unknown>

  beforeAll(async () => {
    const opened = await open()
    counter = new RateCounter(opened.store)
    close = opened.close
  })
  afterAll(() => close?.())

  it('allows the limit in a window, then refuses until the window ends, with Retry-After to its end', async () => {
    const policy = randomUUID()
    const minute = thisMinute()
    const limits = [{ limit: 3, per: 'minute' as const }]
    const results = []
    for (let i = 0; i < 4; i++) results.push(await counter.take(policy, limits, inWindow(minute)))
    expect(results.map((r) => r.ok)).toEqual([true, true, true, false])
    expect(results[3]).toEqual({ ok: false, retryAfterSeconds: 30 })
    expect(await counter.take(policy, limits, inWindow(minute + 1))).toEqual({ ok: true })
    expect(await counter.take(randomUUID(), limits, inWindow(minute))).toEqual({ ok: true })
  })

  it('counts a call only when every limit allows it: refused calls use up no window', async () => {
    const policy = randomUUID()
    const minute = thisMinute()
    const limits = [
      { limit: 2, per: 'minute' as const },
      { limit: 3, per: 'day' as const },
    ]
    const first = []
    for (let i = 0; i < 5; i++) first.push((await counter.take(policy, limits, inWindow(minute))).ok)
    expect(first).toEqual([true, true, false, false, false])
    // Had the three refused calls counted against the day, this one would be refused too.
    expect((await counter.take(policy, limits, inWindow(minute + 1))).ok).toBe(true)
    const refused = await counter.take(policy, limits, inWindow(minute + 1))
    expect(refused.ok).toBe(false)
    // The day's limit refused it: Retry-After points at the end of the fuller (day) window.
    if (!refused.ok) expect(refused.retryAfterSeconds).toBeGreaterThan(60)
  })
})

const script = fileURLToPath(new URL('../support/rate-counter-instance.ts', import.meta.url))

describe.each(sharedBackends)('two processes counting on one $name', (backend) => {
  let cluster: Cluster

  beforeAll(async () => {
    cluster = await startCluster(
      2,
      { backend: backend.name, url: backend.url, limits: [{ limit: 100, per: 'minute' }] },
      script,
    )
  }, 60_000)
  afterAll(() => cluster?.stop())

  it('500 concurrent calls against 100/minute: exactly 100 pass, the other 400 get 429 with Retry-After', async () => {
    const policy = randomUUID()
    // A window the test names, so a minute boundary during the burst cannot split it.
    const now = inWindow(thisMinute()).getTime()
    const answers = await Promise.all(
      Array.from({ length: 500 }, () =>
        fetch(`${cluster.url}/take?policy=${policy}&now=${now}`, { method: 'POST' }).then(async (res) => ({
          status: res.status,
          retryAfter: res.headers.get('retry-after'),
          body: await res.text(),
        })),
      ),
    )
    expect(cluster.served).toEqual([250, 250])
    expect(answers.filter((a) => a.status === 200)).toHaveLength(100)
    const refused = answers.filter((a) => a.status === 429)
    expect(refused).toHaveLength(400)
    expect(new Set(refused.map((a) => a.retryAfter))).toEqual(new Set(['30']))
  }, 60_000)
})

describe('createRateCounter', () => {
  it('warns once at start-up when a shared lock is set but counts stay in memory', () => {
    const lines: string[] = []
    const logger = { warn: (message: string) => lines.push(message), error: () => undefined }
    createRateCounter(undefined, { sharedLock: true, logger })
    createRateCounter('memory', { sharedLock: false, logger })
    createRateCounter({ redis: {} }, { sharedLock: true, logger })
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain('rateLimitStore')
  })
})
