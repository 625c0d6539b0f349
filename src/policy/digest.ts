import { createHash } from 'node:crypto'
import { canonicalJson } from '../crypto/canonical-json.js'

/** A body to digest: the raw bytes sent (proxy), a tool's input as JSON (key order does not matter), or none. */
export type DigestBody = Uint8Array | { json: unknown } | null | undefined

/**
 * The SHA-256 (hex) of what an approval covers: connection, agent, method (case-insensitive), target
 * (the path and query as sent, or the tool's slug) and body, over canonical JSON. An empty body is
 * no body (body parsers disagree on which one a bodiless request has). An approval is spent
 * only by a call with the same digest, so changing any of them needs a new approval.
 *
 * @example requestDigest(connection.id, agent.id, 'POST', '/sendMessage', rawBody)
 * @example requestDigest(connection.id, agent.id, 'TOOL', 'create_issue', { json: input })
 */
export function requestDigest(
  connectionId: string,
  agentId: string,
  method: string,
  target: string,
  body: DigestBody,
): string {
  const bodyDigest =
    body instanceof Uint8Array
      ? body.length > 0
        ? { bytes: sha256(body) }
        : null
      : body
        ? { json: sha256(Buffer.from(canonicalJson(body.json), 'utf8')) }
        : null
  const document = { v: 1, connectionId, agentId, method: method.toUpperCase(), target, body: bodyDigest }
  return sha256(Buffer.from(canonicalJson(document), 'utf8'))
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}
