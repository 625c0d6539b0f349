/**
 * The router as a host with agents runs it, in its own process, for the agents benchmark (#7): the
 * built-in agent registry, an API-key provider whose API is servers/fake-api.ts, and `authorize`
 * allowing token and proxy. Both sides of a comparison run this same app; they differ only in the
 * caller (the owner with no policy, or an agent through its policy). With `redisUrl`, the store's
 * Redis also holds the locks (RedisLock) and the policies' rate counts (`rateLimitStore: { redis }`).
 */

import express from 'express'
import type { ToolDefinition } from 'express-connections'
import { createClient } from 'redis'
import { onStop, readConfig, ready } from '../lib/child.js'
import { loadPackage } from '../lib/package.js'
import { openStore, type StoreSpec } from '../lib/stores.js'
import { benchRoutes, identify, listen } from './common.js'

export interface AgentsServerConfig {
  store: StoreSpec
  /** 32 bytes, base64. */
  encryptionKey: string
  /** Base URL of servers/fake-api.ts: the provider's apiBaseUrl. */
  apiBaseUrl: string
  /** RedisLock and the rate counter on this Redis; without it, the in-process lock and counter. */
  redisUrl?: string
  /** Give the provider BENCH_TOOLS (the tools benchmark, #8). */
  tools?: boolean
}

/**
 * #8's tool: a GET of servers/fake-api.ts's list with one query field and a small field map, the
 * shape of GitHub's list_issues (validation, request building and mapping all run).
 */
export const BENCH_TOOLS: ToolDefinition[] = [
  {
    slug: 'list_items',
    displayName: 'List items',
    description: 'List the items, a page at a time.',
    inputSchema: {
      type: 'object',
      properties: {
        limit: { type: 'integer', minimum: 1, maximum: 100 },
        state: { type: 'string', enum: ['open', 'closed'] },
      },
      required: ['limit'],
      additionalProperties: false,
    },
    request: { method: 'GET', path: '/items', query: { limit: 'limit', state: 'state' } },
    responseSchema: {
      type: 'object',
      properties: { data: { type: 'array', items: { type: 'object' } } },
    },
    responseFieldMap: { 'items[].id': 'data[].id', 'items[].name': 'data[].name' },
    annotations: { readOnly: true },
    docsUrl: 'https://example.com/docs/items',
  },
]

const config = readConfig<AgentsServerConfig>()
const store = await openStore(config.store)
const app = express()
app.use(identify)
benchRoutes(app)
const closers: Array<() => Promise<unknown>> = []
const server = await listen(app)

const { createConnectionsRouter, providers, RedisLock } = await loadPackage()
const redis = config.redisUrl ? await createClient({ url: config.redisUrl }).connect() : undefined
if (redis) closers.push(() => redis.quit())
app.use(
  '/integrations',
  createConnectionsRouter({
    store: store.keyv,
    encryptionKey: config.encryptionKey,
    providers: [
      {
        ...providers.apiKey({
          id: 'bench',
          name: 'Bench API',
          apiBaseUrl: config.apiBaseUrl,
          // Checked locally: the benchmark measures the router, not a provider.
          validate: async (key) => ({ accountId: key.slice(-12) }),
        }),
        ...(config.tools ? { tools: BENCH_TOOLS } : {}),
      },
    ],
    // Token and proxy allowed, as a host allows them for its trusted callers: the owner's baseline.
    authorize: () => true,
    baseUrl: `http://127.0.0.1:${server.port}`,
    ...(redis ? { lock: new RedisLock({ client: redis }), rateLimitStore: { redis } } : {}),
  }),
)

onStop(async () => {
  await server.close()
  for (const close of closers) await close().catch(() => undefined)
  await store.close()
})
ready({ port: server.port, pid: process.pid })
