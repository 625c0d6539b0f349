import pg from 'pg'
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Lock, PostgresLock, RedisLock, type RedisLockClient } from '../../src/index.js'
import { connect } from '../support/flows.js'
import { useOAuthSuite } from '../support/suite.js'

const suite = useOAuthSuite({ accessTokenTtl: 2 })
let redis: ReturnType<typeof createClient>
let pool: pg.Pool

beforeAll(async () => {
  redis = await createClient({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' }).connect()
  pool = new pg.Pool({
    connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  })
})
afterAll(async () => {
  await Promise.all([redis.quit(), pool.end()])
})

describe.each([
  ['RedisLock', (): Lock => new RedisLock({ client: redis as unknown as RedisLockClient })],
  ['PostgresLock', (): Lock => new PostgresLock({ pool })],
])('the router on a %s', (_name, makeLock) => {
  it('connects, lists 10 concurrent connections and refreshes once for 20 concurrent token requests', async () => {
    const app = await suite.appWith({ lock: makeLock() })
    const ids = await Promise.all(Array.from({ length: 10 }, (_, i) => connect(app, 'ana', `user-${i}`)))
    expect((await app.router.connections.list('ana')).map((c) => c.id).sort()).toEqual([...ids].sort())

    await new Promise((resolve) => setTimeout(resolve, 1100))
    const before = suite.oauth.grants.refreshToken
    const tokens = await Promise.all(
      Array.from({ length: 20 }, () => app.router.connections.getAccessToken('ana', ids[0] ?? '')),
    )
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1)
    expect(suite.oauth.grants.refreshToken - before).toBe(1)
  })
})
