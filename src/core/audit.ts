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
