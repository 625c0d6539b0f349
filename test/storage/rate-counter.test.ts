import { randomBytes, randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Approvals } from '../../src/agents/approvals.js'
import { InProcessLock } from '../../src/locks/lock.js'
import { createRateCounter, RateCounter, type RateLimitStore } from '../../src/storage/rate-counter.js'
import { SafeStore } from '../../src/storage/safe-store.js'
import { DATABASE_URL, REDIS_URL } from '../support/backends.js'
import { watchEvals } from '../support/redis-server.js'
import { type Cluster, type SharedStore, sharedBackends, startCluster } from '../support/instances.js'

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

  it('calls asked in one turn are counted together: the first ones that fit run, the rest are refused and use up nothing', async () => {
    const policy = randomUUID()
    const minute = thisMinute()
    const limits = [
      { limit: 3, per: 'minute' as const },
      { limit: 5, per: 'day' as const },
    ]
    const first = await Promise.all(
      Array.from({ length: 4 }, () => counter.take(policy, limits, inWindow(minute))),
    )
    expect(first.map((r) => r.ok)).toEqual([true, true, true, false])
    // The minute refused the fourth: Retry-After is to the minute's end, not the day's.
    expect(first[3]).toEqual({ ok: false, retryAfterSeconds: 30 })
    // Next minute: the day holds 3, so 2 more fit; had the refused call counted, only 1 would.
    const second = await Promise.all(
      Array.from({ length: 3 }, () => counter.take(policy, limits, inWindow(minute + 1))),
    )
    expect(second.map((r) => r.ok)).toEqual([true, true, false])
    const third = second[2]
    if (third && !third.ok) expect(third.retryAfterSeconds).toBeGreaterThan(60)
  })

  it('gives back a counted call that did not run', async () => {
    const policy = randomUUID()
    const minute = thisMinute()
    const limits = [{ limit: 2, per: 'minute' as const }]
    expect((await counter.take(policy, limits, inWindow(minute))).ok).toBe(true)
    expect((await counter.take(policy, limits, inWindow(minute))).ok).toBe(true)
    await counter.giveBack(policy, limits, inWindow(minute))
    expect((await counter.take(policy, limits, inWindow(minute))).ok).toBe(true)
    expect((await counter.take(policy, limits, inWindow(minute))).ok).toBe(false)
  })
})

describe('rate counter on Redis: one turn of calls', () => {
  it('is one store command per limit, whatever the number of calls', async () => {
    let evals = 0
    const client = watchEvals(await createClient({ url: REDIS_URL }).connect(), () => {
      evals += 1
    })
    try {
      const counter = new RateCounter({ redis: client })
      const policy = randomUUID()
      const limits = [{ limit: 10, per: 'minute' as const }]
      const at = inWindow(thisMinute())
      const results = await Promise.all(Array.from({ length: 25 }, () => counter.take(policy, limits, at)))
      expect(results.filter((r) => r.ok)).toHaveLength(10)
      // One increment by 25, one give-back of the 15 that did not fit.
      expect(evals).toBe(2)
    } finally {
      await client.quit()
    }
  })
})

const script = fileURLToPath(new URL('../support/agent-instance.ts', import.meta.url))

describe.each(sharedBackends)('two processes on one $name', (backend) => {
  let cluster: Cluster
  let shared: SharedStore
  let approvals: Approvals

  beforeAll(async () => {
    const namespace = `agents_${randomBytes(6).toString('hex')}`
    shared = await backend.open(namespace)
    approvals = new Approvals(new SafeStore(shared.keyv, 10_000), new InProcessLock())
    cluster = await startCluster(
      2,
      { backend: backend.name, url: backend.url, namespace, limits: [{ limit: 100, per: 'minute' }] },
      script,
    )
  }, 60_000)
  afterAll(async () => {
    await cluster?.stop()
    await shared?.close()
  })

  it('500 concurrent calls against 100/minute: exactly 100 pass, the other 400 get 429 with Retry-After', async () => {
    const policy = randomUUID()
    // A window the test names, so a minute boundary during the burst cannot split it.
    const now = inWindow(thisMinute()).getTime()
    const answers = await Promise.all(
      Array.from({ length: 500 }, () =>
        fetch(`${cluster.url}/take?policy=${policy}&now=${now}`, { method: 'POST' }).then((res) => ({
          status: res.status,
          retryAfter: res.headers.get('retry-after'),
        })),
      ),
    )
    // Both processes counted: the balancer alternates.
    expect(cluster.served).toHaveLength(2)
    expect(Math.min(...cluster.served)).toBeGreaterThanOrEqual(250)
    expect(answers.filter((a) => a.status === 200)).toHaveLength(100)
    const refused = answers.filter((a) => a.status === 429)
    expect(refused).toHaveLength(400)
    expect(new Set(refused.map((a) => a.retryAfter))).toEqual(new Set(['30']))
  }, 60_000)

  it('10 concurrent consumes of one approval across the two processes: exactly one is spent', async () => {
    const now = new Date()
    const approval = await approvals.request(
      'ana',
      {
        agentId: 'agent-1',
        connectionId: 'conn-1',
        policyId: 'policy-1',
        reason: 'a write',
        request: { method: 'POST', path: '/x', summary: 'POST /x' },
        digest: 'digest-1',
      },
      now,
    )
    await approvals.decide('ana', approval.id, 'approved', now)
    const query = `owner=ana&id=${approval.id}&agent=agent-1&digest=digest-1&now=${now.getTime() + 1}`
    const statuses = await Promise.all(
      Array.from({ length: 10 }, () =>
        fetch(`${cluster.url}/consume?${query}`, { method: 'POST' }).then((res) => res.status),
      ),
    )
    expect(statuses.filter((s) => s === 200)).toHaveLength(1)
    expect(statuses.filter((s) => s === 409)).toHaveLength(9)
    expect((await approvals.get('ana', approval.id, now))?.status).toBe('used')
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
