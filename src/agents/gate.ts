import { ConnectionsError, notFound, policyDenied, rateLimited } from '../core/errors.js'
import {
  type AgentCall,
  type DenyRule,
  type DigestBody,
  decide,
  type Policy,
  rateLimitsOf,
  requestDigest,
} from '../policy/index.js'
import type { RateCounter, TakeResult } from '../storage/rate-counter.js'
import type { Approvals, ConsumeRefusal } from './approvals.js'
import { type CountAhead, countsFor, LastAllowed } from './count-ahead.js'
import type { Approval, ApprovalRequest } from './model.js'

/** The policy store, as the gate reads it: the one policy binding an agent to a connection, if any. */
export interface PolicyLookup {
  forPair(owner: string, agentId: string, connectionId: string): Promise<Policy | null | undefined>
}

/** A pair's policy being read for `connectionId`, before the connection was (see Gate.lookAhead). */
export interface EarlyPolicy {
  connectionId: string
  policy: Promise<Policy | null | undefined>
}

/** Who calls: an agent acting for its owner (the gate only ever sees agents). */
export interface GateCaller {
  owner: string
  agent: { id: string; name: string }
}

/** The connection the call is for, as read just now. */
export interface GateConnection {
  id: string
  owner: string
  provider: string
  status: string
}

/**
 * One call as the gate sees it: the decision's view ({@link AgentCall}) and what an approval covers
 * (method, target: the path and query as sent or the tool's slug, body: its digest only).
 */
export interface GateRequest {
  call: AgentCall
  method: string
  target: string
  body: DigestBody
  /** What the owner reads in the approval: method and path or tool, never a body. */
  request: ApprovalRequest
}

/**
 * A step of the gate worth an audit entry and an event. Carries ids and the rule, never a body, a
 * path's query or a secret.
 */
export type GateStep =
  | { step: 'refused'; rule: DenyRule; message: string }
  | { step: 'rate_limited'; retryAfterSeconds: number }
  | { step: 'approval.requested'; approval: Approval }
  | { step: 'approval.used'; approval: Approval }
  | { step: 'approval.refused'; approvalId: string; reason: ConsumeRefusal }
  | { step: 'approval.approved'; approval: Approval }
  | { step: 'approval.denied'; approval: Approval }
  | { step: 'approval.expired'; approval: Approval }

export interface GateReport {
  owner: string
  /** Who acted: `agent:<id>` for the agent's call, the owner's actor for a decision on an approval. */
  actor: string
  agentId: string
  connectionId: string
  /** The connection's provider, when the gate read the connection (not for a decision on an approval). */
  provider?: string
  policyId: string
  at: Date
  happened: GateStep
}

export interface GateDeps {
  policies: PolicyLookup
  approvals: Approvals
  rates: RateCounter
  /** Audits the step and emits its event. */
  report: (report: GateReport) => Promise<void>
  now: () => Date
}

/** What `admit` may already have for the call. */
export interface AdmitOptions {
  /** The approval id of the agent's retry (`x-approval-id`). */
  approvalId?: string | undefined
  /** The policy `policyFor` found for this very record in this request: not read again. */
  policy?: Policy | undefined
  /** The count {@link Gate.countAhead} started for this call: used or given back, never both. */
  counted?: CountAhead | undefined
}

/** Let through (with the policy that allowed it, and the approval spent on it), or waiting for a human. */
export type Admission =
  | { outcome: 'go'; policy: Policy; approvalId?: string }
  | { outcome: 'pending'; policy: Policy; approval: Approval }

const REFUSED_APPROVAL: Record<ConsumeRefusal, string> = {
  unknown: 'The approval was not found.',
  not_approved: 'The approval is not approved, or was already used.',
  expired: 'The approval has expired.',
  mismatch: 'The approval was given for another call.',
}

/**
 * Whether an agent's call on a connection may run, decided before any token is read (so a refused call
 * never refreshes one). No policy for the pair, or a revoked connection: 404 as for an unknown id.
 * Then the policy's decision: deny → 403 `policy_denied`; needs approval → a pending approval (202),
 * or, with the approval id of the agent's retry, that approval spent once for this very call. Only
 * calls that go are counted against the rate limits (429 with Retry-After).
 */
export class Gate {
  private readonly lastAllowed = new LastAllowed()

  constructor(private readonly deps: GateDeps) {}

  /**
   * The policy binding the agent to the connection, or the 404 an unknown connection gets. `early`:
   * the pair's lookup {@link lookAhead} started while the connection was being read, used when it was
   * for this connection (it is never awaited for a connection that is not the caller's).
   */
  async policyFor(caller: GateCaller, connection: GateConnection, early?: EarlyPolicy): Promise<Policy> {
    if (connection.owner !== caller.owner || connection.status === 'revoked') throw notFound('Connection')
    const policy = await (early?.connectionId === connection.id
      ? early.policy
      : this.deps.policies.forPair(caller.owner, caller.agent.id, connection.id))
    if (!policy) throw notFound('Connection')
    return policy
  }

  /** Starts reading the pair's policy for a connection id before the connection itself is read. */
  lookAhead(caller: GateCaller, connectionId: string): EarlyPolicy {
    const policy = this.deps.policies.forPair(caller.owner, caller.agent.id, connectionId)
    // Its failure counts only if policyFor awaits it; a connection that is not found never does.
    policy.catch(() => undefined)
    return { connectionId, policy }
  }

