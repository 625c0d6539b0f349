import type { Request } from 'express'

const BEARER = /^bearer\s+(ak_\S*)\s*$/i

/**
 * The agent key a request carries (`Authorization: Bearer ak_…`), well formed or not. Other bearer
 * tokens are the host's (its own API keys, JWTs) and are left to `getOwner`.
 */
export function agentKeyOf(req: Request): string | undefined {
  return BEARER.exec(req.get('authorization') ?? '')?.[1]
}

/** Requests whose agent key was checked and is valid (see http/caller.ts). */
const verified = new WeakSet<Request>()

export function markVerifiedAgent(req: Request): void {
  verified.add(req)
}

/**
 * A request authenticated by a valid agent key: sent by a program with a secret no browser attaches
 * on its own, and never acting for a session user. The cross-site check (for cookies) need not apply.
 */
export function isVerifiedAgent(req: Request): boolean {
  return verified.has(req)
}
