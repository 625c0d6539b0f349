import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gzipSync } from 'node:zlib'
import express from 'express'
import Keyv from 'keyv'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createConnectionsRouter, providers, type ToolDefinition } from '../../../src/index.js'
import { MAX_TOOL_RESPONSE_BYTES } from '../../../src/tools/transport.js'

/**
 * Tool runs read the provider's answer without a fetch in between (as the proxy relays it): a body the
 * provider compresses although nobody asked is decoded here, under the same size cap as a plain one.
 */
const TOOL: ToolDefinition = {
  slug: 'read',
  displayName: 'Read',
  description: 'Reads a document.',
  inputSchema: {
    type: 'object',
    properties: { which: { type: 'string', enum: ['small', 'bomb'] } },
    required: ['which'],
    additionalProperties: false,
  },
  request: { method: 'GET', path: '/docs/{which}' },
  responseSchema: { type: 'object' },
  responseFieldMap: { title: 'title' },
  annotations: { readOnly: true },
  docsUrl: 'https://docs.example.com/read',
}

let api: Server
let apiUrl = ''

beforeAll(async () => {
  api = createServer((req, res) => {
    const bomb = req.url === '/docs/bomb'
    const body = bomb
      ? gzipSync(Buffer.from(`{"title":"${'x'.repeat(MAX_TOOL_RESPONSE_BYTES + 10)}"}`))
      : gzipSync(Buffer.from(JSON.stringify({ title: 'Compressed anyway' })))
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(body)
  })
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve))
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`
})
afterAll(() => new Promise((resolve) => api.close(resolve)))

async function connected() {
  const router = createConnectionsRouter({
    store: new Keyv(),
    encryptionKey: Buffer.alloc(32, 9).toString('base64'),
    providers: [
      {
        ...providers.apiKey({
          id: 'docs',
          name: 'Docs',
          apiBaseUrl: apiUrl,
          validate: async () => ({ accountId: 'a1' }),
        }),
        tools: [TOOL],
      },
    ],
    authorize: () => true,
  })
  const app = express()
  app.use((req, _res, next) => {
    Object.assign(req, { user: { id: 'ana' } })
    next()
  })
  app.use('/integrations', router)
  const created = await request(app)
    .post('/integrations/connections')
    .send({ provider: 'docs', credentials: { apiKey: 'docs-key-0001' } })
  expect(created.status).toBe(201)
  return { router, id: created.body.data.id as string }
}

describe('a tool run on an answer the provider compressed', () => {
  it('decodes it', async () => {
    const { router, id } = await connected()
    expect(await router.connections.tools.run('ana', id, 'read', { which: 'small' })).toEqual({
      output: { title: 'Compressed anyway' },
    })
  })

  it('refuses one that decodes past the cap (502), as it refuses a plain one that large', async () => {
    const { router, id } = await connected()
    await expect(router.connections.tools.run('ana', id, 'read', { which: 'bomb' })).rejects.toMatchObject({
      code: 'provider_error',
      message: expect.stringMatching(/larger than/),
    })
  })
})
