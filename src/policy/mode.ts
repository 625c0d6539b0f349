import { matchesHttp } from './allowlist.js'
import type { AgentCall } from './model.js'

/**
 * Whether the call only reads. Model A: the token's every granted scope is one the preset declares
 * read-only (no scopes at all, as for a bot token or an API key, says nothing, so it is not a read).
 * HTTP: GET or HEAD, unless the API runs anything by GET (`readsOnlyDeclared`), or an endpoint the
 * preset declares as a read. Tools: annotated `readOnly` and not `destructive`.
 */
export function isRead(call: AgentCall): boolean {
  const { connection } = call
  if (call.model === 'A') {
    const scopes = connection.grantedScopes
    return scopes.length > 0 && scopes.every((scope) => connection.readOnlyScopes.includes(scope))
  }
  if (call.kind === 'tool') return call.annotations.readOnly === true && call.annotations.destructive !== true
  const { method, path } = call.request
  if (connection.reads.some((read) => matchesHttp(read, method, path))) return true
  return !connection.readsOnlyDeclared && ['GET', 'HEAD'].includes(method.toUpperCase())
}

/** Whether the call destroys something: an HTTP DELETE, or a tool annotated `destructive`. */
export function isDestructive(call: AgentCall): boolean {
  if (call.model === 'A') return false
  if (call.kind === 'tool') return call.annotations.destructive === true
  return call.request.method.toUpperCase() === 'DELETE'
}
