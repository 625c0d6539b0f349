import type { Request } from 'express'

const BEARER = /^bearer\s+(ak_\S*)\s*$/i

/**
 * The agent key a request carries (`Authorization: Bearer ak_…`), well formed or not. Other bearer
 * tokens are the host's (its own API keys, JWTs) and are left to `getOwner`.
 */
export function agentKeyOf(req: Request): string | undefined {
  return BEARER.exec(req.get('authorization') ?? '')?.[1]
}

/**
 * Marks requests whose agent key was checked and is valid (see http/caller.ts). A property under a
 * symbol of this module rather than a WeakSet entry: no ephemeron per request for the collector.
 */
const VERIFIED = Symbol('express-connections.verifiedAgent')

type Marked = Request & { [VERIFIED]?: true }

export function markVerifiedAgent(req: Request): void {
  ;(req as Marked)[VERIFIED] = true
}

/**
 * A request authenticated by a valid agent key: sent by a program with a secret no browser attaches
 * on its own, and never acting for a session user. The cross-site check (for cookies) need not apply.
 */
export function isVerifiedAgent(req: Request): boolean {
  return (req as Marked)[VERIFIED] === true
}
