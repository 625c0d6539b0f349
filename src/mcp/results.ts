import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import type { Approval } from '../agents/model.js'
import type { ConnectionsError } from '../core/errors.js'
import type { JsonValue } from '../providers/tool-definition.js'

/**
 * A run's output as a tool result: the JSON as text (for clients that read only `content`), and as
 * `structuredContent` when it is an object (always, for a tool with an `outputSchema`: its output is
 * the object its `responseFieldMap` makes).
 */
export function doneResult(output: JsonValue): CallToolResult {
  const isObject = output !== null && typeof output === 'object' && !Array.isArray(output)
  return {
    content: [{ type: 'text', text: JSON.stringify(output) }],
    ...(isObject ? { structuredContent: output } : {}),
  }
}

/**
 * A call that waits for a person: a tool error (the model must not take it for a success) that
 * names the approval and says how to repeat the call once it is granted.
 */
export function approvalResult(toolName: string, approval: Approval, approvalUrl?: string): CallToolResult {
  const where = approvalUrl ? ` The owner decides it at ${approvalUrl} .` : ''
  const text =
    `This call needs the owner's approval first: ${approval.reason} Approval ${approval.id} is pending ` +
    `until ${approval.expiresAt}.${where} Once it is approved, call ${toolName} again with exactly the same ` +
    `arguments and _meta {"approvalId": "${approval.id}"}; it then runs once.`
  return {
    isError: true,
    content: [{ type: 'text', text }],
    structuredContent: {
      error: { code: 'approval_required', message: text, approvalId: approval.id },
      approval: { ...approval },
      ...(approvalUrl ? { approvalUrl } : {}),
    },
  }
}

/**
 * A refusal the caller can act on (policy, rate limit, invalid input, a tool or connection gone, the
 * provider's own error) as a tool error: its code, its message, the JSON pointers of bad input, and
 * when to try again.
 */
export function refusalResult(error: ConnectionsError): CallToolResult {
  const retry = error.retryAfterSeconds
  const lines = [error.message]
  for (const detail of error.details ?? []) {
    const line = detailLine(detail)
    if (line) lines.push(line)
  }
  if (retry !== undefined) lines.push(`Try again in ${retry} seconds.`)
  return {
    isError: true,
    content: [{ type: 'text', text: lines.join('\n') }],
    structuredContent: {
      error: {
        code: error.code,
        message: error.message,
        ...(error.details ? { details: error.details } : {}),
        ...(retry === undefined ? {} : { retryAfterSeconds: retry }),
      },
    },
  }
}

/** `/title: must be string`, or a policy's `allowlist: …`: one line per detail a model can use. */
function detailLine(detail: unknown): string | undefined {
  if (detail === null || typeof detail !== 'object') return undefined
  const { pointer, rule, message } = detail as { pointer?: unknown; rule?: unknown; message?: unknown }
  if (typeof message !== 'string') return undefined
  if (typeof pointer === 'string') return `${pointer || '(the input)'}: ${message}`
  if (typeof rule === 'string') return `${rule}: ${message}`
  return undefined
}
