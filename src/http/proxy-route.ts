import { pipeline } from 'node:stream/promises'
import express, { type Request, type Response, type Router } from 'express'
import { ConnectionsError } from '../core/errors.js'
import type { Upstream } from '../core/proxy.js'
import { admitCall, answerPending, type ConnectionInUse, connectionInUse, decidedBy } from './agent-gate.js'
import type { HttpContext } from './context.js'
import { refuseCrossSite } from './cross-site.js'
import { handle } from './handle.js'

// What a caller may pass on to the provider. An allow-list: the caller's cookies, authorization and
// any credential of the host's own (x-api-key, …) must never reach a third party.
const FORWARDED_REQUEST_HEADERS = [
  'accept',
  'accept-language',
  'cache-control',
  'content-language',
  'content-type',
  'if-match',
  'if-modified-since',
  'if-none-match',
  'if-unmodified-since',
  'prefer',
  'range',
]

// What of the provider's answer reaches the caller. Also an allow-list: the response is served from
// the host's origin, so CORS, HSTS, Clear-Site-Data, Set-Cookie or a Location of the provider's must
// not act there.
const RELAYED_RESPONSE_HEADERS = [
  'accept-ranges',
  'cache-control',
  'content-language',
  'content-range',
  'content-type',
  'etag',
  'expires',
  'last-modified',
  'link',
  'retry-after',
  'vary',
]
const RATE_LIMIT_HEADER = /^x-ratelimit-|^ratelimit/i

interface ProxyLocals {
  /** The connection, whether the caller named it by id or by provider id, and who calls. */
  use: ConnectionInUse
  ref: string
}

const checked = new WeakMap<Request, ProxyLocals>()

/**
 * `ANY /connections/:id/proxy/*`: the caller's request, with the connection's credential, to the
 * provider's API; the response streams back. Mounted with `use` (the path after it is read as sent)
 * and before the router's JSON parser; the caller is checked before any body is read.
 */
export function mountProxyRoute(router: Router, ctx: HttpContext): void {
  router.use(
    '/connections/:id/proxy',
    handle(async (req, _res, next) => {
      // A page on another site must not make calls with the user's cookies, not even a GET.
      refuseCrossSite(req)
      // An agent without a policy on the connection is refused here, before its body is read.
      const use = await connectionInUse(ctx, req, 'proxy')
      // The path after the proxy is found by the reference as the caller wrote it: id or provider id.
      checked.set(req, { use, ref: String(req.params.id) })
      next()
    }),
    express.raw({ type: () => true, limit: ctx.proxyBodyLimit }),
    handle(async (req, res) => {
      const locals = checked.get(req)
      if (!locals) throw new ConnectionsError('internal_error', 'The proxy ran without its checks.')
      const abort = new AbortController()
      // Only a caller gone before the whole answer was written stops the call: aborting after every
      // answer would fire the call's abort listeners (and build a DOMException) for nothing. Not
      // `writableFinished`: under load the socket may still hold the answer's last bytes at 'close'.
      res.on('close', () => {
        if (!res.writableEnded) abort.abort()
      })
      // Read again once the body is in: a revoke that finished meanwhile must win.
      // The policy too: one deleted while the body came in must win.
      const use = {
        ...locals.use,
        record: await ctx.access.getRecord(locals.use.owner, locals.use.id),
        policy: undefined,
      }
      const target = pathAfterProxy(req, locals.ref)
      const body = bodyOf(req)
      // Decided on the body as it will be sent, before any token is read (a refused call never refreshes).
      const admission = await admitCall(
        ctx,
        req,
        use,
        gateRequest(req.method, target, body, req.get('content-type')),
      )
      if (admission?.outcome === 'pending') return answerPending(res, admission.approval)
      const upstream = await ctx.access.callForRelay(
        use.record,
        target,
        { method: req.method, headers: forwardedHeaders(req), body, signal: abort.signal },
        { actor: await use.actor(), action: 'proxy', ...decidedBy(use, admission) },
      )
      await relay(upstream, res)
    }),
  )
}

/**
 * The rest of the URL exactly as the client sent it. Not `req.url`: Express 4 folds the slash after
 * the mount point into the match, so `/proxy//evil.example` would arrive as `/evil.example`.
 */
function pathAfterProxy(req: Request, id: string): string {
  const marker = `/connections/${id}/proxy`
  const at = req.originalUrl.indexOf(marker)
  // Express matches routes case-insensitively and decodes the id; insist on the plain spelling.
  if (at === -1)
    throw new ConnectionsError(
      'invalid_request',
      'Invalid request: write the proxy URL as /connections/<id>/proxy/<path>.',
    )
  const rest = req.originalUrl.slice(at + marker.length)
  return rest.startsWith('/') || rest === '' ? rest : `/${rest}`
}

/** The proxied call as the gate sees it: the digest and constraints read the body exactly as it is sent. */
function gateRequest(method: string, target: string, body: Uint8Array | string | null, contentType?: string) {
  const [path = '', query = ''] = splitQuery(target)
  const bytes = typeof body === 'string' ? new Uint8Array(Buffer.from(body, 'utf8')) : body
  const upper = method.toUpperCase()
  return {
    call: {
      model: 'B' as const,
      kind: 'http' as const,
      request: { method: upper, path, query, body: bytes, contentType: contentType ?? null },
    },
    method: upper,
    target,
    body: bytes,
    // The query is left out: it may carry values the owner need not see in a notification.
    request: { method: upper, path, summary: `${upper} ${path}` },
  }
}

function splitQuery(target: string): [string, string] {
  const at = target.indexOf('?')
  return at === -1 ? [target, ''] : [target.slice(0, at), target.slice(at + 1)]
}

function forwardedHeaders(req: Request): Headers {
  const headers = new Headers()
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = req.get(name)
    if (value) headers.set(name, value)
  }
  return headers
}

/**
 * The buffered body (so that a 401 can be retried), or, when the host's own JSON parser ran first
 * (body-parser marks that with `_body`), that JSON again.
 */
function bodyOf(req: Request): Uint8Array | string | null {
  if (req.method === 'GET' || req.method === 'HEAD') return null
  if (Buffer.isBuffer(req.body)) return req.body.length > 0 ? new Uint8Array(req.body) : null
  const parsedByHost = (req as Request & { _body?: boolean })._body === true
  if (parsedByHost && typeof req.body === 'string') return req.body
  if (parsedByHost && req.body !== undefined) return JSON.stringify(req.body)
  return null
}

async function relay(upstream: Upstream, res: Response): Promise<void> {
  res.status(upstream.status)
  for (const [name, value] of upstream.headers) {
    if (
      RELAYED_RESPONSE_HEADERS.includes(name) ||
      RATE_LIMIT_HEADER.test(name) ||
      // A body relayed as the provider encoded it keeps its encoding (fetch decodes, and drops nothing).
      (upstream.encoded && name === 'content-encoding')
    )
      res.setHeader(name, value)
  }
  if (!upstream.headers.has('cache-control')) res.setHeader('cache-control', 'no-store')
  // Whatever the provider returns (an HTML file from someone's drive, say) must not run as a page of
  // the host: no sniffing, no scripts, and anything but JSON downloads instead of rendering.
  res.setHeader('x-content-type-options', 'nosniff')
  res.setHeader('content-security-policy', "default-src 'none'; sandbox")
  const type = upstream.headers.get('content-type') ?? ''
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type)) res.setHeader('content-disposition', 'attachment')
  if (!upstream.body) {
    res.end()
    return
  }
  // A client that goes away, or a provider that breaks off, ends both sides.
  await pipeline(upstream.body, res).catch(() => undefined)
}
