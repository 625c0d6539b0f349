import KeyvPostgres from '@keyv/postgres'
import KeyvRedis from '@keyv/redis'
import Keyv from 'keyv'
import pg from 'pg'
import { createClient } from 'redis'
import { type Lock, PostgresLock, RedisLock } from '../../src/index.js'
import { redisOptions } from './backends.js'

/**
 * The store and lock an instance of a deployment shares with the others: a Keyv on Redis (namespace)
 * or PostgreSQL (table) and the matching RedisLock or PostgresLock.
 */
export async function openShared(config: {
  backend: 'redis' | 'postgres'
  url: string
  namespace: string
}): Promise<{ store: Keyv; lock: Lock; close(): Promise<void> }> {
  if (config.backend === 'redis') {
    const adapter = new KeyvRedis(redisOptions.connect(config.url), redisOptions.adapter)
    const client = await createClient({ url: config.url }).connect()
    // Without an offline queue, commands sent before the first connect completes fail: connect first.
    await adapter.getClient()
    return {
      store: new Keyv({ store: adapter, namespace: config.namespace }),
      lock: new RedisLock({ client }),
      close: async () => {
        await Promise.all([adapter.disconnect(), client.quit()])
      },
    }
  }
  const adapter = new KeyvPostgres({ uri: config.url, table: config.namespace, max: 10 })
  const pool = new pg.Pool({ connectionString: config.url, max: 4 })
  return {
    store: new Keyv({ store: adapter, namespace: config.namespace }),
    lock: new PostgresLock({ pool }),
    close: async () => {
      await Promise.all([adapter.disconnect(), pool.end()])
    },
  }
}
