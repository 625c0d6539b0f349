import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import Keyv from 'keyv'
import { afterEach, describe, expect, it } from 'vitest'
import { Keyring } from '../../../src/crypto/keyring.js'
import { InProcessLock } from '../../../src/locks/lock.js'
import { McpAuthorizer } from '../../../src/mcp/authorization.js'
import { providers } from '../../../src/providers/index.js'
import { McpClientStore } from '../../../src/storage/mcp-clients.js'
import { SafeStore } from '../../../src/storage/safe-store.js'

const servers: Server[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))))
})

/** An MCP server without any authorization metadata: every discovery of it fails. Counts probes. */
async function undiscoverable(): Promise<{ url: string; probes: () => number }> {
  let probes = 0
  const server = createServer((req, res) => {
    if (req.method === 'POST') probes += 1
    res.writeHead(404).end()
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`, probes: () => probes }
}

function authorizer(now: { ms: number }) {
  const keyring = new Keyring([randomBytes(32).toString('base64')])
  return new McpAuthorizer({
    clients: new McpClientStore(new SafeStore(new Keyv(), 2000), new InProcessLock(), keyring),
    timeoutMs: 2000,
    redirectUriFor: (id) => `https://app.example/integrations/callback/${id}`,
    clientDocumentUrlFor: () => null,
    now: () => now.ms,
  })
}

describe('McpAuthorizer', () => {
  it('keeps a failure for a while: a server that is down is not asked on every use', async () => {
    const server = await undiscoverable()
    const now = { ms: 0 }
    const mcp = authorizer(now)
    const provider = providers.mcp({ id: 'notes', url: server.url })
    for (let i = 0; i < 3; i++) await expect(mcp.resolve(provider)).rejects.toThrow(/cannot be authorized/)
    expect(server.probes()).toBe(1)
    now.ms += 31_000
    await expect(mcp.resolve(provider)).rejects.toThrow(/cannot be authorized/)
    expect(server.probes()).toBe(2)
  })
})
