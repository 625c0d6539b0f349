import type { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'
import express, { type Request, type Response, type Router } from 'express'
import { ConnectionsError } from '../core/errors.js'
import { AgentServer, type AgentServerDeps, loadServerSdk } from '../mcp/server.js'
import { VERSION } from '../version.js'
import type { HttpContext } from './context.js'
import { publicMessage, toConnectionsError } from './errors.js'
import { handle } from './handle.js'
import { toolCaller } from './tool-routes.js'

/** The `mcp` option once read: on, with the largest JSON-RPC body `/mcp` reads. */
export interface McpEndpointSettings {
  bodyLimit: number | string
  approvalUrl?: AgentServerDeps['approvalUrl']
}

type Transport = typeof WebStandardStreamableHTTPServerTransport

let loading: Promise<Transport> | undefined

/**
 * The SDK's streamable HTTP transport, loaded on first use with the server's parts (both reject
 * without the SDK). Its web-standard form: the body is parsed here already and the answer is one
 * JSON document, so the Node wrapper's stream conversion (two request listeners per request) would
 * only cost time.
 */
function loadTransport(): Promise<Transport> {
  loading ??= Promise.all([
    import('@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'),
    loadServerSdk(),
  ]).then(([module]) => module.WebStandardStreamableHTTPServerTransport)
  return loading
}

const SDK_MISSING =
  'The MCP endpoint is on (mcp option) but @modelcontextprotocol/sdk is not installed: npm install @modelcontextprotocol/sdk'

const NO_AGENT = 'The MCP endpoint takes an agent key: Authorization: Bearer <key>.'

/**
 * `POST /mcp`: the agents' MCP endpoint (streamable HTTP). Stateless: each request gets its own SDK
 * server and transport and no session id, so any instance behind a balancer answers any request.
 * Agents only (their key, or the host's `getAgent`); a JSON body of at most `bodyLimit`, answered
 * with plain JSON (no SSE stream to keep open). Other methods get 405, as stateless servers do.
 */
export function mountMcpRoute(router: Router, ctx: HttpContext, settings: McpEndpointSettings): void {
  loadTransport().catch(() => ctx.logger.error(`express-connections: ${SDK_MISSING}`))
  const agents = new AgentServer({
    runner: ctx.agents.tools.runner,
    policies: ctx.agents.policies,
    access: ctx.access,
    logger: ctx.logger,
    version: VERSION,
    ...(settings.approvalUrl ? { approvalUrl: settings.approvalUrl } : {}),
  })
  const readBody = express.raw({ type: () => true, limit: settings.bodyLimit })

  router.post(
    '/mcp',
    handle(async (req, res) => {
      const caller = await agentCaller(ctx, req, res)
      if (!caller) return
      const Transport = await loadTransport().catch(() => undefined)
      if (!Transport) return rpcError(res, 501, -32603, SDK_MISSING)
      const body = await parsedBody(readBody, req, res)
      if (body === undefined) return
      // MCP has had no JSON-RPC batches since 2025-06-18; the SDK would still answer `[]` with 202.
      if (Array.isArray(body))
        return rpcError(res, 400, -32600, 'Invalid request: send one JSON-RPC message, not a batch.')
      const { server, release } = await agents.lease(caller, req.get('x-approval-id'))
      const transport = new Transport({ sessionIdGenerator: undefined, enableJsonResponse: true })
      try {
        await server.connect(transport)
        const answer = await transport.handleRequest(webRequestOf(req), { parsedBody: body })
        res.status(answer.status)
        answer.headers.forEach((value, name) => {
          res.setHeader(name, value)
        })
        res.end(Buffer.from(await answer.arrayBuffer()))
      } finally {
        await transport.close().then(
          () => release(true),
          () => release(false),
        )
      }
    }),
  )
  router.all('/mcp', (_req, res) => {
    res.set('allow', 'POST')
    rpcError(res, 405, -32000, 'Method not allowed: this stateless MCP endpoint takes POST only.')
  })
}

/** The agent calling, or undefined once a 401/403 was sent (a person's session is not an agent). */
async function agentCaller(ctx: HttpContext, req: Request, res: Response) {
  try {
    const caller = await toolCaller(ctx, req, 'tool')
    if (caller.agent) return caller
    throw new ConnectionsError('unauthenticated', NO_AGENT)
  } catch (thrown) {
    const error = toConnectionsError(thrown)
    if (error.status >= 500) throw thrown
    if (error.code === 'unauthenticated') res.set('www-authenticate', 'Bearer')
    // "Sign in" is what a person's missing session gets; here only an agent key helps.
    rpcError(res, error.status, -32001, error.code === 'unauthenticated' ? NO_AGENT : publicMessage(error))
    return undefined
  }
}

/** The JSON-RPC message, or undefined once a parse error or 413 was sent. */
function parsedBody(
  readBody: ReturnType<typeof express.raw>,
  req: Request,
  res: Response,
): Promise<unknown | undefined> {
  return new Promise((resolve) => {
    readBody(req, res, (failure?: unknown) => {
      if (failure) {
        const status = (failure as { status?: number }).status === 413 ? 413 : 400
        rpcError(res, status, -32700, status === 413 ? 'Parse error: the body is too large.' : 'Parse error.')
        return resolve(undefined)
      }
      try {
        const raw: unknown = req.body
        resolve(JSON.parse(Buffer.isBuffer(raw) ? raw.toString('utf8') : ''))
      } catch {
        rpcError(res, 400, -32700, 'Parse error: the body is not JSON.')
        resolve(undefined)
      }
    })
  })
}

/** What the transport reads of a request (the body is passed to it parsed). */
const TRANSPORT_HEADERS = [
  'accept',
  'content-type',
  'mcp-protocol-version',
  'mcp-session-id',
  'last-event-id',
]

/**
 * The transport reads only these headers and the URL (the body is passed parsed), so one `Request`
 * serves every request alike: building one costs about as much as the transport's own work, and an
 * agent's client sends the same headers every time. A few hundred kinds at most are kept.
 */
const webRequests = new Map<string, globalThis.Request>()
const MAX_WEB_REQUESTS = 256

function webRequestOf(req: Request): globalThis.Request {
  const values = TRANSPORT_HEADERS.map((name) => req.get(name))
  const key = JSON.stringify([req.originalUrl, values])
  const known = webRequests.get(key)
  if (known) return known
  const headers = new Headers()
  for (const [i, name] of TRANSPORT_HEADERS.entries()) {
    const value = values[i]
    if (value !== undefined) headers.set(name, value)
  }
  const made = new globalThis.Request(`http://mcp.invalid${req.originalUrl}`, { method: 'POST', headers })
  if (webRequests.size >= MAX_WEB_REQUESTS) webRequests.clear()
  webRequests.set(key, made)
  return made
}

function rpcError(res: Response, status: number, code: number, message: string): void {
  res
    .status(status)
    .set('cache-control', 'no-store')
    .json({ jsonrpc: '2.0', error: { code, message }, id: null })
}
