import type { NextFunction, Request, Response } from 'express'
import { ConnectionsError } from '../core/errors.js'
import { type HttpContext, resolveOwner } from './context.js'

/** What the `rateLimit` hook is asked about: the requests that write flows, sessions or connections. */
export type RateLimitedAction = 'connect' | 'callback' | 'credentials'

/**
 * Asked before each connect, callback and credentials request; `false` answers 429 `rate_limited`
 * before anything is read or written. `owner` is null where the caller is not identified (a
 * callback in a browser where nobody is signed in).
 */
export type RateLimit = (context: {
  req: Request
  owner: string | null
  action: RateLimitedAction
}) => boolean | Promise<boolean>

export function rateLimited(ctx: HttpContext, action: RateLimitedAction) {
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    if (!ctx.rateLimit) return next()
    try {
      const owner = (await resolveOwner(ctx, req)) ?? null
      if (!(await ctx.rateLimit({ req, owner, action }))) {
        throw new ConnectionsError('rate_limited', 'Too many requests; try again later.')
      }
      next()
    } catch (error) {
      next(error)
    }
  }
}
