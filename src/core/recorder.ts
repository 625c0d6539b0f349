import type { Logger } from '../logger.js'
import type { AuditLog } from '../storage/audit-log.js'
import type { AuditAction, AuditEntry, AuditRule } from './audit.js'
import type { ConnectionEventType, ConnectionsEvent } from './events.js'
import type { Connection, ConnectionRecord } from './model.js'

const EVENT_OF: Partial<Record<AuditAction, ConnectionEventType>> = {
  created: 'connection.created',
  reauthorized: 'connection.reauthorized',
  updated: 'connection.updated',
  refreshed: 'connection.refreshed',
  refresh_failed: 'connection.refresh_failed',
  revoked: 'connection.revoked',
}

/** Who decided a call and how: opaque ids here, written to the entry when given (never a body). */
export interface Decided {
  agentId?: string | undefined
  policyId?: string | undefined
  rule?: AuditRule | undefined
  approvalId?: string | undefined
}

export interface Happening extends Decided {
  action: AuditAction
  record: ConnectionRecord
  connection: Connection
  actor: string
  outcome?: 'success' | 'failure'
  detail?: string
  /** Audit only: nothing changed that the event hook should hear about (a provider outage). */
  quiet?: boolean
  /**
   * The entry must be written before the action takes effect (handing out a token): a failure to
   * write it fails the action. Otherwise the change has already happened, and a failed audit write
   * is logged rather than reported as if nothing had changed.
   */
  strict?: boolean
}

/** Every change is written to the audit trail, then announced to the event hook (which cannot fail it). */
export class Recorder {
  constructor(
    private readonly audit: AuditLog,
    private readonly emit: (event: ConnectionsEvent) => void,
    private readonly logger: Logger,
    private readonly now: () => Date,
  ) {}

  async record(happening: Happening): Promise<AuditEntry | null> {
    const { record, connection, action, quiet, ...rest } = happening
    const type = EVENT_OF[action]
    const at = this.now().toISOString()
    return this.note(
      record.owner,
      { ...rest, action, connectionId: record.id, provider: record.provider, at },
      type && !quiet ? { type, owner: record.owner, connection, at } : undefined,
    )
  }

  /**
   * An entry about no connection's record (an agent created, a policy removed, an approval decided):
   * written to the owner's stream, and to a connection's too when `connectionId` is given, then the
   * event, if any, is emitted. A failed write fails a `strict` note and is logged otherwise.
   */
  async note(
    owner: string,
    note: Decided & {
      action: AuditAction
      actor: string
      connectionId?: string
      provider?: string
      outcome?: 'success' | 'failure'
      detail?: string | undefined
      strict?: boolean | undefined
      at?: string
    },
    event?: ConnectionsEvent,
  ): Promise<AuditEntry | null> {
    let entry: AuditEntry | null = null
    try {
      entry = await this.audit.append(owner, {
        action: note.action,
        ...(note.connectionId ? { connectionId: note.connectionId } : {}),
        ...(note.provider ? { provider: note.provider } : {}),
        actor: note.actor,
        at: note.at ?? this.now().toISOString(),
        outcome: note.outcome ?? 'success',
        ...(note.detail ? { detail: note.detail } : {}),
        ...decidedBy(note),
      })
    } catch (error) {
      if (note.strict) throw error
      this.logger.error('express-connections: audit entry lost', {
        action: note.action,
        ...(note.connectionId ? { connectionId: note.connectionId } : {}),
        cause: error instanceof Error ? error.name : typeof error,
      })
    }
    if (event) this.emit(event)
    return entry
  }
}

/** Only the ids that are set: an entry without an agent reads exactly as before. */
function decidedBy(decided: Decided): Decided {
  const out: Decided = {}
  if (decided.agentId) out.agentId = decided.agentId
  if (decided.policyId) out.policyId = decided.policyId
  if (decided.rule) out.rule = decided.rule
  if (decided.approvalId) out.approvalId = decided.approvalId
  return out
}
