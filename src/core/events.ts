import type { Connection } from './model.js'

export type ConnectionEventType =
  | 'connection.created'
  | 'connection.refreshed'
  | 'connection.refresh_failed'
  | 'connection.revoked'
  | 'connection.reauthorized'
  | 'connection.updated'

/** A change to a connection. The connection is the public view: no token, no secret. */
export interface ConnectionEvent {
  type: ConnectionEventType
  owner: string
  connection: Connection
  at: string
}

export type ApprovalEventType =
  | 'approval.requested'
  | 'approval.approved'
  | 'approval.denied'
  | 'approval.used'
  | 'approval.expired'

/** An approval as its owner sees it (AGENTS.md, "Approvals"): what was asked, never the request body. */
export interface ApprovalView {
  id: string
  status: 'pending' | 'approved' | 'denied' | 'used' | 'expired'
  agentId: string
  connectionId: string
  policyId: string
  reason: string
  request: { method?: string; path?: string; tool?: string; summary: string }
  createdAt: string
  expiresAt: string
}

/** A step of an approval: `approval.requested` is the host's cue to ask a human. */
export interface ApprovalEvent {
  type: ApprovalEventType
  owner: string
  approval: ApprovalView
  at: string
}

export type PolicyEventType = 'policy.created' | 'policy.updated' | 'policy.deleted'

/** A policy was bound, changed or removed; read it with `GET /policies/:id` for the rest. */
export interface PolicyEvent {
  type: PolicyEventType
  owner: string
  policy: { id: string; connectionId: string; agentId: string }
  at: string
}

/**
 * What the `onEvent` hook receives: one of the above, told apart by `type` (`connection.*`,
 * `approval.*`, `policy.*`).
 *
 * @example
 * onEvent: (event) => {
 *   if (event.type === 'approval.requested') notify(event.owner, event.approval.request.summary)
 * }
 */
export type ConnectionsEvent = ConnectionEvent | ApprovalEvent | PolicyEvent

export type EventHandler = (event: ConnectionsEvent) => void | Promise<void>
