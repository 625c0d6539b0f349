import { rm } from 'node:fs/promises'
import KeyvPostgres from '@keyv/postgres'
import KeyvRedis from '@keyv/redis'
import KeyvSqlite from '@keyv/sqlite'
import Keyv from 'keyv'
import { createClient } from 'redis'

export type StoreKind = 'memory' | 'sqlite' | 'redis' | 'postgres'

export interface StoreSpec {
  kind: StoreKind
  /** Keyv namespace: unique per run and per store, so that nothing else is read or deleted. */
  namespace: string
  /** SQLite: the database file (a new one per store; deleted on close). */
  file?: string
  /**
   * SQLite: WAL journal with synchronous=NORMAL instead of @keyv/sqlite's defaults (rollback journal,
   * synchronous=FULL: one fsync per write).
   */
  wal?: boolean
  /**
   * Redis: URL, with the logical database (`redis://127.0.0.1:6379/14`). PostgreSQL: the database URL;
   * the namespace is also the table's name.
   */
  url?: string
}

/**
 * Writes to the backend underneath Keyv, for seeding big stores fast: values already serialized by
 * the Keyv's own serializer, under the key Keyv would use (see {@link checkBulkMatchesKeyv}).
 */
export interface BulkWriter {
  rawKey(key: string): string
  readRaw(rawKey: string): Promise<string | undefined>
  /** One SQLite transaction of multi-row INSERTs, or Redis MSETs. */
  write(entries: Array<[string, string]>): Promise<void>
  /** Keys in the backend (the SQLite table, the Redis logical database). */
  count(): Promise<number>
}

export interface OpenStore {
  keyv: Keyv
  bulk: BulkWriter | null
  /** Closes the connection and deletes what the store wrote (the file, the namespace's keys). */
  close(): Promise<void>
}

/** A Keyv as a host builds it, per the README (Redis: no offline queue, adapter errors thrown). */
export async function openStore(spec: StoreSpec): Promise<OpenStore> {
  if (spec.kind === 'memory') {
    return { keyv: new Keyv({ namespace: spec.namespace }), bulk: null, close: async () => undefined }
  }
  if (spec.kind === 'sqlite') {
    if (!spec.file) throw new Error('a SQLite store needs a file')
    const file = spec.file
    const adapter = new KeyvSqlite({ uri: `sqlite://${file}` })
    if (spec.wal) {
      await adapter.query('PRAGMA journal_mode=WAL')
      await adapter.query('PRAGMA synchronous=NORMAL')
    }
    const query = (sql: string, params: unknown[] = []) => adapter.query(sql, params) as Promise<unknown[]>
    return {
      keyv: new Keyv({ store: adapter, namespace: spec.namespace }),
      bulk: {
        rawKey: (key) => `${spec.namespace}:${key}`,
        readRaw: async (rawKey) =>
          ((await query('SELECT value FROM keyv WHERE key = ?', [rawKey])) as Array<{ value: string }>)[0]
            ?.value,
        write: async (entries) => {
          await query('BEGIN')
          for (let i = 0; i < entries.length; i += 400) {
            const rows = entries.slice(i, i + 400)
            await query(
              `INSERT INTO keyv (key, value) VALUES ${rows.map(() => '(?, ?)').join(', ')}`,
              rows.flat(),
            )
          }
          await query('COMMIT')
        },
        count: async () =>
          ((await query('SELECT COUNT(*) AS n FROM keyv')) as Array<{ n: number }>)[0]?.n ?? Number.NaN,
      },
      close: async () => {
        await adapter.disconnect().catch(() => undefined)
        await Promise.all(
          ['', '-wal', '-shm', '-journal'].map((suffix) => rm(file + suffix, { force: true })),
        )
      },
    }
  }
  if (spec.kind === 'postgres') return openPostgres(spec)
  const url = spec.url ?? 'redis://127.0.0.1:6379'
  const adapter = new KeyvRedis({ url, disableOfflineQueue: true }, { throwOnErrors: true })
  // Without an offline queue, commands sent before the first connect completes fail: connect first.
  await adapter.getClient()
  let raw: ReturnType<typeof createClient> | null = null
  const client = async () => {
    raw ??= createClient({ url })
    if (!raw.isOpen) await raw.connect()
    return raw
  }
  return {
    keyv: new Keyv({ store: adapter, namespace: spec.namespace }),
    bulk: {
      rawKey: (key) => `${spec.namespace}::${spec.namespace}:${key}`,
      readRaw: async (rawKey) => (await (await client()).get(rawKey)) ?? undefined,
      write: async (entries) => {
        const redis = await client()
        for (let i = 0; i < entries.length; i += 1000) await redis.mSet(entries.slice(i, i + 1000))
      },
      count: async () => (await client()).dbSize(),
    },
    close: async () => {
      await adapter.disconnect().catch(() => undefined)
      if (raw?.isOpen) await raw.quit()
      await dropRedisNamespace(url, spec.namespace)
    },
  }
}

