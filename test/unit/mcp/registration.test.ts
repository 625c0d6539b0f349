import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import Keyv from 'keyv'
import { afterEach, describe, expect, it } from 'vitest'
import { ConnectionsError } from '../../../src/core/errors.js'
import { Keyring } from '../../../src/crypto/keyring.js'
import { InProcessLock } from '../../../src/locks/lock.js'
import type { AuthorizationServerMetadata } from '../../../src/mcp/discovery.js'
import { clientFor } from '../../../src/mcp/registration.js'
import { McpClientStore } from '../../../src/storage/mcp-clients.js'
import { SafeStore } from '../../../src/storage/safe-store.js'

const servers: Server[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))))
})

interface Registrar {
  url: string
  bodies: Array<Record<string, unknown>>
}

/** A registration endpoint (RFC 7591) on 127.0.0.1 answering `status` and `answer`. */
async function registrar(
  status: number,
  answer: (body: Record<string, unknown>) => unknown,
): Promise<Registrar> {
  const bodies: Array<Record<string, unknown>> = []
  const server = createServer((req, res) => {
    let text = ''
    req.on('data', (chunk: Buffer) => {
      text += chunk.toString()
    })
    req.on('end', () => {
      const body = JSON.parse(text) as Record<string, unknown>
      bodies.push(body)
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer(body)))
    })
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/reg`, bodies }
}

function metadata(registration: string | undefined, extra: Partial<AuthorizationServerMetadata> = {}) {
  return {
    issuer: 'https://as.example',
    authorization_endpoint: 'https://as.example/auth',
    token_endpoint: 'https://as.example/token',
    ...(registration ? { registration_endpoint: registration } : {}),
    ...extra,
  } as AuthorizationServerMetadata
}

function setup() {
  const raw = new Map<string, unknown>()
  const keyring = new Keyring([randomBytes(32).toString('base64')])
  const store = new McpClientStore(
    new SafeStore(new Keyv({ store: raw }), 2000),
    new InProcessLock(),
    keyring,
  )
  const options = {
    redirectUri: 'https://app.example/integrations/callback/notes',
    clientDocumentUrl: null,
    clientName: 'Notes',
    fetch: globalThis.fetch,
    timeoutMs: 2000,
    store,
  }
  return { raw, store, options }
}

async function failure(promise: Promise<unknown>): Promise<ConnectionsError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
  expect(error).toBeInstanceOf(ConnectionsError)
  return error as ConnectionsError
}

describe('client registration for an MCP server', () => {
  it('registers a confidential client once, stores its secret sealed, and reuses it', async () => {
    const reg = await registrar(201, () => ({ client_id: 'c-1', client_secret: 'sek-ret-CANARY-reg' }))
    const { raw, options } = setup()
    const server = metadata(reg.url, {
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'none'],
    })
    const first = await clientFor(server, options)
    expect(first).toEqual({
      clientId: 'c-1',
      clientSecret: 'sek-ret-CANARY-reg',
      tokenAuth: 'client_secret_basic',
    })
    expect(reg.bodies).toEqual([
      {
        client_name: 'Notes',
        redirect_uris: [options.redirectUri],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ])
    expect(JSON.stringify([...raw.entries()])).not.toContain('sek-ret-CANARY-reg')
    expect(await clientFor(server, options)).toEqual(first)
    expect(reg.bodies).toHaveLength(1)
  })

  it('registers again when the stored record was changed (its sealed secret no longer opens)', async () => {
    let n = 0
    const reg = await registrar(201, () => ({ client_id: `c-${++n}`, client_secret: `s-${n}` }))
    const { raw, options } = setup()
    await clientFor(metadata(reg.url), options)
    for (const [key, value] of raw) {
      if (key.includes('mcp-client')) raw.set(key, String(value).replace('"c-1"', '"c-evil"'))
    }
    expect((await clientFor(metadata(reg.url), options)).clientId).toBe('c-2')
  })

  it('takes a public client when that is what the server registered', async () => {
    const reg = await registrar(201, () => ({ client_id: 'pub', token_endpoint_auth_method: 'none' }))
    const { options } = setup()
    expect(
      await clientFor(metadata(reg.url, { token_endpoint_auth_methods_supported: ['none'] }), options),
    ).toEqual({
      clientId: 'pub',
      clientSecret: null,
      tokenAuth: 'none',
    })
    expect(reg.bodies[0]?.token_endpoint_auth_method).toBe('none')
  })

  it('a refusal is a 502 naming the server’s error code, and nothing is stored', async () => {
    const reg = await registrar(400, () => ({ error: 'invalid_redirect_uri', error_description: 'no' }))
    const { raw, options } = setup()
    const error = await failure(clientFor(metadata(reg.url), options))
    expect(error.status).toBe(502)
    expect(error.message).toContain('refused to register this client (invalid_redirect_uri)')
    expect([...raw.keys()].filter((key) => key.includes('mcp-client'))).toEqual([])
  })

  it('an answer without a client_id, or a secret method without a secret, is refused and not stored', async () => {
    for (const answer of [
      { client_secret: 'x' },
      { client_id: 'c', token_endpoint_auth_method: 'client_secret_post' },
    ]) {
      const reg = await registrar(201, () => answer)
      const { raw, options } = setup()
      expect((await failure(clientFor(metadata(reg.url), options))).status).toBe(502)
      expect([...raw.keys()].filter((key) => key.includes('mcp-client'))).toEqual([])
    }
  })

  it('without a registration endpoint or a usable document, says to configure a clientId', async () => {
    const { options } = setup()
    const error = await failure(
      clientFor(metadata(undefined, { client_id_metadata_document_supported: true }), options),
    )
    expect(error.message).toContain('need an https baseUrl')
    expect(error.message).toContain('configure a clientId')
  })

  it('prefers the client ID metadata document when the server takes one, registering nothing', async () => {
    const reg = await registrar(201, () => ({ client_id: 'never' }))
    const { raw, options } = setup()
    const url = 'https://app.example/integrations/client-metadata/notes'
    const client = await clientFor(metadata(reg.url, { client_id_metadata_document_supported: true }), {
      ...options,
      clientDocumentUrl: url,
    })
    expect(client).toEqual({ clientId: url, clientSecret: null, tokenAuth: 'none' })
    expect(reg.bodies).toEqual([])
    expect([...raw.keys()].filter((key) => key.includes('mcp-client'))).toEqual([])
  })
})
