import { allowlisted } from './allowlist.js'
import { checkConstraints } from './constraints.js'
import { isDestructive, isRead } from './mode.js'
import type { AgentCall, Decision, DenyRule, Policy } from './model.js'
import { withinWindows } from './time-window.js'

/**
 * The one decision point for an agent's call on a connection: pure (no store, no clock, no I/O), so
 * token vending, the proxy, tool runs and MCP all ask it the same question. Rules run in this order,
 * and the first that refuses answers:
 *
 * 1. `allowed_models`: the call's model (A: token vending, B: execution) is in `allowedModels`.
 * 2. `mode`: under `read_only`, the call reads (see {@link isRead}: GET/HEAD or a declared read;
 *    a tool annotated read-only; for a token, only read-only scopes granted).
 * 3. `allowlist`: with entries, the call matches one (a vended token matches none).
 * 4. `time_window`: with windows, `now` is inside one, on the window zone's wall clock.
 * 5. `provider_constraint`: the request keeps to the constraints (a token cannot be held to them).
 * 6. step-up: `always` asks for approval; `risk_based` asks for writes and destructive calls.
 *
 * Rate limits are not decided here (they need a shared counter): count {@link rateLimitsOf} after an
 * `allow`, or when an approved call runs. Messages never repeat the request's values.
 *
 * @example
 * const decision = decide(policy, {
 *   model: 'B', kind: 'http',
 *   request: { method: 'POST', path: '/sendMessage', contentType: 'application/json', body: rawBody },
 *   connection: { providerId: 'telegram', family: 'telegram', grantedScopes: [], readOnlyScopes: [], reads: [] },
 * }, now) // the caller's clock: policy/ reads none
 * if (decision.outcome === 'deny') throw policyDenied(decision.rule, decision.message)
 * if (decision.outcome === 'approve') return requestApproval(decision.reason)
 */
export function decide(policy: Policy, call: AgentCall, now: Date): Decision {
  if (!policy.allowedModels.includes(call.model))
    return deny('allowed_models', `This policy does not allow model ${call.model} (${describeModel(call)}).`)

  const read = isRead(call)
  if (policy.defaultMode === 'read_only' && !read) {
    return deny(
      'mode',
      call.model === 'A'
        ? 'This policy is read-only, and the token’s scopes are not all read-only.'
        : 'This policy is read-only, and this call writes.',
    )
  }

  if (call.model === 'A') {
    if (policy.allowlists.length > 0)
      return deny('allowlist', 'This policy has an allowlist, which a vended token could not be held to.')
  } else if (!allowlisted(policy.allowlists, call.kind === 'tool' ? { tool: call.tool } : call.request)) {
    return deny('allowlist', 'This call matches no entry of the policy’s allowlist.')
  }

  if (!withinWindows(policy.timeWindows, now))
    return deny('time_window', 'This policy does not allow calls at this time.')

  const constraint = checkConstraints(policy.providerConstraints, call)
  if (constraint !== null) return deny('provider_constraint', constraint)

  if (policy.stepUpApproval === 'always') return { outcome: 'approve', reason: 'Every call needs approval.' }
  if (policy.stepUpApproval === 'risk_based' && isDestructive(call))
    return { outcome: 'approve', reason: 'This call is destructive.' }
  if (policy.stepUpApproval === 'risk_based' && !read)
    return {
      outcome: 'approve',
      reason: call.model === 'A' ? 'This token can write.' : 'This call writes.',
    }
  return { outcome: 'allow' }
}

function deny(rule: DenyRule, message: string): Decision {
  return { outcome: 'deny', rule, message }
}

function describeModel(call: AgentCall): string {
  return call.model === 'A' ? 'token vending' : 'execution'
}
