/**
 * An app serving token vending, in its own process: `subject` mounts the router (built package) on
 * the store; `baseline` serves the same two routes by hand (lib/baseline.ts). Used by the token
 * vending (#1), stampede (#4), memory (#6) and proxy (#10) benchmarks. With `apiBaseUrl`, the API-key
 * provider's API is there, and the baseline also serves the proxy by hand: the stored key, one
 * undici request on a keep-alive Agent, the answer streamed back.
 */
import { pipeline } from 'node:stream/promises'
import express from 'express'
import type { PostgresLockPool, RedisLockClient } from 'express-connections'
import pg from 'pg'
import { createClient } from 'redis'
import { Agent, request } from 'undici'
import { baselineRecord, recordKey, vend } from '../lib/baseline.js'
import { onStop, readConfig, ready } from '../lib/child.js'
import { loadPackage } from '../lib/package.js'
import { openStore, type StoreSpec } from '../lib/stores.js'
import { benchRoutes, identify, listen, ownerOf } from './common.js'

export interface VendingServerConfig {
  role: 'subject' | 'baseline'
  store: StoreSpec
  /** 32 bytes, base64. */
  encryptionKey: string
  /** A RedisLock on this Redis instead of the default in-process lock (subject only). */
  redisLockUrl?: string
  /** A PostgresLock on this database instead of the default in-process lock (subject only). */
  postgresLockUrl?: string
  /** Base URL of the fake OAuth provider (servers/fake-provider.ts): adds the `local` OAuth provider. */
  oauthUrl?: string
  /** Base URL of servers/fake-api.ts: the API-key provider's apiBaseUrl (and the baseline's proxy target). */
  apiBaseUrl?: string
}

const config = readConfig<VendingServerConfig>()
const store = await openStore(config.store)
const app = express()
app.use(identify)
benchRoutes(app)
const closers: Array<() => Promise<unknown>> = []
const locks = { attempts: 0, acquired: 0 }
app.get('/__bench/locks', (_req, res) => {
  res.json(locks)
})
// What the router asks of its store, and the CPU the process spent: counts that load on a shared
// machine does not blur, unlike latencies.
const storeCalls = { reads: 0, writes: 0 }
const { keyv } = store
for (const name of ['get', 'getMany', 'has'] as const) {
  const call = keyv[name].bind(keyv) as (...args: unknown[]) => Promise<unknown>
  Object.assign(keyv, {
    [name]: (...args: unknown[]) => {
      storeCalls.reads += 1
      return call(...args)
    },
  })
}
for (const name of ['set', 'delete'] as const) {
  const call = keyv[name].bind(keyv) as (...args: unknown[]) => Promise<unknown>
  Object.assign(keyv, {
    [name]: (...args: unknown[]) => {
      storeCalls.writes += 1
      return call(...args)
    },
  })
}
app.get('/__bench/usage', (_req, res) => {
  const cpu = process.cpuUsage()
  res.json({ ...storeCalls, cpuMs: (cpu.user + cpu.system) / 1000 })
})

// Listening first: the router's baseUrl (and so its callback URL) needs the port. Routes mounted
// below are served before `ready` is reported.
const server = await listen(app)

