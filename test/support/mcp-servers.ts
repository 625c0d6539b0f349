import { createServer, type Server as HttpServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Server } from '@modelcontextprotocol/sdk/server/index.js'
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js'
import express from 'express'
import { createRemoteJWKSet, jwtVerify } from 'jose'
import { loadProvider } from './oauth-server.js'

/** The scopes the MCP server's tokens carry (the authorization server knows them for its resource). */
export const MCP_SCOPES = ['mcp:tools', 'mcp:admin']

export interface McpAuthServer {
  issuer: string
  /** `METHOD /path` of every request, oldest first. */
  requests: string[]
  /** Clients registered through RFC 7591. */
  registered: Array<{ client_id: string; token_endpoint_auth_method?: string; redirect_uris: string[] }>
  /** Token endpoint grants by type; `resource` of each token request. */
  grants: Array<{ grantType: string; resource: string | undefined }>
  /** Refresh tokens the server still honours. */
  liveRefreshTokens(): number
  /** URLs the server fetched (client ID metadata documents). */
  documentsFetched: string[]
  close(): Promise<void>
}

async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ server: HttpServer; url: string }> {
  const server = createServer(handler)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

function closing(server: HttpServer): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
}

/** oidc-provider's development-mode notices (dev keys, dev interactions), dropped while `build` runs. */
function quietly<T>(build: () => T): T {
  const { warn, info, log } = console
  const keep =
    (original: (...args: unknown[]) => void) =>
    (...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].startsWith('oidc-provider ')) return
      original(...args)
    }
  console.warn = keep(warn)
  console.info = keep(info)
  console.log = keep(log)
  try {
    return build()
  } finally {
    console.warn = warn
    console.info = info
    console.log = log
  }
}

/**
 * oidc-provider as an MCP server's authorization server: open dynamic registration (RFC 7591),
 * resource indicators (RFC 8707) with JWT access tokens for `resource` only, PKCE required, the
 * development login and consent pages.
 */
