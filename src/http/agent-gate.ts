import type { Request, Response } from 'express'
import { z } from 'zod'
import { connectionFacts } from '../agents/connection-facts.js'
import type { CountAhead } from '../agents/count-ahead.js'
import type { Admission, GateRequest } from '../agents/gate.js'
import type { Approval } from '../agents/model.js'
import type { ConnectionRecord } from '../core/model.js'
import type { Policy } from '../policy/model.js'
import { type Caller, requireCaller } from './caller.js'
import { allowedConnectionOrSingleton } from './connection-ref.js'
import { actorOf, type HttpContext, parse, requireAllowed } from './context.js'
import { agentsConnection, CONNECTION_ID, startedReads } from './read-ahead.js'

/** A connection a token or proxy request may use: the human path as before, or an agent's bound one. */
export interface ConnectionInUse {
  owner: string
  id: string
  record: ConnectionRecord
  caller: Caller
  actor: () => Promise<string>
  /** An agent's policy as found for this request; absent where the gate must read it again. */
  policy?: Policy
  /** A token hand-out's rate count started with the reads, for the gate to use or give back. */
  counted?: CountAhead | undefined
}

const approvalHeader = z.uuid({ error: 'x-approval-id must be an approval id (a UUID)' }).optional()

/**
 * The connection named by `:id` for `token` or `proxy`. A person: checked as before (`authorize`,
 * its defaults). An agent: only a connection it has a policy for, else 404 as for an unknown id (it
 * learns nothing of the others), and then the host's `authorize`, which can still refuse.
 */
export async function connectionInUse(
  ctx: HttpContext,
  req: Request,
  action: 'token' | 'proxy',
): Promise<ConnectionInUse> {
  const caller = await requireCaller(ctx, req)
  if (!caller.agent) return { ...(await allowedConnectionOrSingleton(ctx, req, action)), caller }
  const agent = caller.agent
  const ref = String(req.params.id ?? '')
  const started = startedReads(req, caller.owner, agent.id, ref)
  // The connection and the pair's policy are read together: one store round trip instead of two.
  const early =
    started?.policy ??
    (CONNECTION_ID.test(ref) ? ctx.agents.gate.lookAhead({ owner: caller.owner, agent }, ref) : undefined)
  const record = await (started?.record ?? agentsConnection(ctx, caller.owner, ref))
  const policy = await ctx.agents.gate.policyFor({ owner: caller.owner, agent }, record, early)
  await requireAllowed(ctx, {
    req,
    owner: caller.owner,
    action,
    agent,
    get connection() {
      return ctx.providers.toPublic(record)
    },
  })
  return {
    owner: caller.owner,
    id: record.id,
    record,
    caller,
    policy,
    counted: started?.counted,
    // Built-in agents act as themselves; a host's getActor still names who acted for its own agents.
    actor: async () => (ctx.agents.registry ? `agent:${agent.id}` : actorOf(ctx, req, caller.owner)),
  }
}

/** Runs the gate for an agent's call (nothing for a person's): go, or a pending approval to answer with. */
export async function admitCall(
  ctx: HttpContext,
  req: Request,
  use: ConnectionInUse,
  request: Omit<GateRequest, 'call'> & { call: GateCallWithoutFacts },
): Promise<Admission | null> {
  const agent = use.caller.agent
  if (!agent) return null
  // Most calls carry no approval: `.optional()` would only hand back the same undefined, at zod's cost.
  const rawApprovalId = req.get('x-approval-id')
  const approvalId = rawApprovalId === undefined ? undefined : parse(approvalHeader, rawApprovalId)
  const provider =
    ctx.providers.forConnection(use.record) ?? ctx.providers.require(use.record.provider, use.owner)
  const connection = connectionFacts(provider, use.record)
  return ctx.agents.gate.admit(
    { owner: use.owner, agent },
    use.record,
    { ...request, call: { ...request.call, connection } as GateRequest['call'] },
    { approvalId, policy: use.policy, counted: use.counted },
  )
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never
export type GateCallWithoutFacts = DistributiveOmit<GateRequest['call'], 'connection'>

/** 202 with the pending approval: the agent repeats the call with `x-approval-id` once it is approved. */
export function answerPending(res: Response, approval: Approval): void {
  res.status(202).set('cache-control', 'no-store').json({ data: { approval } })
}

/** What the audit entry of the hand-out or call carries of the decision. */
export function decidedBy(use: ConnectionInUse, admission: Admission | null) {
  if (admission?.outcome !== 'go' || !use.caller.agent) return {}
  return {
    agentId: use.caller.agent.id,
    policyId: admission.policy.id,
    ...(admission.approvalId ? { approvalId: admission.approvalId } : {}),
  }
}
