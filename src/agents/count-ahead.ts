import type { Policy } from '../policy/index.js'
import type { RateLimitRule, TakeResult } from '../storage/rate-counter.js'

/** How many agent–connection pairs one process remembers the last allowing policy of. */
const PAIRS_KEPT = 10_000

/**
 * A rate count started in the same store round trip as the reads of an agent's call (see
 * Gate.countAhead), for the policy that the pair's last hand-out went through in this process. It is
 * either used by `Gate.admit` (the same policy and limits, and the call allowed) or given back:
 * exactly once, which `settled` records.
 */
export interface CountAhead {
  owner: string
  agentId: string
  connectionId: string
  policy: Policy
  limits: readonly RateLimitRule[]
  /** The call's time: the window counted in, and the time `admit` decides at. */
  at: Date
  taken: Promise<TakeResult>
  settled: boolean
}

/** The policy that let each agent–connection pair's last token hand-out through. */
export class LastAllowed {
  private readonly pairs = new Map<string, Policy>()

  recall(owner: string, agentId: string, connectionId: string): Policy | undefined {
    return this.pairs.get(pairOf(owner, agentId, connectionId))
  }

  remember(owner: string, agentId: string, connectionId: string, policy: Policy): void {
    const pair = pairOf(owner, agentId, connectionId)
    if (!this.pairs.has(pair) && this.pairs.size >= PAIRS_KEPT) this.pairs.clear()
    this.pairs.set(pair, policy)
  }

  forget(owner: string, agentId: string, connectionId: string): void {
    this.pairs.delete(pairOf(owner, agentId, connectionId))
  }
}

function pairOf(owner: string, agentId: string, connectionId: string): string {
  return `${owner}\u0000${agentId}\u0000${connectionId}`
}

/** Whether a count taken under `counted` stands for `policy`: the same counters, limit for limit. */
export function countsFor(counted: CountAhead, policy: Policy, limits: readonly RateLimitRule[]): boolean {
  return (
    counted.policy.id === policy.id &&
    counted.limits.length === limits.length &&
    counted.limits.every((rule, i) => rule.limit === limits[i]?.limit && rule.per === limits[i]?.per)
  )
}
