export const AUDIT_ACTIONS = [
  'created',
  'reauthorized',
  'updated',
  'refreshed',
  'refresh_failed',
  'revoked',
  'token',
  'proxy',
  'tool',
  /** A call an agent's policy refused (with its `rule`), or one over its rate limit. */
  'refused',
  'approval_requested',
  'approval_approved',
  'approval_denied',
  'approval_used',
  'approval_expired',
  'agent_created',
  'agent_deleted',
  'agent_key_rotated',
  'policy_created',
  'policy_updated',
  'policy_deleted',
] as const
export type AuditAction = (typeof AUDIT_ACTIONS)[number]

/**
 * Why a policy refused a call or asked for an approval: the contract's `policy_denied` rules, plus
 * `rate_limit` and `approval` (an approval id that does not match the call) for the audit trail.
 */
export const AUDIT_RULES = [
  'allowed_models',
  'mode',
  'allowlist',
  'time_window',
  'provider_constraint',
  'rate_limit',
  'approval',
] as const
export type AuditRule = (typeof AUDIT_RULES)[number]

/** One line of an owner's audit trail. Never holds a token, a secret, a request body or a query string. */
export interface AuditEntry {
  id: string
  action: AuditAction
  /** Absent for entries about no connection (an agent created, say): those are in the owner's stream only. */
  connectionId?: string
  provider?: string
  /** Who acted: by default the owner over HTTP, `server` for calls from server code. */
  actor: string
  at: string
  outcome: 'success' | 'failure'
  /** A short, secret-free note: the provider's error code, the proxied method and path, … */
  detail?: string
  /** The agent that acted or was acted on, the policy that decided, and the rule that refused. */
  agentId?: string
  policyId?: string
  rule?: AuditRule
  approvalId?: string
}

export interface AuditPage {
  entries: AuditEntry[]
  /** Pass back as `cursor` for the next (older) page; null at the end. */
  nextCursor: string | null
}

/** What one problem found by `verifyAudit` is, at the entry's sequence number in its stream. */
export interface AuditProblem {
  seq: number
  /**
   * `modified`: the entry's MAC does not match its content (or the next entry does not chain to it);
   * `missing`: the entry is gone although an older one is still there (deleted, not expired);
   * `reordered`: an authentic entry stored at another position than the one it was written at.
   */
  problem: 'modified' | 'missing' | 'reordered'
}

/**
 * The newest entry of a stream, as `verifyAudit` found it: keep it outside the store (a log line, a
 * ticket, another database) and pass it back as `anchor` to detect the newest entries being removed
 * together with the counter, which the chain alone cannot tell from a shorter trail.
 */
export interface AuditAnchor {
  seq: number
  mac: string
}

/** The result of `verifyAudit`: the stream's chain recomputed from its head down to its oldest entry. */
export interface AuditVerification {
  /** Entries present in the stream and examined. */
  checked: number
  intact: boolean
  /** Newest first. */
  problems: AuditProblem[]
  /** The newest authentic entry, to record elsewhere as the next check's `anchor`; null when none. */
  head: AuditAnchor | null
}