  /**
   * Starts counting an agent's token hand-out against its rate limits together with the reads of its
   * key, connection and policy (on a shared counter, one store round trip instead of two). Only for a
   * pair whose last hand-out this process let through, with the policy that let it through; `admit`
   * uses the count when the policy it reads is the same and allows, and gives it back otherwise (the
   * pair is then forgotten until it is let through again). The caller gives it back
   * ({@link giveBack}) if `admit` is never reached (a bad key, a refused `authorize`): a count ahead
   * is never left standing for a call that did not run, only for the moment the call takes to be
   * refused, once per change (a policy changed, a window closed, a key rotated).
   */
  countAhead(owner: string, agentId: string, connectionId: string): CountAhead | undefined {
    if (!this.deps.rates.shared) return undefined
    const policy = this.lastAllowed.recall(owner, agentId, connectionId)
    if (!policy) return undefined
    const limits = rateLimitsOf(policy)
    const at = this.deps.now()
    const taken = this.deps.rates.take(policy.id, limits, at, true)
    // Its failure counts only when admit uses it.
    taken.catch(() => undefined)
    return { owner, agentId, connectionId, policy, limits, at, taken, settled: false }
  }

  /**
   * Gives back a count started ahead that no call used (nothing when it was used or refused). The
   * pair is forgotten: its next call is counted after its policy is read, as a first call is.
   */
  async giveBack(counted: CountAhead): Promise<void> {
    if (counted.settled) return
    counted.settled = true
    this.lastAllowed.forget(counted.owner, counted.agentId, counted.connectionId)
    const taken = await counted.taken.catch(() => undefined)
    // A failed give-back leaves one call too many in one window: not worth failing the request for.
    if (taken?.ok)
      await this.deps.rates.giveBack(counted.policy.id, counted.limits, counted.at).catch(() => undefined)
  }

  async admit(
    caller: GateCaller,
    connection: GateConnection,
    request: GateRequest,
    options: AdmitOptions = {},
  ): Promise<Admission> {
    const { approvalId, counted } = options
    const policy = options.policy ?? (await this.policyFor(caller, connection))
    const now = counted?.at ?? this.deps.now()
    const report = (happened: GateStep) =>
      this.deps.report({
        owner: caller.owner,
        actor: `agent:${caller.agent.id}`,
        agentId: caller.agent.id,
        connectionId: connection.id,
        provider: connection.provider,
        policyId: policy.id,
        at: now,
        happened,
      })
    const decision = decide(policy, request.call, now)
    const limits = rateLimitsOf(policy)
    const countedHere =
      counted !== undefined && decision.outcome === 'allow' && countsFor(counted, policy, limits)
    if (counted && !countedHere) await this.giveBack(counted)
    if (decision.outcome === 'deny') {
      await report({ step: 'refused', rule: decision.rule, message: decision.message })
      throw policyDenied(decision.rule, decision.message)
    }
    let spent: Approval | undefined
    if (decision.outcome === 'approve') {
      const digest = requestDigest(
        connection.id,
        caller.agent.id,
        request.method,
        request.target,
        request.body,
      )
      if (approvalId === undefined) {
        const approval = await this.deps.approvals.request(
          caller.owner,
          {
            agentId: caller.agent.id,
            connectionId: connection.id,
            policyId: policy.id,
            reason: decision.reason,
            request: request.request,
            digest,
          },
          now,
        )
        await report({ step: 'approval.requested', approval })
        return { outcome: 'pending', policy, approval }
      }
      const consumed = await this.deps.approvals.consume(
        caller.owner,
        approvalId,
        { agentId: caller.agent.id, digest },
        now,
      )
      if (!consumed.ok) {
        await report({ step: 'approval.refused', approvalId, reason: consumed.reason })
        throw new ConnectionsError('forbidden', REFUSED_APPROVAL[consumed.reason])
      }
      spent = consumed.approval
      await report({ step: 'approval.used', approval: spent })
    }
    // Counted after the decision and the approval: refused calls do not use up the window. An approval
    // spent on a call the limit then refuses stays spent (it was given for one run, and this was it).
    if (limits.length > 0) {
      const taken = countedHere
        ? await this.spend(counted)
        : await this.deps.rates.take(policy.id, limits, now)
      if (!taken.ok) {
        await report({ step: 'rate_limited', retryAfterSeconds: taken.retryAfterSeconds })
        throw rateLimited(taken.retryAfterSeconds, 'This policy’s rate limit is reached; try again later.')
      }
    }
    // Token hand-outs only: the one call whose whole request is known before anything is read.
    if (
      decision.outcome === 'allow' &&
      request.call.model === 'A' &&
      limits.length > 0 &&
      this.deps.rates.shared
    )
      this.lastAllowed.remember(caller.owner, caller.agent.id, connection.id, policy)
    return spent ? { outcome: 'go', policy, approvalId: spent.id } : { outcome: 'go', policy }
  }

  private spend(counted: CountAhead): Promise<TakeResult> {
    counted.settled = true
    return counted.taken
  }

  /** The owner's decision on a pending approval: 404 for none of theirs, 409 once it is not pending. */
  async settle(owner: string, id: string, decision: 'approved' | 'denied', actor: string): Promise<Approval> {
    const now = this.deps.now()
    const decided = await this.deps.approvals.decide(owner, id, decision, now)
    if (!decided) {
      const current = await this.deps.approvals.get(owner, id, now)
      if (!current) throw notFound('The approval')
      throw new ConnectionsError('conflict', `The approval is ${current.status}: it is no longer pending.`)
    }
    await this.deps.report({
      owner,
      actor,
      agentId: decided.agentId,
      connectionId: decided.connectionId,
      policyId: decided.policyId,
      at: now,
      happened: {
        step: decision === 'approved' ? 'approval.approved' : 'approval.denied',
        approval: decided,
      },
    })
    return decided
  }
}
