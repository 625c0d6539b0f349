export type AuditAction =
  | 'created'
  | 'reauthorized'
  | 'updated'
  | 'refreshed'
  | 'refresh_failed'
  | 'revoked'
  | 'token'
  | 'proxy'

/** One line of an owner's audit trail. Never holds a token, a secret or a query string. */
export interface AuditEntry {
  id: string
  action: AuditAction
  connectionId: string
  provider: string
  /** Who acted: by default the owner over HTTP, `server` for calls from server code. */
  actor: string
  at: string
  outcome: 'success' | 'failure'
  /** A short, secret-free note: the provider's error code, the proxied method and path, … */
  detail?: string
}

export interface AuditPage {
  entries: AuditEntry[]
  /** Pass back as `cursor` for the next (older) page; null at the end. */
  nextCursor: string | null
}
