import type { Request } from 'express'
import { ConnectionsError } from '../core/errors.js'
import { type HttpContext, publicBase } from './context.js'

/**
 * A return URL must be http(s) and on an allowed origin (default: the app's own). Anything else is a
 * 400, never a redirect: the router must not be an open redirector.
 */
export async function checkReturnUrl(
  ctx: HttpContext,
  req: Request,
  value: string,
  field = 'return_url',
): Promise<string> {
  const refused = (reason: string) => refusal(field, reason)
  const base = new URL(publicBase(ctx, req))
  let url: URL
  try {
    url = new URL(value, base)
  } catch {
    throw refused('is not a URL')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw refused('must be an http(s) URL')
  if (url.username || url.password) throw refused('must not contain credentials')
  const policy = ctx.returnUrls
  const allowed =
    typeof policy === 'function'
      ? await askPolicy(ctx, () => policy(url, req), refused)
      : (policy ?? [base.origin]).some((origin) => new URL(origin).origin === url.origin)
  if (!allowed) throw refused('points to an origin that is not allowed')
  return url.toString()
}

/**
 * The host's predicate, awaited: only a plain `true` allows (a forgotten `await` would otherwise
 * allow every URL, a Promise being truthy). One that throws refuses the URL with a 400.
 */
async function askPolicy(
  ctx: HttpContext,
  ask: () => boolean | Promise<boolean>,
  refused: (reason: string) => ConnectionsError,
): Promise<boolean> {
  try {
    return (await ask()) === true
  } catch (error) {
    ctx.logger.warn('express-connections: the returnUrls policy failed', {
      error: error instanceof Error ? error.name : typeof error,
    })
    throw refused('could not be checked')
  }
}

export function withParams(url: string, params: Record<string, string>): string {
  const target = new URL(url)
  for (const [name, value] of Object.entries(params)) target.searchParams.set(name, value)
  return target.toString()
}

function refusal(field: string, reason: string): ConnectionsError {
  return new ConnectionsError('invalid_request', `Invalid request: ${field} ${reason}.`, {
    details: [{ path: [field], code: 'invalid_return_url', message: reason }],
  })
}
