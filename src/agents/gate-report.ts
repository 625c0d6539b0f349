import type { AuditAction, AuditRule } from '../core/audit.js'
import type { ApprovalEventType } from '../core/events.js'
import type { Recorder } from '../core/recorder.js'
import type { OnExpired } from './approvals.js'
import type { GateReport, GateStep } from './gate.js'

interface Written {
  action: AuditAction
  rule?: AuditRule
  approvalId?: string
  outcome: 'success' | 'failure'
  detail?: string
  event?: ApprovalEventType
}

function written(happened: GateStep): Written {
  switch (happened.step) {
    case 'refused':
      return { action: 'refused', rule: happened.rule, outcome: 'failure', detail: happened.message }
    case 'rate_limited':
      return { action: 'refused', rule: 'rate_limit', outcome: 'failure' }
    case 'approval.refused':
      return {
        action: 'refused',
        rule: 'approval',
        approvalId: happened.approvalId,
        outcome: 'failure',
        detail: happened.reason,
      }
    case 'approval.requested':
    case 'approval.used':
    case 'approval.approved':
    case 'approval.denied':
    case 'approval.expired':
      return {
        action: happened.step.replace('.', '_') as AuditAction,
        approvalId: happened.approval.id,
        outcome: 'success',
        event: happened.step,
      }
  }
}

/**
 * The gate's steps into the audit trail (the owner's stream and the connection's) and, for approvals,
 * the event hook. Ids, rule and a fixed message only: never a body, a query or a key. The entry for a
 * spent approval must be written before the call runs; the others are logged if their write fails.
 */
export function gateReporter(recorder: Recorder): (report: GateReport) => Promise<void> {
  return async (report) => {
    const { action, rule, approvalId, outcome, detail, event } = written(report.happened)
    const at = report.at.toISOString()
    const approval = 'approval' in report.happened ? report.happened.approval : undefined
    await recorder.note(
      report.owner,
      {
        action,
        actor: report.actor,
        connectionId: report.connectionId,
        ...(report.provider ? { provider: report.provider } : {}),
        agentId: report.agentId,
        policyId: report.policyId,
        rule,
        approvalId,
        outcome,
        detail,
        strict: report.happened.step === 'approval.used',
        at,
      },
      event && approval ? { type: event, owner: report.owner, approval, at } : undefined,
    )
  }
}

/** Who the trail names for an approval found past `expiresAt`: nobody acted, the clock did. */
export const EXPIRY_ACTOR = 'system:expiry'

/** `Approvals`' `onExpired`: the expiry audited (owner's and connection's streams) and emitted once. */
export function expiryReporter(report: (report: GateReport) => Promise<void>): OnExpired {
  return (owner, approval, at) =>
    report({
      owner,
      actor: EXPIRY_ACTOR,
      agentId: approval.agentId,
      connectionId: approval.connectionId,
      policyId: approval.policyId,
      at,
      happened: { step: 'approval.expired', approval },
    })
}
