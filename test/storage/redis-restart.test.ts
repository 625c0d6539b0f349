import KeyvRedis from '@keyv/redis'
import Keyv from 'keyv'
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sleep } from '../support/as-client.js'
import { redisOptions } from '../support/backends.js'
import { inspectStore, type StoreState } from '../support/consistency.js'
import { connect } from '../support/flows.js'
import { type RedisServer, startRedisServer } from '../support/redis-server.js'
import { useOAuthSuite } from '../support/suite.js'

/**
 * A real redis-server, with every write fsynced to its append-only file, is SIGKILLed while requests
 * stream in and started again on the same port and directory: the same app, on the same Keyv, answers
 * 503 during the outage, 200 again after it, and has lost nothing.
 */

const STORE_TIMEOUT_MS = 1000
/** Slack on top of the store timeout for one request (HTTP, JSON, a few store calls that did answer). */
const MARGIN_MS = 1500
const OUTAGE_MS = 2500

const suite = useOAuthSuite()
const silent = { warn: () => undefined, error: () => undefined }

/** Every key and raw value in the server, keyed as the FaultyStore dumps are (`keyv:<key>`). */
async function dumpRedis(url: string): Promise<Map<string, unknown>> {
  const client = createClient({ url })
  client.on('error', () => undefined)
  await client.connect()
  try {
    const dump = new Map<string, unknown>()
    for (const key of await client.keys('*')) {
      const value = await client.get(key)
      // @keyv/redis puts its own namespace (Keyv's) and `::` before the key Keyv made (`keyv:<key>`).
      if (value !== null) dump.set(key.replace(/^keyv::/, ''), value)
    }
    return dump
  } finally {
    await client.quit().catch(() => undefined)
  }
}

type Kind = 'list' | 'token' | 'label'

interface Sample {
  kind: Kind
  startedAt: number
  endedAt: number
  status: number
  code: unknown
  body: unknown
  /** The label a label write asked for. */
  label?: string
}

let server: RedisServer | undefined

beforeAll(async () => {
  server = await startRedisServer({ persist: true })
})

afterAll(async () => {
  await server?.stop()
})

