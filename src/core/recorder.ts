import type { AuditLog } from '../storage/audit-log.js'
import type { AuditAction, AuditEntry } from './audit.js'
import type { ConnectionEvent, ConnectionEventType } from './events.js'
import type { Connection, ConnectionRecord } from './model.js'

const EVENT_OF: Partial<Record<AuditAction, ConnectionEventType>> = {
  created: 'connection.created',
  reauthorized: 'connection.reauthorized',
  updated: 'connection.updated',
  refreshed: 'connection.refreshed',
  refresh_failed: 'connection.refresh_failed',
  revoked: 'connection.revoked',
}

export interface Happening {
  action: AuditAction
  record: ConnectionRecord
  connection: Connection
  actor: string
  outcome?: 'success' | 'failure'
  detail?: string
}

/** Every change is written to the audit trail, then announced to the event hook (which cannot fail it). */
export class Recorder {
  constructor(
    private readonly audit: AuditLog,
    private readonly emit: (event: ConnectionEvent) => void,
    private readonly now: () => Date,
  ) {}

  async record(happening: Happening): Promise<AuditEntry> {
    const at = this.now().toISOString()
    const entry = await this.audit.append(happening.record.owner, {
      action: happening.action,
      connectionId: happening.record.id,
      provider: happening.record.provider,
      actor: happening.actor,
      at,
      outcome: happening.outcome ?? 'success',
      ...(happening.detail ? { detail: happening.detail } : {}),
    })
    const type = EVENT_OF[happening.action]
    if (type) this.emit({ type, owner: happening.record.owner, connection: happening.connection, at })
    return entry
  }
}
