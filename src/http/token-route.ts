import type { NextFunction, Request, Response, Router } from 'express'
import { admitCall, answerPending, connectionInUse, decidedBy } from './agent-gate.js'
import type { HttpContext } from './context.js'
import { handle } from './handle.js'
import { decodedSegment, readAhead, settleReadAhead } from './read-ahead.js'

/** `GET /connections/:id/token`, as Express's router matches it: any case, an optional trailing slash. */
const TOKEN_PATH = /^\/connections\/([^/]+)\/token\/?$/i

/**
 * `GET /connections/:id/token`: a valid access token of the caller's connection (an agent's only
 * through its policy: decided before the token is read, so a refused or pending hand-out never
 * refreshes one).
 */
export function vendToken(ctx: HttpContext) {
  return async (req: Request, res: Response): Promise<void> => {
    try {
      await handOut(ctx, req, res)
    } finally {
      settleReadAhead(ctx, req)
    }
  }
}

/** The hand-out itself: the caller, the gate, then the token. */
async function handOut(ctx: HttpContext, req: Request, res: Response): Promise<void> {
  const use = await connectionInUse(ctx, req, 'token')
  const admission = await admitCall(ctx, req, use, {
    call: { model: 'A' },
    method: 'GET',
    target: 'token',
    body: null,
    request: { method: 'GET', path: '/token', summary: 'Hand out an access token' },
  })
  if (admission?.outcome === 'pending') return answerPending(res, admission.approval)
  const { refreshError, ...token } = await ctx.access.vend(use.record, {
    actor: await use.actor(),
    action: 'token',
    ...decidedBy(use, admission),
  })
  // The token is still valid, but its refresh failed: the caller may want to know before it expires.
  if (refreshError) res.set('x-token-refresh', 'failed')
  // Sent as is, not with res.json: no ETag, which would be a digest of the token, on an answer that
  // is never cached anyway (and computing it was a tenth of the route's own time).
  const body = JSON.stringify({ data: token })
  res
    .set({
      'cache-control': 'no-store',
      pragma: 'no-cache',
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
    })
    .end(body)
}

/** The token route, and its fast path (see {@link TokenRoute.fast}). */
export interface TokenRoute {
  /** Registers the route where the router's other connection routes are. */
  mount(router: Router): void
  /**
   * The route served from the router's first middleware: token vending is the hot path, and the
   * route would otherwise be reached through every middleware and route registered before it. What
   * those do for a GET of this path is done here too: the agent key is checked (by connectionInUse,
   * a bad one is a 401), no body is parsed, and a read is never a cross-site write. `req.route` is
   * the mounted route, as a host's logging or metrics expect. A path whose `:id` does not decode is
   * left to the router, which answers it as before. True when it took the request.
   */
  fast(req: Request, res: Response, next: NextFunction): boolean
}

export function tokenRoute(ctx: HttpContext): TokenRoute {
  const vend = vendToken(ctx)
  let mounted: unknown
  return {
    mount(router) {
      const route = router.route('/connections/:id/token')
      route.get(handle(vend))
      mounted = route
    },
    fast(req, res, next) {
      if (req.method !== 'GET' || mounted === undefined) return false
      const id = decodedSegment(TOKEN_PATH.exec(req.path)?.[1])
      if (id === undefined) return false
      // A parent's route parameters (mergeParams) stay beside `id`, as the route would have them.
      req.params = { ...req.params, id }
      Object.assign(req, { route: mounted })
      readAhead(ctx, req, id, true)
      vend(req, res).catch(next)
      return true
    },
  }
}
