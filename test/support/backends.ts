import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import KeyvPostgres from '@keyv/postgres'
import KeyvRedis, { type RedisClientType } from '@keyv/redis'
import KeyvSqlite from '@keyv/sqlite'
import Keyv from 'keyv'
import { JsonFileStore } from '../../examples/custom-store/json-file-store.js'
import { outsideBackends } from './outside-backends.js'
import { intercept, watch, watchClear, watchIterators, watchMap, watchSql } from './scan-watch.js'

/** CI exports both and the storage suites fail (never skip) when either cannot be reached. */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

export type BackendName =
  | 'memory'
  | 'sqlite'
  | 'redis'
  | 'postgres'
  | 'custom'
  | 'keyv-file'
  | 'mysql'
  | 'memcache'
  | 'keyv6'
  | 'serializer'

export interface BackendHandle {
  /** A Keyv on the backend under its own namespace, built as a host would build it (no throwOnErrors). */
  keyv: Keyv
  /** Deletes everything written under the namespace (file, table) and releases the connection. */
  close(): Promise<void>
  /**
   * Every key and raw stored value under the namespace, as the backend holds them (test-only: a scan).
   * Keys are the backend's own, with Keyv's and the adapter's prefixes.
   */
  dump(): Promise<Array<[string, string]>>
  /**
   * Starts recording every namespace scan: Keyv's or the adapter's iterator, Map iteration, an SQL
   * statement that is not a point lookup by key, Redis SCAN/KEYS. `stop()` restores and returns them.
   */
  watchScans(): { stop(): string[] }
}

export interface Backend {
  name: BackendName
  create(namespace: string): Promise<BackendHandle>
  /** Ways this backend fails, for the store_unavailable checks (none for memory: a Map cannot fail). */
  failures: FailureScenario[]
}

export interface FailureScenario {
  how: string
  /**
   * A Keyv on a backend that is down. `failsWithinMs` is how long the adapter itself takes to fail
   * (undefined: it hangs, and only SafeStore's timeout ends the call).
   */
  create(namespace: string): Promise<{
    keyv: Keyv
    close(): Promise<void>
    failsWithinMs?: number
    /** Brings the backend back, where the scenario can: the same Keyv must work again. */
    restore?(): Promise<void>
  }>
}

/**
 * Redis so that an outage fails fast instead of hanging: no offline queue (a command while
 * disconnected rejects at once), adapter errors thrown (SafeStore can only switch Keyv's own
 * throwOnErrors, not the adapter's), and a connect that gives up after three quick retries (the default
 * strategy retries the first connect forever; @keyv/redis connects again on the next call).
 */
export const redisOptions = {
  connect: (url: string) => ({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 2_000,
      reconnectStrategy: (retries: number) =>
        retries >= 3 ? new Error('Redis is unreachable') : 100 * (retries + 1),
    },
  }),
  adapter: { throwOnErrors: true, connectionTimeout: 2_000 },
}

const memory: Backend = {
  name: 'memory',
  async create(namespace) {
    const keyv = new Keyv({ namespace })
    const map = keyv.store as Map<string, unknown>
    return {
      keyv,
      close: () => keyv.clear(),
      dump: async () =>
        [...map.entries()]
          .filter(([key]) => key.startsWith(`${namespace}:`))
          .map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]),
      watchScans: () => watch((record) => watchMap(keyv, map, record)),
    }
  },
  failures: [],
}

const sqlite: Backend = {
  name: 'sqlite',
  async create(namespace) {
    const file = join(tmpdir(), `express-connections-${randomBytes(8).toString('hex')}.sqlite`)
    const store = new KeyvSqlite({ uri: `sqlite://${file}`, busyTimeout: 5_000 })
    const keyv = new Keyv({ store, namespace })
    await store.query('SELECT 1')
    return {
      keyv,
      async close() {
        try {
          await keyv.clear()
          await store.disconnect()
        } finally {
          await rm(file, { force: true })
        }
      },
      dump: async () => {
        const rows = (await store.query(
          `SELECT key, value FROM ${store.opts.table} WHERE key LIKE ?`,
          `${namespace}:%`,
        )) as Array<{ key: string; value: string }>
        return rows.map((row) => [row.key, row.value])
      },
      watchScans: () => watch((record) => [...watchIterators(keyv, record), ...watchSql(store, record)]),
    }
  },
  failures: [
    {
      how: 'database closed under it',
      async create(namespace) {
        const file = join(tmpdir(), `express-connections-${randomBytes(8).toString('hex')}.sqlite`)
        const store = new KeyvSqlite({ uri: `sqlite://${file}` })
        const keyv = new Keyv({ store, namespace })
        await store.query('SELECT 1')
        await store.disconnect()
        return { keyv, close: () => rm(file, { force: true }), failsWithinMs: 500 }
      },
    },
  ],
}

