import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Cluster, startCluster } from '../../support/instances.js'
import { postMcp } from '../../support/mcp-agent.js'

/** `mcp: true` in an app without the optional peer: the router starts, says why, and /mcp is a 501. */

const script = fileURLToPath(new URL('../../support/mcp-without-sdk.ts', import.meta.url))
let app: Cluster

beforeAll(async () => {
  app = await startCluster(1, { encryptionKey: randomBytes(32).toString('base64') }, script)
}, 60_000)

afterAll(async () => {
  await app?.stop()
})

describe('/mcp without @modelcontextprotocol/sdk', () => {
  it('answers 501 with a JSON-RPC error naming the package; the rest of the router works', async () => {
    const made = await fetch(`${app.mount}/agents`, {
      method: 'POST',
      headers: { 'x-user': 'ana', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'bot' }),
    })
    expect(made.status).toBe(201)
    const { key } = ((await made.json()) as { data: { key: string } }).data
    const res = await postMcp(app.mount, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }), {
      authorization: `Bearer ${key}`,
    })
    expect(res.status).toBe(501)
    expect(await res.json()).toMatchObject({
      jsonrpc: '2.0',
      error: { message: expect.stringContaining('npm install @modelcontextprotocol/sdk') },
    })
    expect(app.logs.join('')).toContain('@modelcontextprotocol/sdk is not installed')
    // Without a key it is still a 401 first: nothing about the server is told to strangers.
    const anonymous = await postMcp(
      app.mount,
      JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    )
    expect(anonymous.status).toBe(401)
  })
})
