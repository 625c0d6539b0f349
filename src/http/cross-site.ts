import type { NextFunction, Request, Response } from 'express'
import { ConnectionsError } from '../core/errors.js'
import { isVerifiedAgent } from './agent-key.js'
import { type HttpContext, publicBase } from './context.js'

const READS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Requests that change something must come from the app's own pages or from clients that are not
 * browsers. A page on another site can make the user's browser send a POST with the user's cookies
 * (a form, or fetch with `no-cors`), whatever its body; browsers mark such a request with
 * `Sec-Fetch-Site: cross-site` and send `Origin` on every POST, PUT, PATCH and DELETE. An `Origin`
 * must be the app's own or one the return-URL policy trusts, so a sibling subdomain does not pass.
 * Server code and agents send neither header, and carry no cookie of the user's.
 */
export function refuseCrossSiteWrites(ctx: HttpContext) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    // A valid agent key (checked before this) is a secret no other site can make a browser send.
    if (READS.has(req.method) || isVerifiedAgent(req)) next()
    else assertNotCrossSite(ctx, req).then(() => next(), next)
  }
}

export async function assertNotCrossSite(ctx: HttpContext, req: Request): Promise<void> {
  refuseCrossSite(req)
  const origin = req.get('origin')
  if (origin !== undefined && !(await trusted(ctx, req, origin))) throw fromAnotherSite()
}

/**
 * What browsers mark `Sec-Fetch-Site: cross-site`, whatever the method: also a navigation to
 * `/connect` (another site starting a flow with scopes of its choosing) or a proxied GET.
 */
export function refuseCrossSite(req: Request): void {
  if (req.get('sec-fetch-site') === 'cross-site') throw fromAnotherSite()
}

function fromAnotherSite(): ConnectionsError {
  return new ConnectionsError('forbidden', 'This request cannot be made from another site.')
}

async function trusted(ctx: HttpContext, req: Request, origin: string): Promise<boolean> {
  let url: URL
  try {
    url = new URL(origin)
  } catch {
    return false // "null" (a sandboxed frame, a file) or garbage
  }
  if (url.origin === new URL(publicBase(ctx, req)).origin) return true
  const policy = ctx.returnUrls
  // Only a plain `true` (awaited) trusts an origin: a predicate that throws does not.
  if (typeof policy === 'function') {
    try {
      return (await policy(url, req)) === true
    } catch {
      return false
    }
  }
  return (policy ?? []).some((allowed) => new URL(allowed).origin === url.origin)
}
