import { randomBytes } from 'node:crypto'
import { createClient } from 'redis'
import { InProcessLock, type Lock } from '../../src/locks/lock.js'
import { RedisLock } from '../../src/locks/redis-lock.js'
import { SafeStore } from '../../src/storage/safe-store.js'
import { type BackendHandle, backends, REDIS_URL } from './backends.js'

/** A SafeStore and a Lock as the router builds them, on memory (in-process lock) or Redis (RedisLock). */
export interface AgentStore {
  store: SafeStore
  lock: Lock
  handle: BackendHandle
  close(): Promise<void>
}

export const agentBackends = backends
  .filter((backend) => backend.name === 'memory' || backend.name === 'redis')
  .map((backend) => ({
    name: backend.name,
    async open(): Promise<AgentStore> {
      const handle = await backend.create(`agents_${randomBytes(6).toString('hex')}`)
      const store = new SafeStore(handle.keyv, 5_000)
      if (backend.name === 'memory') {
        return { store, lock: new InProcessLock(), handle, close: () => handle.close() }
      }
      const client = await createClient({ url: REDIS_URL }).connect()
      return {
        store,
        lock: new RedisLock({ client }),
        handle,
        close: async () => {
          await handle.close()
          await client.quit()
        },
      }
    },
  }))
