/**
 * One instance of the app. start.ts runs two of them behind a round-robin proxy; in production, your
 * process manager or orchestrator does. Every instance needs the same store, lock, CONNECTIONS_KEY
 * and baseUrl (the public URL: here the proxy's).
 */
import type { AddressInfo } from 'node:net'
import KeyvRedis from '@keyv/redis'
import express from 'express'
import { createConnectionsRouter, providers, RedisLock } from 'express-connections'
import Keyv from 'keyv'
import { createClient } from 'redis'

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const name = process.env.INSTANCE_NAME ?? 'instance'
const { BASE_URL: baseUrl, CONNECTIONS_KEY: encryptionKey } = process.env
if (!baseUrl || !encryptionKey) {
  console.error('Set BASE_URL and CONNECTIONS_KEY, or run start.ts, which sets both.')
  process.exit(1)
}

// Without the offline queue, calls fail at once while Redis is down (503) instead of waiting for it;
// the client must then be connected before the first request.
const adapter = new KeyvRedis({ url: redisUrl, disableOfflineQueue: true })
await adapter.getClient()
const store = new Keyv({ store: adapter, namespace: 'connections' })

// The lock serialises what must not run twice at once across instances (index updates, refreshes).
const lockClient = createClient({ url: redisUrl })
lockClient.on('error', (error: Error) => console.error(`${name}: Redis: ${error.message}`))
await lockClient.connect()

const app = express()
app.use((req, res, next) => {
  res.set('x-instance', name) // to see which instance answered
  // Your own login goes here: the router reads the owner from req.user.id by default.
  Object.assign(req, { user: { id: 'demo-user' } })
  next()
})
app.use(
  '/integrations',
  createConnectionsRouter({
    store,
    lock: new RedisLock({ client: lockClient }),
    encryptionKey,
    baseUrl,
    providers: [
      // Checked locally, so the example needs no internet: any key starting with `demo_` is accepted.
      providers.apiKey({
        id: 'demo',
        name: 'Demo API',
        validate: async (key) => (key.startsWith('demo_') ? { accountId: key.slice(-4) } : false),
      }),
    ],
  }),
)

const server = app.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo
  console.log(`${name} listening on http://127.0.0.1:${port}`)
  process.send?.({ port }) // tells start.ts where to send requests
})

let stopping = false
const stop = () => {
  if (stopping) return
  stopping = true
  server.close()
  server.closeAllConnections()
  Promise.all([adapter.disconnect(), lockClient.close()]).finally(() => process.exit(0))
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
