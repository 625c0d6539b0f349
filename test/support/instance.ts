/**
 * One app instance in a child process, as a deployment behind a load balancer runs it: the router on
 * a shared Redis or PostgreSQL store with the matching shared lock. Started by
 * test/support/instances.ts with `node --import tsx`; its configuration comes in INSTANCE_CONFIG
 * (JSON) and it prints `{"port": …}` on stdout once it listens.
 */
import type { AddressInfo } from 'node:net'
import express from 'express'
import pg from 'pg'
import { createClient } from 'redis'
import { createConnectionsRouter, providers } from '../../src/index.js'
import type { clientSettings } from './oauth-server.js'
import { openShared } from './shared-store.js'

export interface InstanceConfig {
  backend: 'redis' | 'postgres'
  /** redis:// or postgres:// URL of the shared store. */
  url: string
  /** Keyv namespace (Redis) or table (PostgreSQL) shared by the instances of one test. */
  namespace: string
  baseUrl: string
  encryptionKey: string
  oauth: ReturnType<typeof clientSettings>
  /** The router's providerTimeoutMs (its default when absent). */
  providerTimeoutMs?: number
  /** Count policies' rate limits on the shared Redis or PostgreSQL (else in memory, per process). */
  sharedRateCounts?: boolean
}

const config = JSON.parse(process.env.INSTANCE_CONFIG ?? '') as InstanceConfig

const { store, lock, close } = await openShared(config)
const rateLimitStore = config.sharedRateCounts ? await sharedRateStore() : 'memory'

async function sharedRateStore() {
  if (config.backend === 'redis') return { redis: await createClient({ url: config.url }).connect() }
  return { postgres: new pg.Pool({ connectionString: config.url, max: 5 }) }
}
const app = express()
app.use((req, _res, next) => {
  const user = req.get('x-user')
  if (user) Object.assign(req, { user: { id: user } })
  next()
})
app.use(
  '/integrations',
  createConnectionsRouter({
    store,
    lock,
    encryptionKey: config.encryptionKey,
    baseUrl: config.baseUrl,
    authorize: () => true,
    rateLimitStore,
    ...(config.providerTimeoutMs ? { providerTimeoutMs: config.providerTimeoutMs } : {}),
    logger: {
      warn: (message) => process.stderr.write(`warn ${message}\n`),
      error: (message) => process.stderr.write(`error ${message}\n`),
    },
    providers: [
      providers.oauth2({
        id: 'local',
        ...config.oauth,
        scopes: ['openid', 'email', 'offline_access'],
        authorizationParams: { prompt: 'consent' },
      }),
    ],
  }),
)
const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`)
})
process.on('SIGTERM', () => {
  server.close()
  server.closeAllConnections()
  close().finally(() => process.exit(0))
})