/**
 * A Keyv on PostgreSQL as the tests build it: its own table (the namespace), store errors thrown. The
 * table is created by the first read; open one in the parent before starting instances on it, so that
 * they never race to create it. Closing drops the table (IF EXISTS: every instance may).
 */
async function openPostgres(spec: StoreSpec): Promise<OpenStore> {
  if (!/^[a-z_][a-z0-9_]*$/i.test(spec.namespace)) throw new Error(`not a table name: ${spec.namespace}`)
  const adapter = new KeyvPostgres({ uri: spec.url ?? POSTGRES_URL, table: spec.namespace, max: 10 })
  const keyv = new Keyv({ store: adapter, namespace: spec.namespace, throwOnErrors: true })
  await keyv.get('warm-up')
  return {
    keyv,
    bulk: null,
    close: async () => {
      try {
        await adapter.query(`DROP TABLE IF EXISTS public.${spec.namespace}`)
      } finally {
        await adapter.disconnect().catch(() => undefined)
      }
    },
  }
}

/** DATABASE_URL, or the database the tests use by default. */
export const POSTGRES_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

/** Deletes every key of a Keyv namespace on Redis (`<ns>::<ns>:…`), in batches. */
export async function dropRedisNamespace(url: string, namespace: string): Promise<number> {
  const client = await createClient({ url }).connect()
  let deleted = 0
  try {
    for await (const batch of client.scanIterator({ MATCH: `${namespace}::*`, COUNT: 5000 })) {
      if (batch.length === 0) continue
      deleted += await client.unlink(batch)
    }
  } finally {
    await client.quit()
  }
  return deleted
}

/** How many keys a Redis logical database holds (the database part of the URL). */
export async function redisDbSize(url: string): Promise<number> {
  const client = await createClient({ url }).connect()
  try {
    return await client.dbSize()
  } finally {
    await client.quit()
  }
}

/**
 * Proves the bulk path writes exactly what Keyv writes: a probe entry set through `keyv.set` must be
 * stored under the bulk writer's key with the bulk writer's serialization, byte for byte.
 */
export async function checkBulkMatchesKeyv(store: OpenStore, key: string, value: unknown): Promise<void> {
  if (!store.bulk) throw new Error('this store has no bulk writer')
  await store.keyv.set(key, value, 0)
  const stored = await store.bulk.readRaw(store.bulk.rawKey(key))
  const ours = await serializeForKeyv(store.keyv, value)
  await store.keyv.delete(key)
  if (stored !== ours) {
    throw new Error(`bulk seeding would not write what Keyv writes:\n keyv: ${stored}\n bulk: ${ours}`)
  }
}

/** A value as `keyv.set(key, value, 0)` serializes it (no expiry). */
export async function serializeForKeyv(keyv: Keyv, value: unknown): Promise<string> {
  if (!keyv.serialize) throw new Error('this Keyv does not serialize')
  return keyv.serialize({ value, expires: undefined })
}