export async function startMcpAuthServer(
  resource: () => string,
  options: {
    accessTokenTtl?: () => number
    /**
     * Take client ID metadata documents (draft-02). The router's https URLs are served over http
     * here, as behind a proxy that ends TLS: the server fetches them as such (its fetch is the
     * configurable one; its SSRF guard, which refuses 127.0.0.1, is left out).
     */
    clientIdMetadataDocument?: boolean
    /** Open dynamic registration (default true). */
    registration?: boolean
  } = {},
): Promise<McpAuthServer> {
  const requests: string[] = []
  const documentsFetched: string[] = []
  const grants: McpAuthServer['grants'] = []
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined
  const { server, url: issuer } = await listen((req, res) => {
    requests.push(`${req.method} ${(req.url ?? '').split('?')[0]}`)
    handler ? handler(req, res) : res.writeHead(503).end()
  })
  const clients = new Map<string, Record<string, unknown>>()
  const entries = new Map<string, Record<string, unknown>>()
  const adapter = (model: string) => ({
    async upsert(id: string, payload: Record<string, unknown>) {
      if (model === 'Client') clients.set(id, payload)
      else entries.set(`${model}:${id}`, payload)
    },
    async find(id: string) {
      return model === 'Client' ? clients.get(id) : entries.get(`${model}:${id}`)
    },
    async findByUid(uid: string) {
      for (const [key, payload] of entries)
        if (key.startsWith(`${model}:`) && payload.uid === uid) return payload
      return undefined
    },
    async findByUserCode() {
      return undefined
    },
    async consume(id: string) {
      const payload = entries.get(`${model}:${id}`)
      if (payload) payload.consumed = Math.floor(Date.now() / 1000)
    },
    async destroy(id: string) {
      entries.delete(`${model}:${id}`)
    },
    async revokeByGrantId(grantId: string) {
      for (const [key, payload] of entries) if (payload.grantId === grantId) entries.delete(key)
    },
  })
  const Provider = await loadProvider()
  const provider = quietly(
    () =>
      new Provider(issuer, {
        adapter,
        cookies: { keys: ['mcp-auth-server-cookie-key'] },
        scopes: ['openid', 'offline_access', ...MCP_SCOPES],
        features: {
          devInteractions: { enabled: true },
          registration: { enabled: options.registration ?? true },
          clientIdMetadataDocument: { enabled: options.clientIdMetadataDocument ?? false, ack: 'draft-02' },
          revocation: { enabled: true },
          resourceIndicators: {
            enabled: true,
            defaultResource: async () => undefined,
            useGrantedResource: async () => true,
            getResourceServerInfo: async (_ctx: unknown, indicator: string) => {
              if (indicator !== resource()) throw new Error(`unknown resource ${indicator}`)
              return {
                scope: MCP_SCOPES.join(' '),
                audience: indicator,
                accessTokenTTL: options.accessTokenTtl?.() ?? 3600,
                accessTokenFormat: 'jwt',
              }
            },
          },
        },
        pkce: { required: () => true },
        fetch: (url: URL | string, init: RequestInit & { dispatcher?: unknown }) => {
          const { dispatcher: _ssrfGuard, ...rest } = init
          documentsFetched.push(String(url))
          return fetch(String(url).replace(/^https:/, 'http:'), rest)
        },
        issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(type: string): boolean }) =>
          client.grantTypeAllowed('refresh_token'),
        rotateRefreshToken: true,
        ttl: {
          AccessToken: () => options.accessTokenTtl?.() ?? 3600,
          AuthorizationCode: 60,
          IdToken: 3600,
          Interaction: 3600,
          Grant: 86400,
          Session: 86400,
          RefreshToken: 86400,
        },
        renderError: async (ctx: { type: string; body: unknown }, out: Record<string, string>) => {
          ctx.type = 'json'
          ctx.body = out
        },
        findAccount: async (_ctx: unknown, sub: string) => ({
          accountId: sub,
          claims: async () => ({ sub }),
        }),
      }),
  )
  provider.on('grant.success', (ctx) => {
    const params = ctx.oidc.params as { grant_type?: string; resource?: string } | undefined
    grants.push({ grantType: String(params?.grant_type), resource: params?.resource })
  })
  handler = provider.callback()
  return {
    issuer,
    requests,
    get registered() {
      return [...clients.values()] as McpAuthServer['registered']
    },
    grants,
    documentsFetched,
    liveRefreshTokens: () => [...entries.keys()].filter((key) => key.startsWith('RefreshToken:')).length,
    close: closing(server),
  }
}

export interface ProtectedMcpServer {
  /** The MCP endpoint, e.g. http://127.0.0.1:1234/mcp. */
  url: string
  /** Tool calls the server ran, with the token's subject and scopes. */
  calls: Array<{ tool: string; subject: string; scopes: string[] }>
  /** Why tokens were refused, oldest first. */
  refused: string[]
  /** Refuse this many more valid tokens with 401 (as if revoked or rotated at the server). */
  refuseNext: { count: number }
  close(): Promise<void>
}

/** The tools, over two `tools/list` pages; `admin_action` needs the `mcp:admin` scope. */
const TOOLS = [
  [
    {
      name: 'add_note',
      title: 'Add note',
      description: 'Adds a note',
      inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
      outputSchema: { type: 'object', properties: { saved: { type: 'string' } }, required: ['saved'] },
      annotations: { destructiveHint: false },
    },
  ],
  [
    {
      name: 'read_notes',
      description: 'Reads the notes',
      inputSchema: { type: 'object', properties: {} },
      annotations: { readOnlyHint: true },
    },
    { name: 'fail_tool', description: 'Always fails', inputSchema: { type: 'object', properties: {} } },
    { name: 'admin_action', description: 'Needs mcp:admin', inputSchema: { type: 'object', properties: {} } },
  ],
]

function staticKeyPayload(token: string, key: string): { sub: string; scope: string } {
  if (token !== key) throw new Error('wrong key')
  return { sub: 'key', scope: MCP_SCOPES.join(' ') }
}

