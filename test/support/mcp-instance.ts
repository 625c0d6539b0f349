/**
 * One app instance with `/mcp` on, as a deployment behind a load balancer runs it (started by
 * test/support/instances.ts `startCluster(n, config, script)`): the router on a shared Redis or
 * PostgreSQL store and lock, rate limits counted there, and an API-key provider `tracker` whose two
 * tools call the echo API at `apiUrl` (test/support/http-fakes.ts startEchoApi).
 */
import type { AddressInfo } from 'node:net'
import express from 'express'
import { createClient } from 'redis'
import { createConnectionsRouter, providers } from '../../src/index.js'
import type { ToolDefinition } from '../../src/providers/tool-definition.js'
import { openShared } from './shared-store.js'

export interface McpInstanceConfig {
  backend: 'redis'
  url: string
  namespace: string
  baseUrl: string
  encryptionKey: string
  apiUrl: string
}

const config = JSON.parse(process.env.INSTANCE_CONFIG ?? '') as McpInstanceConfig

const project = { type: 'string', pattern: '^[a-z0-9-]{1,40}$' }
const tools: ToolDefinition[] = [
  {
    slug: 'list_items',
    displayName: 'List items',
    description: 'List the items of a project.',
    inputSchema: {
      type: 'object',
      properties: { project },
      required: ['project'],
      additionalProperties: false,
    },
    request: { method: 'GET', path: '/projects/{project}/items' },
    responseSchema: null,
    responseFieldMap: { method: 'method', path: 'url' },
    annotations: { readOnly: true },
    docsUrl: 'https://example.com/docs/items#list',
  },
  {
    slug: 'create_item',
    displayName: 'Create item',
    description: 'Create an item in a project.',
    inputSchema: {
      type: 'object',
      properties: { project, title: { type: 'string', minLength: 1, maxLength: 100 } },
      required: ['project', 'title'],
      additionalProperties: false,
    },
    request: { method: 'POST', path: '/projects/{project}/items', body: { fields: { title: 'title' } } },
    responseSchema: null,
    responseFieldMap: { method: 'method', path: 'url' },
    annotations: { readOnly: false },
    docsUrl: 'https://example.com/docs/items#create',
  },
]

const { store, lock, close } = await openShared(config)
const redis = await createClient({ url: config.url }).connect()
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
    mcp: true,
    rateLimitStore: { redis },
    logger: {
      warn: (message) => process.stderr.write(`warn ${message}\n`),
      error: (message) => process.stderr.write(`error ${message}\n`),
    },
    // The fake listens on 127.0.0.1: allowed for this provider only, as a host would for its own API.
    providers: [
      {
        ...providers.apiKey({
          id: 'tracker',
          apiBaseUrl: config.apiUrl,
          validate: async () => ({ accountId: 'acct-1' }),
        }),
        tools,
      },
    ],
  }),
)
const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`)
})
process.on('SIGTERM', () => {
  server.close()
  server.closeAllConnections()
  Promise.all([close(), redis.quit()]).finally(() => process.exit(0))
})