if (config.role === 'subject') {
  const { createConnectionsRouter, providers, RedisLock, PostgresLock } = await loadPackage()
  let lock: InstanceType<typeof RedisLock> | InstanceType<typeof PostgresLock> | undefined
  if (config.postgresLockUrl) {
    const pool = new pg.Pool({ connectionString: config.postgresLockUrl, max: 8 })
    closers.push(() => pool.end())
    // The same pool, counting acquisition attempts and successes for GET /__bench/locks: a free lock
    // is tried (`pg_try_advisory_lock`), a busy one waited for in PostgreSQL's queue (`pg_advisory_lock`).
    const wrapped = new WeakSet<object>()
    const counted: PostgresLockPool = {
      connect: async () => {
        const connection = await pool.connect()
        // The pool hands the same client out again: count through it once.
        if (wrapped.has(connection)) return connection
        wrapped.add(connection)
        const query = connection.query.bind(connection) as (
          sql: string,
          params: unknown[],
        ) => Promise<{ rows: Array<Record<string, unknown>> }>
        return Object.assign(connection, {
          query: async (sql: string, params: unknown[]) => {
            const tries = sql.includes('pg_try_advisory_lock')
            const waits = !tries && sql.includes('pg_advisory_lock(')
            if (tries || waits) locks.attempts += 1
            const result = await query(sql, params)
            if (waits || (tries && result.rows[0]?.taken === true)) locks.acquired += 1
            return result
          },
        })
      },
    }
    lock = new PostgresLock({ pool: counted })
  } else if (config.redisLockUrl) {
    const client = await createClient({ url: config.redisLockUrl }).connect()
    closers.push(() => client.quit())
    // The same client, counting acquisition attempts and successes, for GET /__bench/locks: the
    // acquiring script is the one that sets the lock (`NX`), and 1 means taken. `duplicate` opens the
    // connection whose subscription wakes waiters (without it, RedisLock polls).
    const counted: RedisLockClient = {
      eval: async (script, options) => {
        const result = await client.eval(script, options)
        if (script.includes("'NX'")) {
          locks.attempts += 1
          if (result === 1) locks.acquired += 1
        }
        return result
      },
      duplicate: () => client.duplicate(),
    }
    lock = new RedisLock({ client: counted })
  }
  const apiKeyProvider = providers.apiKey({
    id: 'bench',
    name: 'Bench API',
    ...(config.apiBaseUrl ? { apiBaseUrl: config.apiBaseUrl } : {}),
    // Checked locally: the benchmarks measure the router, not a provider.
    validate: async (key) => ({ accountId: key.slice(-12) }),
  })
  const oauth = config.oauthUrl
    ? [
        providers.oauth2({
          id: 'local',
          name: 'Local',
          authorizationUrl: `${config.oauthUrl}/authorize`,
          tokenUrl: `${config.oauthUrl}/token`,
          userInfoUrl: `${config.oauthUrl}/userinfo`,
          clientId: 'bench-client',
          clientSecret: 'bench-secret',
          scopes: ['read'],
        }),
      ]
    : []
  app.use(
    '/integrations',
    createConnectionsRouter({
      store: store.keyv,
      encryptionKey: config.encryptionKey,
      providers: [apiKeyProvider, ...oauth],
      // The bench's callers are trusted agents: token vending allowed, as a host allows it for them.
      authorize: () => true,
      // As production configures it (required there).
      baseUrl: `http://127.0.0.1:${server.port}`,
      ...(lock ? { lock } : {}),
    }),
  )
} else {
  const key = Buffer.from(config.encryptionKey, 'base64')
  app.get('/integrations/connections/:id/token', async (req, res) => {
    const owner = ownerOf(req)
    if (!owner) {
      res.status(401).json({ error: { code: 'unauthenticated', message: 'Sign in.' } })
      return
    }
    const token = await vend(keyv, key, owner, req.params.id)
    if (!token) {
      res.status(404).json({ error: { code: 'not_found', message: 'Connection not found.' } })
      return
    }
    res.set('cache-control', 'no-store').set('pragma', 'no-cache').json({ data: token })
  })
  app.post('/integrations/connections', express.json({ limit: '16kb' }), async (req, res) => {
    const owner = ownerOf(req) ?? 'bench-user'
    const body = req.body as { provider?: string; credentials?: { apiKey?: string } }
    const record = baselineRecord(key, owner, body.provider ?? 'bench', body.credentials?.apiKey ?? '')
    await keyv.set(recordKey(record.id), record)
    res.status(201).json({ data: { id: record.id } })
  })
  const { apiBaseUrl } = config
  if (apiBaseUrl) {
    // What a proxy must do at the least: the owner's stored key, then one request on connections kept
    // alive to the API, with the key as a bearer token, and the answer streamed back.
    const dispatcher = new Agent({ keepAliveTimeout: 60_000 })
    closers.push(() => dispatcher.close())
    app.use('/integrations/connections/:id/proxy', async (req, res) => {
      const owner = ownerOf(req)
      const id = req.params.id
      const token = owner && id ? await vend(keyv, key, owner, id) : null
      if (!token) {
        res.status(404).json({ error: { code: 'not_found', message: 'Connection not found.' } })
        return
      }
      const accept = req.get('accept')
      const upstream = await request(new URL(`.${req.url}`, `${apiBaseUrl}/`), {
        method: 'GET',
        headers: { authorization: `Bearer ${token.accessToken}`, ...(accept ? { accept } : {}) },
        dispatcher,
      })
      res.status(upstream.statusCode)
      const type = upstream.headers['content-type']
      if (typeof type === 'string') res.setHeader('content-type', type)
      await pipeline(upstream.body, res).catch(() => undefined)
    })
  }
}

onStop(async () => {
  await server.close()
  for (const close of closers) await close().catch(() => undefined)
  await store.close()
})
ready({ port: server.port, pid: process.pid })
