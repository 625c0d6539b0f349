import KeyvRedis from '@keyv/redis'
import Keyv from 'keyv'
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RedisLock, type RedisLockClient } from '../../src/index.js'
import { sleep } from '../support/as-client.js'
import { redisOptions } from '../support/backends.js'
import { connect } from '../support/flows.js'
import { type RedisServer, startRedisServer } from '../support/redis-server.js'
import { useOAuthSuite } from '../support/suite.js'

/**
 * A real redis-server is killed for 10 s, longer than a client whose reconnect strategy counts its
 * tries keeps trying (the README once gave the lock such a client: five tries, about 3 s). node-redis
 * then closes the client for good; the lock must open it again by itself.
 */

const OUTAGE_MS = 10_000
const suite = useOAuthSuite()
const silent = { warn: () => undefined, error: () => undefined }
let server: RedisServer | undefined

beforeAll(async () => {
  server = await startRedisServer({ persist: true })
})

afterAll(async () => {
  await server?.stop()
})

const lockOn = (client: ReturnType<typeof createClient>) =>
  new RedisLock({ client: client as unknown as RedisLockClient })

/** A lock that counts the commands it sends. */
function countedLockOn(client: ReturnType<typeof createClient>): { lock: RedisLock; asks: number } {
  const counted = {
    lock: new RedisLock({
      client: {
        eval: (script, options) => {
          counted.asks += 1
          return client.eval(script, options)
        },
        get isOpen() {
          return client.isOpen
        },
        duplicate: () => client.duplicate(),
      },
    }),
    asks: 0,
  }
  return counted
}

/**
 * Milliseconds from the holder letting go to the waiter (of another lock instance) getting in, and
 * the waiter's asks meanwhile: polling would ask every 5–12 ms.
 */
async function handOff(
  holder: RedisLock,
  waiter: { lock: RedisLock; asks: number },
): Promise<{ gap: number; asks: number }> {
  const key = `recovery:${Date.now()}`
  let taken: () => void = () => undefined
  const held = new Promise<void>((resolve) => {
    taken = resolve
  })
  const released = holder
    .withLock(key, async () => {
      taken()
      await sleep(300)
    })
    .then(() => performance.now())
  await held
  const asksBefore = waiter.asks
  const [acquired, asks] = await waiter.lock.withLock(key, async () => [
    performance.now(),
    waiter.asks - asksBefore,
  ])
  return { gap: acquired - (await released), asks }
}

describe('RedisLock after a Redis outage longer than its client reconnects', () => {
  it('answers again as soon as Redis is back, without a restart', { timeout: 60_000 }, async () => {
    const redis = server as RedisServer
    const store = new KeyvRedis(redisOptions.connect(redis.url), redisOptions.adapter)
    store.on('error', () => undefined)
    const keyv = new Keyv({ store })
    keyv.on('error', () => undefined)
    const client = createClient({
      url: redis.url,
      disableOfflineQueue: true,
      socket: {
        connectTimeout: 2_000,
        reconnectStrategy: (retries: number) =>
          retries > 5 ? new Error('Redis is unreachable') : 200 * retries,
      },
    })
    client.on('error', () => undefined)
    await client.connect()
    try {
      const app = await suite.appWith({
        keyv,
        lock: new RedisLock({ client: client as unknown as RedisLockClient }),
        storeTimeoutMs: 1000,
        authorize: () => true,
        logger: silent,
      })
      const id = await connect(app, 'ana')
      // A relabel writes the record under the connection's lock.
      const relabel = async (label: string) =>
        (
          await fetch(`${app.mount}/connections/${id}/label`, {
            method: 'PUT',
            headers: { 'x-user': 'ana', 'content-type': 'application/json' },
            body: JSON.stringify({ label }),
            signal: AbortSignal.timeout(5_000),
          }).catch(() => undefined)
        )?.status ?? 0
      expect(await relabel('Before')).toBe(200)
      // Two locks on the client, one waiting for the other: the waiter's wake-up connection is open.
      const [holder, waiter] = [lockOn(client), countedLockOn(client)]
      const handed = await handOff(holder, waiter)
      expect(handed.gap).toBeLessThan(100)
      expect(handed.asks).toBeLessThan(5)

      await redis.kill()
      await sleep(OUTAGE_MS)
      expect(client.isOpen).toBe(false)
      expect(await relabel('During')).toBe(503)
      await redis.start()

      // Every 50 ms: the first relabels after the restart may still fail, then all succeed.
      const after: number[] = []
      for (let i = 0; i < 20; i++) {
        after.push(await relabel(`After ${i}`))
        await sleep(50)
      }
      const firstOk = after.indexOf(200)
      expect(firstOk, `relabels after the restart: ${after}`).toBeGreaterThanOrEqual(0)
      expect(firstOk, `relabels after the restart: ${after}`).toBeLessThanOrEqual(10)
      expect(after.slice(firstOk).every((status) => status === 200)).toBe(true)
      expect((await app.router.connections.get('ana', id)).label).toBe('After 19')
      // A new connection (flow, owner index and record locks) goes through as well.
      expect(await connect(app, 'ana', 'ana-again')).not.toBe(id)
      // Its wake-up connection gave up during the outage too: a waiter is still woken by the release.
      const handedAfter = await handOff(holder, waiter)
      expect(handedAfter.gap).toBeLessThan(100)
      expect(handedAfter.asks).toBeLessThan(5)
    } finally {
      await store.disconnect(true).catch(() => undefined)
      await client.quit().catch(() => undefined)
    }
  })
})