describe('a Redis server killed mid-run and started again', () => {
  it('answers 503 while it is gone, 200 once it is back, and loses no connection', {
    timeout: 60_000,
  }, async () => {
    const redis = server as RedisServer
    const store = new KeyvRedis(redisOptions.connect(redis.url), redisOptions.adapter)
    store.on('error', () => undefined)
    const keyv = new Keyv({ store })
    keyv.on('error', () => undefined)
    try {
      const app = await suite.appWith({
        keyv,
        storeTimeoutMs: STORE_TIMEOUT_MS,
        authorize: () => true,
        logger: silent,
      })
      const ana = await connect(app, 'ana')
      const anaWork = await connect(app, 'ana', 'ana-work')
      const bob = await connect(app, 'bob')

      const call = async (path: string, init: RequestInit = {}, owner = 'ana') => {
        const response = await fetch(`${app.mount}${path}`, {
          ...init,
          headers: { 'x-user': owner, 'content-type': 'application/json' },
          // A request that hangs is a failure of its own (recorded as status 0), not a stuck test.
          signal: AbortSignal.timeout(STORE_TIMEOUT_MS + MARGIN_MS + 5_000),
        }).catch(() => undefined)
        if (!response) return { status: 0, body: null }
        const text = await response.text()
        return { status: response.status, body: text.startsWith('{') ? (JSON.parse(text) as unknown) : text }
      }
      const tokenOf = async (owner: string, id: string) =>
        ((await call(`/connections/${id}/token`, {}, owner)).body as { data: { accessToken: string } }).data
          .accessToken

      const renamed = await call(`/connections/${anaWork}/label`, {
        method: 'PUT',
        body: '{"label":"Before"}',
      })
      expect(renamed.status).toBe(200)
      const tokens = {
        [ana]: await tokenOf('ana', ana),
        [anaWork]: await tokenOf('ana', anaWork),
        [bob]: await tokenOf('bob', bob),
      }
      const before = await app.router.connections.list('ana')
      expect(before.map((c) => c.id)).toEqual([ana, anaWork])

      // The stream: three clients, each sending one kind of request after the other.
      const samples: Sample[] = []
      let stop = false
      let labels = 0
      const send: Record<Kind, () => Promise<{ status: number; body: unknown; label?: string }>> = {
        list: () => call('/connections'),
        token: () => call(`/connections/${ana}/token`),
        label: async () => {
          labels += 1
          const label = `Stream ${labels}`
          return {
            ...(await call(`/connections/${anaWork}/label`, {
              method: 'PUT',
              body: JSON.stringify({ label }),
            })),
            label,
          }
        },
      }
      const client = async (kind: Kind) => {
        while (!stop) {
          const startedAt = Date.now()
          const { status, body, label } = await send[kind]()
          const code = (body as { error?: { code?: unknown } } | null)?.error?.code
          samples.push({
            kind,
            startedAt,
            endedAt: Date.now(),
            status,
            code,
            body,
            ...(label ? { label } : {}),
          })
          await sleep(25)
        }
      }
      const clients = Promise.all((['list', 'token', 'label'] as const).map(client))

      await sleep(400)
      await redis.kill()
      const killedAt = Date.now()
      await sleep(OUTAGE_MS)
      const restartingAt = Date.now()
      await redis.start()
      const restartedAt = Date.now()

      // Bounded: each kind answers 200 again within a few requests of the server being back.
      const recovered = () =>
        (['list', 'token', 'label'] as const).every((kind) =>
          samples.some((s) => s.kind === kind && s.startedAt >= restartedAt && s.status === 200),
        )
      const deadline = Date.now() + 15_000
      while (!recovered() && Date.now() < deadline) await sleep(50)
      await sleep(300)
      stop = true
      await clients

      const describeSample = (s: Sample) =>
        `${s.kind} +${s.startedAt - killedAt}ms → ${s.status} ${String(s.code ?? '')} in ${s.endedAt - s.startedAt}ms`

      // Only 200 or 503 store_unavailable, each within the store timeout plus a margin.
      const wrong = samples.filter(
        (s) => !(s.status === 200 || (s.status === 503 && s.code === 'store_unavailable')),
      )
      expect(wrong.map(describeSample)).toEqual([])
      const slow = samples.filter((s) => s.endedAt - s.startedAt > STORE_TIMEOUT_MS + MARGIN_MS)
      expect(slow.map(describeSample)).toEqual([])

      // A 200 list is never an empty or partial one, before, during or after the outage.
      const partial = samples.filter((s) => {
        if (s.kind !== 'list' || s.status !== 200) return false
        const ids = (s.body as { data: Array<{ id: string }> }).data.map((c) => c.id)
        return ids.join() !== [ana, anaWork].join()
      })
      expect(partial.map(describeSample)).toEqual([])
      const tokenAnswers = samples.filter((s) => s.kind === 'token' && s.status === 200)
      expect(
        tokenAnswers.filter(
          (s) => (s.body as { data: { accessToken: string } }).data.accessToken !== tokens[ana],
        ),
      ).toEqual([])

      // The stream really ran on both sides of the outage, and everything sent while it lasted failed.
      expect(samples.filter((s) => s.endedAt < killedAt && s.status === 200).length).toBeGreaterThanOrEqual(3)
      const during = samples.filter((s) => s.startedAt >= killedAt && s.endedAt <= restartingAt)
      expect(during.length).toBeGreaterThanOrEqual(3)
      expect(during.filter((s) => s.status !== 503).map(describeSample)).toEqual([])

      // Back within a bounded number of requests: at most 10 failures per kind once the server answers.
      expect(recovered()).toBe(true)
      for (const kind of ['list', 'token', 'label'] as const) {
        const after = samples.filter((s) => s.kind === kind && s.startedAt >= restartedAt)
        const firstOk = after.findIndex((s) => s.status === 200)
        expect(firstOk, `${kind} after the restart: ${after.map(describeSample)}`).toBeGreaterThanOrEqual(0)
        expect(firstOk, `${kind} after the restart: ${after.map(describeSample)}`).toBeLessThanOrEqual(10)
      }

      // Nothing lost: the same connections, indexes and tokens; the label is the last one written with a
      // 200, or one whose write answered 503 after it (a write may reach Redis and its answer not the app).
      const labelWrites = samples.filter((s) => s.kind === 'label').sort((a, b) => a.endedAt - b.endedAt)
      const lastOk = labelWrites.findLastIndex((s) => s.status === 200)
      const possible = [
        lastOk >= 0 ? labelWrites[lastOk]?.label : 'Before',
        ...labelWrites.slice(lastOk + 1).map((s) => s.label),
      ]
      const { state, problems } = inspectStore(await dumpRedis(redis.url), ['ana', 'bob'])
      expect(problems).toEqual([])
      const summary = (s: StoreState, owner: string) =>
        s.owners[owner]?.connections.map((c) => ({
          id: c.record.id,
          status: c.record.status,
          accessToken: c.secrets?.accessToken,
        }))
      expect(summary(state, 'ana')).toEqual([
        { id: ana, status: 'active', accessToken: tokens[ana] },
        { id: anaWork, status: 'active', accessToken: tokens[anaWork] },
      ])
      expect(summary(state, 'bob')).toEqual([{ id: bob, status: 'active', accessToken: tokens[bob] }])
      const stored = state.owners.ana?.connections.map((c) => c.record.label)
      expect(stored?.[0]).toBe(before[0]?.label)
      expect(possible).toContain(stored?.[1])

      // And the app itself, which never restarted, sees the same.
      expect((await app.router.connections.list('ana')).map((c) => [c.id, c.label])).toEqual(
        state.owners.ana?.connections.map((c) => [c.record.id, c.record.label]),
      )
      expect(await tokenOf('bob', bob)).toBe(tokens[bob])
    } finally {
      await store.disconnect(true).catch(() => undefined)
    }
  })
})
