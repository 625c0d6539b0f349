import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import KeyvMemcache from '@keyv/memcache'
import KeyvMysql from '@keyv/mysql'
import Keyv from 'keyv'
import { KeyvFile } from 'keyv-file'
import Keyv6 from 'keyv6'
import type { Backend } from './backends.js'
import { startMemcached } from './memcached-server.js'
import { intercept, watch, watchClear, watchIterators, watchMap, watchSql } from './scan-watch.js'

/**
 * Keyv adapters beyond the first four, found by the outside review (issue 13), each as a host would
 * build it. CI starts MariaDB and installs memcached; a backend that cannot be reached fails.
 */

/** MariaDB (or MySQL): CI exports it, and starts the server when it is down. */
export const MYSQL_URL = process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test'

/** keyv-file: one JSON file, written `writeDelay` ms after a change (every write awaits it). */
const keyvFile: Backend = {
  name: 'keyv-file',
  async create(namespace) {
    const dir = await mkdtemp(join(tmpdir(), 'express-connections-keyv-file-'))
    const filename = join(dir, 'store.json')
    const store = new KeyvFile({ filename, writeDelay: 10 })
    const keyv = new Keyv({ store, namespace })
    return {
      keyv,
      async close() {
        try {
          await keyv.clear()
        } finally {
          await rm(dir, { recursive: true, force: true })
        }
      },
      dump: async () => {
        await (store as unknown as { saveToDisk(): Promise<void> }).saveToDisk()
        const { cache } = JSON.parse(await readFile(filename, 'utf8')) as {
          cache: Array<[string, { value: unknown }]>
        }
        return cache
          .filter(([key]) => key.startsWith(`${namespace}:`))
          .map(([key, { value }]) => [key, typeof value === 'string' ? value : JSON.stringify(value)])
      },
      watchScans: () =>
        watch((record) => [
          ...watchClear(keyv, store, record),
          intercept(store, 'keys', () => record('adapter.keys')),
        ]),
    }
  },
  failures: [],
}

const mysql: Backend = {
  name: 'mysql',
  async create(namespace) {
    const table = `conformance_${randomBytes(6).toString('hex')}`
    // Like @keyv/postgres, one pool per process: never two of these open at once in a test file.
    const store = new KeyvMysql({ uri: MYSQL_URL, table })
    const keyv = new Keyv({ store, namespace })
    try {
      await store.query('SELECT 1')
    } catch (error) {
      await store.disconnect().catch(() => undefined)
      throw new Error(`MariaDB at ${MYSQL_URL} cannot be reached: the storage suites need it (MYSQL_URL).`, {
        cause: error,
      })
    }
    return {
      keyv,
      async close() {
        try {
          await keyv.clear()
          await store.query(`DROP TABLE IF EXISTS ${table}`)
        } finally {
          await store.disconnect()
        }
      },
      dump: async () => {
        const rows = (await store.query(
          `SELECT id, value FROM ${table} WHERE id LIKE ${JSON.stringify(`${namespace}:%`)}`,
        )) as Array<{ id: string; value: string }>
        return rows.map((row) => [row.id, row.value])
      },
      watchScans: () => watch((record) => [...watchIterators(keyv, record), ...watchSql(store, record)]),
    }
  },
  failures: [
    {
      how: 'nothing listening',
      async create(namespace) {
        const store = new KeyvMysql({ uri: 'mysql://root@127.0.0.1:1/test', table: 'unreachable' })
        // The adapter creates its table at once: that first failure is handled here, not unhandled.
        await store.query('SELECT 1').catch(() => undefined)
        const keyv = new Keyv({ store, namespace })
        return { keyv, close: () => store.disconnect(), failsWithinMs: 1_000 }
      },
    },
  ],
}

/** A memcached of the test's own: clear() flushes the whole server, so no two handles share one. */
const memcache: Backend = {
  name: 'memcache',
  async create(namespace) {
    const server = await startMemcached()
    const store = new KeyvMemcache(server.address)
    const keyv = new Keyv({ store, namespace })
    return {
      keyv,
      async close() {
        store.client.close()
        await server.stop()
      },
      dump: async () => {
        const rows: Array<[string, string]> = []
        for (const key of await server.keys()) {
          if (!key.startsWith(`${namespace}:`)) continue
          const { value } = await store.client.get(key)
          if (value) rows.push([key, value.toString()])
        }
        return rows
      },
      watchScans: () => watch((record) => watchClear(keyv, store, record)),
    }
  },
  failures: [
    {
      how: 'server killed',
      async create(namespace) {
        const server = await startMemcached()
        const store = new KeyvMemcache(server.address, { retries: 0, timeout: 0.5, conntimeout: 0.5 })
        store.on('error', () => undefined)
        const keyv = new Keyv({ store, namespace })
        await keyv.set('before-the-outage', true, 60_000)
        await server.stop()
        return { keyv, close: async () => store.client.close() }
      },
    },
  ],
}

/** keyv 6 (npm's latest; Node 22 by its engines, it runs here in memory). Its adapters peer on keyv 5. */
const keyv6: Backend = {
  name: 'keyv6',
  async create(namespace) {
    const keyv = new Keyv6({ namespace })
    const map = (keyv.store as unknown as { _store: Map<string, { value: unknown }> })._store
    return {
      keyv: keyv as unknown as Keyv,
      close: () => keyv.clear(),
      // The memory adapter keeps the namespace itself: the keys are bare, and the Map is this handle's.
      dump: async () =>
        [...map.entries()].map(([key, { value }]) => [
          key,
          typeof value === 'string' ? value : JSON.stringify(value),
        ]),
      watchScans: () => watch((record) => watchMap(keyv, map as Map<string, unknown>, record)),
    }
  },
  failures: [],
}

/** Keyv's own `serialize`/`deserialize` replaced (here: JSON in base64), in memory. */
const serializer: Backend = {
  name: 'serializer',
  async create(namespace) {
    const map = new Map<string, unknown>()
    const keyv = new Keyv({
      store: map,
      namespace,
      serialize: (data) => Buffer.from(JSON.stringify(data)).toString('base64'),
      deserialize: (data) => JSON.parse(Buffer.from(String(data), 'base64').toString()),
    })
    return {
      keyv,
      close: () => keyv.clear(),
      dump: async () =>
        [...map.entries()]
          .filter(([key]) => key.startsWith(`${namespace}:`))
          .map(([key, value]) => [key, Buffer.from(String(value), 'base64').toString()]),
      watchScans: () => watch((record) => watchMap(keyv, map as Map<string, unknown>, record)),
    }
  },
  failures: [],
}

export const outsideBackends: Backend[] = [keyvFile, mysql, memcache, keyv6, serializer]
