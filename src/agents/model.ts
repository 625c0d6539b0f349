/** An agent as the owner sees it: never its key, nor the key's hash. */
export interface Agent {
  id: string
  name: string
  createdAt: string
  updatedAt: string
  /** When its current key was made (created or rotated). */
  keyCreatedAt: string
}

/** An agent as stored: its key only as a keyed hash (HMAC-SHA256 under a key derived from the keyring). */
export interface AgentRecord extends Agent {
  owner: string
  keyHash: string
}

/** Who an agent key names: found by {@link AgentRegistry.authenticate}. */
export interface AuthenticatedAgent {
  owner: string
  agent: { id: string; name: string }
}

export type ApprovalStatus = 'pending' | 'approved' | 'denied' | 'used' | 'expired'

/** What an approval is for; the body is never kept, only its digest (policy/digest.ts). */
export interface ApprovalRequest {
  method: string
  path?: string
  tool?: string
  summary: string
}

/** A step-up approval: pending → approved → used, or denied / expired. */
export interface Approval {
  id: string
  status: ApprovalStatus
  agentId: string
  connectionId: string
  policyId: string
  reason: string
  request: ApprovalRequest
  createdAt: string
  expiresAt: string
  decidedAt?: string
  usedAt?: string
}

export interface ApprovalRecord extends Approval {
  owner: string
  /** The digest of method, target and body the agent's retry must match. */
  digest: string
}
