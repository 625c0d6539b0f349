import type { Logger } from '../logger.js'
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
    private readonly emit: (event: ConnectionEvent) => void,
    private readonly logger: Logger,
    private readonly now: () => Date,
  ) {}

  async record(happening: Happening): Promise<AuditEntry | null> {
    const at = this.now().toISOString()
    let entry: AuditEntry | null = null
    try {
      entry = await this.audit.append(happening.record.owner, {
        action: happening.action,
        connectionId: happening.record.id,
        provider: happening.record.provider,
        actor: happening.actor,
        at,
        outcome: happening.outcome ?? 'success',
        ...(happening.detail ? { detail: happening.detail } : {}),
      })
    } catch (error) {
      if (happening.strict) throw error
      this.logger.error('express-connections: audit entry lost', {
        action: happening.action,
        connectionId: happening.record.id,
        cause: error instanceof Error ? error.name : typeof error,
      })
    }
    const type = EVENT_OF[happening.action]
    if (type && !happening.quiet) {
      this.emit({ type, owner: happening.record.owner, connection: happening.connection, at })
    }
    return entry
  }
}