const redis: Backend = {
  name: 'redis',
  async create(namespace) {
    const store = new KeyvRedis(redisOptions.connect(REDIS_URL), redisOptions.adapter)
    const keyv = new Keyv({ store, namespace })
    try {
      await store.getClient()
    } catch (error) {
      await store.disconnect(true).catch(() => undefined)
      throw new Error(`Redis at ${REDIS_URL} cannot be reached: the storage suites need it (REDIS_URL).`, {
        cause: error,
      })
    }
    const client = async () => (await store.getClient()) as RedisClientType
    return {
      keyv,
      async close() {
        try {
          await keyv.clear()
        } finally {
          await store.disconnect()
        }
      },
      dump: async () => {
        const redisClient = await client()
        const found = await redisClient.keys(`${namespace}${store.keyPrefixSeparator}*`)
        const rows: Array<[string, string]> = []
        for (const key of found) {
          const value = await redisClient.get(key)
          if (value !== null) rows.push([key, value])
        }
        return rows
      },
      watchScans() {
        // The adapter connected in create(): its client is the one every command goes through.
        const redisClient = store.client as RedisClientType
        return watch((record) => [
          ...watchIterators(keyv, record),
          ...(['scan', 'scanIterator', 'keys', 'sScan', 'hScan'] as const).flatMap((method) =>
            intercept(redisClient, method, () => record(`redis.${method}`)),
          ),
        ])
      },
    }
  },
  failures: [
    {
      how: 'nothing listening (the options above)',
      async create(namespace) {
        const store = new KeyvRedis(redisOptions.connect('redis://127.0.0.1:1'), redisOptions.adapter)
        store.on('error', () => undefined)
        const keyv = new Keyv({ store, namespace })
        return {
          keyv,
          close: () => store.disconnect(true),
          failsWithinMs: 1_000,
        }
      },
    },
    {
      how: 'nothing listening, only { url, disableOfflineQueue } and throwOnErrors',
      async create(namespace) {
        // The first connect retries forever (default reconnect strategy): SafeStore's timeout ends it.
        const store = new KeyvRedis(
          { url: 'redis://127.0.0.1:1', disableOfflineQueue: true },
          { throwOnErrors: true },
        )
        store.on('error', () => undefined)
        const keyv = new Keyv({ store, namespace })
        return { keyv, close: () => store.disconnect(true) }
      },
    },
    {
      how: 'server gone while connected (proxy cut)',
      async create(namespace) {
        const proxy = await tcpProxy(REDIS_URL)
        const store = new KeyvRedis(redisOptions.connect(proxy.url), redisOptions.adapter)
        store.on('error', () => undefined)
        const keyv = new Keyv({ store, namespace })
        await keyv.set('before-the-outage', true, 60_000)
        await proxy.cut()
        return {
          keyv,
          async close() {
            try {
              await keyv.clear()
            } finally {
              await store.disconnect(true)
              await proxy.cut()
            }
          },
          restore: () => proxy.restore(),
          failsWithinMs: 1_000,
        }
      },
    },
  ],
}

