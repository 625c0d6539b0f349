import { Readable } from 'node:stream'
import type { ReadableStream as NodeReadableStream } from 'node:stream/web'
import express, { type Request, type Response, type Router } from 'express'
import { actorOf, type HttpContext, parse, requireAllowed, requireOwner } from './context.js'
import { handle } from './handle.js'
import { connectionParams } from './schemas.js'

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

// Hop-by-hop headers, cookies the provider would set on the host's domain, and framing that no longer
// holds once fetch has decoded the body.
const DROPPED_RESPONSE_HEADERS = new Set([
  'connection',
  'content-encoding',
  'content-length',
  'keep-alive',
  'proxy-authenticate',
  'set-cookie',
  'set-cookie2',
  'trailer',
  'transfer-encoding',
  'upgrade',
])

/**
 * `ANY /connections/:id/proxy/*`: the caller's request, with the connection's credential, to the
 * provider's API; the response streams back. Mounted with `use` so the rest of the URL stays exactly as
 * sent (nothing decoded or normalised before the path checks), and before the router's JSON parser.
 */
export function mountProxyRoute(router: Router, ctx: HttpContext): void {
  const rawBody = express.raw({ type: () => true, limit: ctx.proxyBodyLimit })
  router.use(
    '/connections/:id/proxy',
    rawBody,
    handle(async (req, res) => {
      const owner = await requireOwner(ctx, req)
      const { id } = parse(connectionParams, req.params)
      const connection = await ctx.service.get(owner, id)
      await requireAllowed(ctx, { req, owner, action: 'proxy', connection })
      const upstream = await ctx.service.fetch(
        owner,
        id,
        pathAfterProxy(req, id),
        { method: req.method, headers: forwardedHeaders(req), body: bodyOf(req) },
        await actorOf(ctx, req, owner),
      )
      relay(upstream, res)
    }),
  )
}

/**
 * The rest of the URL exactly as the client sent it. Not `req.url`: Express 4 folds the slash after
 * the mount point into the match, so `/proxy//evil.example` would arrive as `/evil.example`.
 */
function pathAfterProxy(req: Request, id: string): string {
  const marker = `/connections/${id}/proxy`
  const rest = req.originalUrl.slice(req.originalUrl.indexOf(marker) + marker.length)
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

function relay(response: globalThis.Response, res: Response): void {
  res.status(response.status)
  response.headers.forEach((value, name) => {
    if (!DROPPED_RESPONSE_HEADERS.has(name)) res.setHeader(name, value)
  })
  res.setHeader('cache-control', response.headers.get('cache-control') ?? 'no-store')
  if (!response.body) {
    res.end()
    return
  }
  const body = Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>)
  body.on('error', () => res.destroy())
  res.on('close', () => body.destroy())
  body.pipe(res)
}