function mcpServerFor(subject: string, scopes: string[], calls: ProtectedMcpServer['calls']): Server {
  const server = new Server({ name: 'notes', version: '1.0.0' }, { capabilities: { tools: {} } })
  server.setRequestHandler(ListToolsRequestSchema, async (request) => {
    const page = request.params?.cursor === 'page-2' ? 1 : 0
    return { tools: TOOLS[page] as never, ...(page === 0 ? { nextCursor: 'page-2' } : {}) }
  })
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const tool = request.params.name
    calls.push({ tool, subject, scopes })
    const args = (request.params.arguments ?? {}) as { text?: string }
    if (tool === 'add_note') {
      return {
        content: [{ type: 'text', text: `saved: ${args.text}` }],
        structuredContent: { saved: String(args.text) },
      }
    }
    if (tool === 'read_notes')
      return {
        content: [
          { type: 'text', text: 'one' },
          { type: 'text', text: 'two' },
        ],
      }
    if (tool === 'fail_tool')
      return { content: [{ type: 'text', text: 'the notes are locked' }], isError: true }
    if (tool === 'admin_action') return { content: [{ type: 'text', text: 'done' }] }
    throw new Error(`unknown tool ${tool}`)
  })
  return server
}

/**
 * An MCP server made with the SDK (a low-level Server over a stateless StreamableHTTPServerTransport)
 * that takes only JWT access tokens its authorization server issued for it (audience = its URL): any
 * other request gets 401 with `resource_metadata` (RFC 9728 §5.1), and a call to `admin_action`
 * without `mcp:admin` gets 403 `insufficient_scope` naming the scopes it needs (RFC 6750 §3.1).
 */
export async function startProtectedMcpServer(
  issuer: string,
  options: { staticKey?: string } = {},
): Promise<ProtectedMcpServer> {
  const calls: ProtectedMcpServer['calls'] = []
  const refused: string[] = []
  const refuseNext = { count: 0 }
  const app = express()
  const { server, url: origin } = await listen(app)
  const url = `${origin}/mcp`
  const metadataUrl = `${origin}/.well-known/oauth-protected-resource/mcp`
  const jwks = createRemoteJWKSet(new URL(`${issuer}/jwks`))
  app.get('/.well-known/oauth-protected-resource/mcp', (_req, res) => {
    res.json({ resource: url, authorization_servers: [issuer], scopes_supported: MCP_SCOPES })
  })
  app.post('/mcp', express.json(), async (req, res) => {
    const token = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1]
    let subject: string
    let scopes: string[]
    try {
      if (!token) throw new Error('no token')
      // A server that takes one static key instead of OAuth tokens.
      const payload =
        options.staticKey === undefined
          ? (await jwtVerify(token, jwks, { issuer, audience: url })).payload
          : staticKeyPayload(token, options.staticKey)
      if (refuseNext.count > 0) {
        refuseNext.count -= 1
        throw new Error('refused on purpose')
      }
      subject = String(payload.sub)
      scopes = String(payload.scope ?? '').split(' ')
    } catch (error) {
      refused.push((error as Error).message)
      const challenge = `Bearer error="invalid_token", resource_metadata="${metadataUrl}", scope="${MCP_SCOPES[0]}"`
      res.status(401).set('www-authenticate', challenge).json({ error: 'invalid_token' })
      return
    }
    const body = req.body as { method?: string; params?: { name?: string } }
    if (
      body.method === 'tools/call' &&
      body.params?.name === 'admin_action' &&
      !scopes.includes('mcp:admin')
    ) {
      const challenge = `Bearer error="insufficient_scope", resource_metadata="${metadataUrl}", scope="${MCP_SCOPES.join(' ')}"`
      res.status(403).set('www-authenticate', challenge).json({ error: 'insufficient_scope' })
      return
    }
    const mcp = mcpServerFor(subject, scopes, calls)
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined })
    res.on('close', () => {
      void transport.close()
      void mcp.close()
    })
    await mcp.connect(transport)
    await transport.handleRequest(req, res, req.body)
  })
  return { url, calls, refused, refuseNext, close: closing(server) }
}
