import type { Request } from 'express'
import type { CountAhead } from '../agents/count-ahead.js'
import type { EarlyPolicy } from '../agents/gate.js'
import { agentIdOfKey } from '../agents/registry.js'
import { ConnectionsError, notFound } from '../core/errors.js'
import type { ConnectionRecord } from '../core/model.js'
import { agentKeyOf } from './agent-key.js'
import type { HttpContext } from './context.js'

/** A connection id (not a provider id), as connections are named: their pair key can be read at once. */
export const CONNECTION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** The routes an agent uses a connection on, with the connection reference they name. */
const CONNECTION_USE = /^\/connections\/([^/]+)\/(?:token\/?$|proxy(?:\/|$))/i

/** An agent's reads started before its key was checked: the connection and the pair's policy. */
interface ReadAhead {
  owner: string
  agentId: string
  ref: string
  record: Promise<ConnectionRecord>
  policy: EarlyPolicy
  /** A token hand-out's rate count, started with the reads (Gate.countAhead). */
  counted?: CountAhead | undefined
}

/** Where a request keeps its started reads: a symbol of this module, not a WeakMap entry per request. */
const STARTED = Symbol('express-connections.readAhead')

type WithReads = Request & { [STARTED]?: ReadAhead }

/**
 * Starts the reads of an agent's token or proxy call alongside the read of its key, when this process
 * already knows the agent's owner (AgentRegistry.knownOwner): one store round trip instead of two.
 * Nothing read is used unless the key proves valid and names that owner (connectionInUse). `named`:
 * the connection reference, when the caller has already read it from the path. `token`: a token
 * hand-out, whose rate count also starts now for a key this process has seen valid (Gate.countAhead);
 * the route must then call {@link settleReadAhead} when it is done.
 */
export function readAhead(ctx: HttpContext, req: Request, named?: string, token = false): void {
  const registry = ctx.agents.registry
  const key = registry ? agentKeyOf(req) : undefined
  const agentId = key === undefined ? undefined : agentIdOfKey(key)
  const owner = agentId === undefined ? undefined : registry?.knownOwner(agentId)
  if (owner === undefined || agentId === undefined) return
  const ref = named ?? connectionRefOf(req.path)
  if (ref === undefined || !CONNECTION_ID.test(ref)) return
  const record = agentsConnection(ctx, owner, ref)
  record.catch(() => undefined)
  const policy = ctx.agents.gate.lookAhead({ owner, agent: { id: agentId, name: '' } }, ref)
  // A stranger who knows an agent's id cannot have calls counted against it: only its proven key.
  const counted =
    token && key !== undefined && registry?.isProvenKey(key)
      ? ctx.agents.gate.countAhead(owner, agentId, ref)
      : undefined
  ;(req as WithReads)[STARTED] = { owner, agentId, ref, record, policy, counted }
}

/** Gives back a rate count started ahead that the request did not use (a bad key, a refusal, an error). */
export function settleReadAhead(ctx: HttpContext, req: Request): void {
  const counted = (req as WithReads)[STARTED]?.counted
  if (counted && !counted.settled) void ctx.agents.gate.giveBack(counted)
}

function connectionRefOf(path: string): string | undefined {
  return decodedSegment(CONNECTION_USE.exec(path)?.[1])
}

/** A path segment decoded as Express decodes a route parameter; undefined when it does not decode. */
export function decodedSegment(encoded: string | undefined): string | undefined {
  if (encoded === undefined) return undefined
  try {
    return decodeURIComponent(encoded)
  } catch {
    return undefined
  }
}

/** The reads `readAhead` started for this very caller and connection, if any. */
export function startedReads(
  req: Request,
  owner: string,
  agentId: string,
  ref: string,
): ReadAhead | undefined {
  const ahead = (req as WithReads)[STARTED]
  return ahead && ahead.owner === owner && ahead.agentId === agentId && ahead.ref === ref ? ahead : undefined
}

/** By id, or by provider id when that names one connection; anything else is "not found". */
export async function agentsConnection(
  ctx: HttpContext,
  owner: string,
  ref: string,
): Promise<ConnectionRecord> {
  try {
    return await ctx.access.resolve(owner, ref)
  } catch (error) {
    // One answer for every miss: "no connection to this provider" or "two of them" (with their ids)
    // would tell the agent of connections it is not bound to.
    if (error instanceof ConnectionsError && (error.code === 'conflict' || error.code === 'not_found'))
      throw notFound('Connection')
    throw error
  }
}