const postgres: Backend = {
  name: 'postgres',
  async create(namespace) {
    const table = `conformance_${randomBytes(6).toString('hex')}`
    // @keyv/postgres keeps ONE pool per process (per uri): disconnect() ends whichever pool is current,
    // so never have two of these open at once in a test file.
    const store = new KeyvPostgres({ uri: DATABASE_URL, table, connectionTimeoutMillis: 5_000 })
    const keyv = new Keyv({ store, namespace })
    try {
      await store.query('SELECT 1')
    } catch (error) {
      await store.disconnect().catch(() => undefined)
      throw new Error(
        `PostgreSQL at ${DATABASE_URL} cannot be reached: the storage suites need it (DATABASE_URL).`,
        { cause: error },
      )
    }
    return {
      keyv,
      async close() {
        try {
          await keyv.clear()
          await store.query(`DROP TABLE IF EXISTS public.${table}`)
        } finally {
          await store.disconnect()
        }
      },
      dump: async () => {
        const rows = (await store.query(`SELECT key, value FROM public.${table} WHERE key LIKE $1`, [
          `${namespace}:%`,
        ])) as Array<{ key: string; value: string }>
        return rows.map((row) => [row.key, row.value])
      },
      watchScans: () => watch((record) => [...watchIterators(keyv, record), ...watchSql(store, record)]),
    }
  },
  failures: [
    {
      how: 'nothing listening',
      async create(namespace) {
        const store = new KeyvPostgres({
          uri: 'postgres://postgres@127.0.0.1:1/test',
          table: 'unreachable',
          connectionTimeoutMillis: 1_000,
        })
        const keyv = new Keyv({ store, namespace })
        return { keyv, close: () => store.disconnect(), failsWithinMs: 1_500 }
      },
    },
    {
      how: 'pool ended under it',
      async create(namespace) {
        const table = `conformance_${randomBytes(6).toString('hex')}`
        const store = new KeyvPostgres({ uri: DATABASE_URL, table })
        const keyv = new Keyv({ store, namespace })
        await store.query(`DROP TABLE IF EXISTS public.${table}`)
        await store.disconnect()
        return { keyv, close: async () => undefined, failsWithinMs: 500 }
      },
    },
  ],
}

/** The JSON file adapter of examples/custom-store: the proof that a hand-written adapter conforms. */
const custom: Backend = {
  name: 'custom',
  async create(namespace) {
    const dir = await mkdtemp(join(tmpdir(), 'express-connections-'))
    const file = join(dir, 'store.json')
    const store = new JsonFileStore(file)
    const keyv = new Keyv({ store, namespace })
    return {
      keyv,
      async close() {
        try {
          await keyv.clear()
          await store.disconnect()
        } finally {
          await rm(dir, { recursive: true, force: true })
        }
      },
      dump: async () => {
        const entries = JSON.parse(await readFile(file, 'utf8')) as Record<string, { value: unknown }>
        return Object.entries(entries)
          .filter(([key]) => key.startsWith(`${namespace}:`))
          .map(([key, { value }]) => [key, typeof value === 'string' ? value : JSON.stringify(value)])
      },
      watchScans: () => watch((record) => watchClear(keyv, store, record)),
    }
  },
  failures: [
    {
      how: 'its directory missing',
      async create(namespace) {
        const dir = join(tmpdir(), `express-connections-${randomBytes(8).toString('hex')}`)
        const keyv = new Keyv({ store: new JsonFileStore(join(dir, 'store.json')), namespace })
        return {
          keyv,
          close: () => rm(dir, { recursive: true, force: true }),
          restore: () => mkdir(dir).then(() => undefined),
          failsWithinMs: 500,
        }
      },
    },
    {
      how: 'its file corrupt',
      async create(namespace) {
        const dir = await mkdtemp(join(tmpdir(), 'express-connections-'))
        const file = join(dir, 'store.json')
        await writeFile(file, '{"truncated')
        const keyv = new Keyv({ store: new JsonFileStore(file), namespace })
        return {
          keyv,
          close: () => rm(dir, { recursive: true, force: true }),
          restore: () => writeFile(file, '{}'),
          failsWithinMs: 500,
        }
      },
    },
  ],
}

export const backends: Backend[] = [memory, sqlite, redis, postgres, custom, ...outsideBackends]

/**
 * A TCP proxy to a redis:// URL: `cut()` drops every connection and stops listening (the server is
 * gone), `restore()` listens again on the same port (it is back).
 */
export async function tcpProxy(
  target: string,
): Promise<{ url: string; cut(): Promise<void>; restore(): Promise<void> }> {
  const { hostname, port } = new URL(target)
  const sockets = new Set<net.Socket>()
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(port || 6379), hostname)
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('error', () => undefined)
      socket.on('close', () => sockets.delete(socket))
    }
    client.pipe(upstream).pipe(client)
  })
  const listen = (on: number) => new Promise<void>((resolve) => server.listen(on, '127.0.0.1', resolve))
  await listen(0)
  const proxyPort = (server.address() as net.AddressInfo).port
  return {
    url: `redis://127.0.0.1:${proxyPort}`,
    async cut() {
      if (!server.listening) return
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      for (const socket of sockets) socket.destroy()
      await closed
    },
    restore: () => listen(proxyPort),
  }
}
