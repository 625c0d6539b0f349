import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { ConnectionsError } from '../../../src/core/errors.js'
import { createPinnedFetch } from '../../../src/core/resolve-guard.js'
import { isNonPublicAddress } from '../../../src/core/url-policy.js'
import { discoverAuthorization, parseBearerChallenge } from '../../../src/mcp/discovery.js'

type Route = (req: IncomingMessage, res: ServerResponse) => void

const servers: Server[] = []
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise((resolve) => {
          server.closeAllConnections()
          server.close(resolve)
        }),
    ),
  )
})

/** One node:http server on 127.0.0.1; `routes` is filled once its URL is known. Records each path. */
async function site(): Promise<{ url: string; routes: Map<string, Route>; hits: string[] }> {
  const routes = new Map<string, Route>()
  const hits: string[] = []
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] as string
    hits.push(`${req.method} ${path}`)
    const route = routes.get(path)
    if (route) return route(req, res)
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}')
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, routes, hits }
}

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Route {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body))
  }
}

function asMetadata(issuer: string, extra: Record<string, unknown> = {}) {
  return {
    issuer,
    authorization_endpoint: `${issuer}/auth`,
    token_endpoint: `${issuer}/token`,
    registration_endpoint: `${issuer}/reg`,
    code_challenge_methods_supported: ['S256'],
    ...extra,
  }
}

const options = { fetch: globalThis.fetch, timeoutMs: 2000 }

async function refusal(promise: Promise<unknown>): Promise<ConnectionsError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
  expect(error).toBeInstanceOf(ConnectionsError)
  expect((error as ConnectionsError).status).toBe(502)
  return error as ConnectionsError
}

