/**
 * The router with `/mcp` on, in its own process, for the MCP benchmark (#8): the built-in agent
 * registry and an API-key provider with one read tool, `list_items` (a GET of servers/fake-api.ts).
 * Both sides of the comparison run this same app and the same agent; they differ only in the way
 * the tool is called (`POST /connections/:id/tools/list_items/run`, or `tools/call` over `/mcp`).
 */
import express from 'express'
import { createClient } from 'redis'
import { onStop, readConfig, ready } from '../lib/child.js'
import { loadPackage } from '../lib/package.js'
import { openStore } from '../lib/stores.js'
import type { AgentsServerConfig } from './agents.js'
import { benchRoutes, identify, listen } from './common.js'

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
    mcp: true,
    providers: [
      {
        ...providers.apiKey({
          id: 'bench',
          name: 'Bench API',
          apiBaseUrl: config.apiBaseUrl,
          validate: async (key) => ({ accountId: key.slice(-12) }),
        }),
        tools: [
          {
            slug: 'list_items',
            displayName: 'List items',
            description: 'List the items.',
            inputSchema: {
              type: 'object',
              properties: { limit: { type: 'integer', minimum: 1, maximum: 100 } },
              additionalProperties: false,
            },
            request: { method: 'GET', path: '/items', query: { limit: 'limit' } },
            responseSchema: { type: 'object', properties: { data: { type: 'array' } } },
            responseFieldMap: { items: 'data' },
            annotations: { readOnly: true },
            docsUrl: 'https://example.com/docs/items',
          },
        ],
      },
    ],
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
