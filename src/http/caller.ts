import type { NextFunction, Request, Response } from 'express'
import { ConnectionsError } from '../core/errors.js'
import { agentKeyOf, markVerifiedAgent } from './agent-key.js'
import { type HttpContext, oncePerRequest, requireAllowed, resolveOwner } from './context.js'
import { readAhead } from './read-ahead.js'

/** Who is calling: the owner, and the agent acting for them (null for the owner's own requests). */
export interface Caller {
  owner: string
  agent: { id: string; name: string } | null
}

/**
 * The caller of a request, resolved once. An agent key (`Authorization: Bearer ak_…`, with the
 * built-in registry) alone names the owner and the agent; a wrong, deleted or rotated one is a 401,
 * never a fall back to the session. Otherwise the owner is `getOwner`'s, and the agent the host's
 * `getAgent` (when given), or none.
 */
export const resolveCaller = oncePerRequest(callerOf)

async function callerOf(ctx: HttpContext, req: Request): Promise<Caller | undefined> {
  const registry = ctx.agents.registry
  const key = registry ? agentKeyOf(req) : undefined
  if (registry && key !== undefined) {
    const found = await registry.authenticate(key)
    if (!found) throw new ConnectionsError('unauthenticated', 'The agent key is not valid.')
    markVerifiedAgent(req)
    return found
  }
  const owner = await resolveOwner(ctx, req)
  if (owner === undefined) return undefined
  return { owner, agent: ctx.agents.getAgent ? hostAgent(await ctx.agents.getAgent(req)) : null }
}

function hostAgent(agent: unknown): Caller['agent'] {
  if (agent === null || agent === undefined) return null
  const { id, name } = agent as { id?: unknown; name?: unknown }
  if (typeof id !== 'string' || id === '' || typeof name !== 'string') {
    throw new ConnectionsError('internal_error', 'getAgent must return { id, name } or null.')
  }
  return { id, name }
}

export async function requireCaller(ctx: HttpContext, req: Request): Promise<Caller> {
  const caller = await resolveCaller(ctx, req)
  if (!caller) {
    ctx.warnings.noOwner(req)
    throw new ConnectionsError('unauthenticated', 'Sign in to manage connections.')
  }
  return caller
}

/**
 * The owner, for what only owners do (agents, policies, tools, approvals): an agent gets a 403, and
 * the host's `authorize` is asked about `action` (it can only take away).
 */
export async function requireOwnerCaller(
  ctx: HttpContext,
  req: Request,
  action: 'agents' | 'policies' | 'approvals',
): Promise<string> {
  const caller = await requireCaller(ctx, req)
  if (caller.agent)
    throw new ConnectionsError('forbidden', 'Agents cannot manage agents, policies, tools or approvals.')
  await requireAllowed(ctx, { req, owner: caller.owner, action })
  return caller.owner
}

/**
 * Checks an agent key wherever one is sent, before any route (and so before `getOwner` could read a
 * session): a bad key is a 401 on every endpoint.
 */
export function verifyAgentKeys(ctx: HttpContext) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (!ctx.agents.registry || agentKeyOf(req) === undefined) {
      next()
      return
    }
    readAhead(ctx, req)
    resolveCaller(ctx, req).then(() => next(), next)
  }
}
