import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream as NodeReadableStream } from 'node:stream/web'
import express, { type Request, type Response, type Router } from 'express'
import { ConnectionsError } from '../core/errors.js'
import { allowedConnectionOrSingleton } from './connection-ref.js'
import { actorOf, type HttpContext } from './context.js'
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
  owner: string
  /** The connection's id, whether the caller named it by id or by singleton provider. */
  id: string
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
      const { owner, id } = await allowedConnectionOrSingleton(ctx, req, 'proxy')
      // The path after the proxy is found by the reference as the caller wrote it: id or provider id.
      checked.set(req, { owner, id, ref: String(req.params.id) })
      next()
    }),
    express.raw({ type: () => true, limit: ctx.proxyBodyLimit }),
    handle(async (req, res) => {
      const locals = checked.get(req)
      if (!locals) throw new ConnectionsError('internal_error', 'The proxy ran without its checks.')
      const abort = new AbortController()
      res.on('close', () => abort.abort())
      // Read again once the body is in: a revoke that finished meanwhile must win.
      const record = await ctx.access.getRecord(locals.owner, locals.id)
      const upstream = await ctx.access.call(
        record,
        pathAfterProxy(req, locals.ref),
        { method: req.method, headers: forwardedHeaders(req), body: bodyOf(req), signal: abort.signal },
        { actor: await actorOf(ctx, req, locals.owner), action: 'proxy' },
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

async function relay(response: globalThis.Response, res: Response): Promise<void> {
  res.status(response.status)
  response.headers.forEach((value, name) => {
    if (RELAYED_RESPONSE_HEADERS.includes(name) || RATE_LIMIT_HEADER.test(name)) res.setHeader(name, value)
  })
  if (!response.headers.has('cache-control')) res.setHeader('cache-control', 'no-store')
  // Whatever the provider returns (an HTML file from someone's drive, say) must not run as a page of
  // the host: no sniffing, no scripts, and anything but JSON downloads instead of rendering.
  res.setHeader('x-content-type-options', 'nosniff')
  res.setHeader('content-security-policy', "default-src 'none'; sandbox")
  const type = response.headers.get('content-type') ?? ''
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type)) res.setHeader('content-disposition', 'attachment')
  if (!response.body) {
    res.end()
    return
  }
  const body = Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>)
  // A client that goes away, or a provider that breaks off, ends both sides.
  await pipeline(body, res).catch(() => undefined)
}