describe('MCP authorization discovery', () => {
  it('follows the 401 to the resource metadata, then RFC 8414 metadata; scopes from the challenge', async () => {
    const rs = await site()
    const as = await site()
    rs.routes.set(
      '/mcp',
      json({ error: 'unauthorized' }, 401, {
        'www-authenticate': `Bearer error="invalid_token", resource_metadata="${rs.url}/meta/mcp", scope="files:read tools"`,
      }),
    )
    rs.routes.set(
      '/meta/mcp',
      json({
        resource: `${rs.url}/mcp`,
        authorization_servers: [`${as.url}/tenant`],
        scopes_supported: ['x'],
      }),
    )
    as.routes.set('/.well-known/oauth-authorization-server/tenant', json(asMetadata(`${as.url}/tenant`)))
    const found = await discoverAuthorization(`${rs.url}/mcp`, options)
    expect(found.resource).toBe(`${rs.url}/mcp`)
    expect(found.scopes).toEqual(['files:read', 'tools'])
    expect(found.server.token_endpoint).toBe(`${as.url}/tenant/token`)
    expect(rs.hits).toEqual(['POST /mcp', 'GET /meta/mcp'])
  })

  it('falls back to the well-known URIs (path, then root) and to OpenID Connect discovery', async () => {
    const rs = await site()
    rs.routes.set('/mcp', json({}, 401))
    rs.routes.set(
      '/.well-known/oauth-protected-resource',
      json({ resource: rs.url, authorization_servers: [rs.url], scopes_supported: ['read'] }),
    )
    rs.routes.set('/.well-known/openid-configuration', json(asMetadata(rs.url)))
    const found = await discoverAuthorization(`${rs.url}/mcp`, options)
    expect(found.resource).toBe(rs.url)
    expect(found.scopes).toEqual(['read'])
    expect(rs.hits).toEqual([
      'POST /mcp',
      'GET /.well-known/oauth-protected-resource/mcp',
      'GET /.well-known/oauth-protected-resource',
      'GET /.well-known/oauth-authorization-server',
      'GET /.well-known/openid-configuration',
    ])
  })

  it('refuses resource metadata that names another resource', async () => {
    const rs = await site()
    rs.routes.set(
      '/.well-known/oauth-protected-resource/mcp',
      json({ resource: 'https://elsewhere.example/mcp', authorization_servers: [rs.url] }),
    )
    rs.routes.set(
      '/.well-known/oauth-protected-resource',
      json({ resource: `${rs.url}/other`, authorization_servers: [rs.url] }),
    )
    const error = await refusal(discoverAuthorization(`${rs.url}/mcp`, options))
    expect(error.message).toContain('names another resource')
  })

  it('refuses authorization server metadata that names another issuer', async () => {
    const rs = await site()
    rs.routes.set(
      '/.well-known/oauth-protected-resource',
      json({ resource: rs.url, authorization_servers: [rs.url] }),
    )
    rs.routes.set('/.well-known/oauth-authorization-server', json(asMetadata('https://evil.example')))
    const error = await refusal(discoverAuthorization(`${rs.url}/mcp`, options))
    expect(error.message).toContain('names another issuer')
  })

  it('refuses an authorization server that does not list PKCE S256', async () => {
    const rs = await site()
    rs.routes.set(
      '/.well-known/oauth-protected-resource',
      json({ resource: rs.url, authorization_servers: [rs.url] }),
    )
    rs.routes.set(
      '/.well-known/oauth-authorization-server',
      json(asMetadata(rs.url, { code_challenge_methods_supported: ['plain'] })),
    )
    const error = await refusal(discoverAuthorization(`${rs.url}/mcp`, options))
    expect(error.message).toContain('PKCE S256')
  })

  it('refuses a server with no usable metadata at all, saying what it tried', async () => {
    const rs = await site()
    rs.routes.set('/.well-known/oauth-protected-resource', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>')
    })
    const error = await refusal(discoverAuthorization(`${rs.url}/mcp`, options))
    expect(error.message).toMatch(/no protected resource metadata .*answered 404.*not valid metadata/)
  })

  it('says an unreachable server did not answer', async () => {
    const rs = await site()
    const url = rs.url
    await new Promise((resolve) => servers.pop()?.close(resolve))
    const error = await refusal(discoverAuthorization(`${url}/mcp`, options))
    expect(error.message).toContain('did not answer')
  })

  it('gives up on a server that does not answer in time', async () => {
    const rs = await site()
    rs.routes.set('/mcp', () => undefined)
    const error = await refusal(discoverAuthorization(`${rs.url}/mcp`, { ...options, timeoutMs: 200 }))
    expect(error.message).toContain('did not answer')
  })

  it('does not read metadata past the size cap', async () => {
    const rs = await site()
    rs.routes.set('/.well-known/oauth-protected-resource', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(`{"resource":"${rs.url}","pad":"${'x'.repeat(1024 * 1024 + 10)}"}`)
    })
    const error = await refusal(discoverAuthorization(`${rs.url}/mcp`, options))
    expect(error.message).toContain('more than 1 MiB')
  })

  it('refuses http metadata URLs off this machine unless told otherwise', async () => {
    const rs = await site()
    rs.routes.set(
      '/.well-known/oauth-protected-resource',
      json({ resource: rs.url, authorization_servers: ['http://as.example.test'] }),
    )
    const error = await refusal(discoverAuthorization(`${rs.url}/mcp`, options))
    expect(error.message).toContain('is not https')
  })

  it('goes through the pinned fetch: an authorization server on a private address is never called', async () => {
    const rs = await site()
    const as = await site()
    rs.routes.set(
      '/.well-known/oauth-protected-resource',
      json({ resource: rs.url, authorization_servers: [as.url] }),
    )
    as.routes.set('/.well-known/oauth-authorization-server', json(asMetadata(as.url)))
    // Loopback stands in for the internet, except the authorization server's port: refused like a private address.
    const asPort = new URL(as.url).port
    const pinned = createPinnedFetch({
      isRefused: (address) => address !== '127.0.0.1' && isNonPublicAddress(address),
    })
    const refusingAs: typeof pinned = (target, init) =>
      new URL(String(target)).port === asPort ? createPinnedFetch()(target, init) : pinned(target, init)
    const error = await refusal(discoverAuthorization(`${rs.url}/mcp`, { ...options, fetch: refusingAs }))
    expect(error.message).toContain('does not call')
    expect(as.hits).toEqual([])
  })
})

describe('parseBearerChallenge', () => {
  it.each([
    [
      'Bearer resource_metadata="https://a/x", scope="a b"',
      { resourceMetadata: 'https://a/x', scope: ['a', 'b'], error: null },
    ],
    [
      'bearer error=insufficient_scope,scope=write',
      { resourceMetadata: null, scope: ['write'], error: 'insufficient_scope' },
    ],
    ['Basic realm="x", Bearer scope="q\\"r"', { resourceMetadata: null, scope: ['q"r'], error: null }],
    [
      'Bearer scope="a", DPoP scope="other", error="x"',
      { resourceMetadata: null, scope: ['a'], error: null },
    ],
  ])('%s', (header, expected) => {
    expect(parseBearerChallenge(header)).toEqual(expected)
  })

  it('is null without a Bearer challenge', () => {
    expect(parseBearerChallenge('Basic realm="x"')).toBeNull()
    expect(parseBearerChallenge(null)).toBeNull()
  })
})
