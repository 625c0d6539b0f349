import type { CallContext, ConnectionAccess } from '../core/access.js'
import { ConnectionsError } from '../core/errors.js'
import type { ConnectionRecord } from '../core/model.js'
import type { JsonValue } from '../providers/tool-definition.js'
import type { BuiltRequest } from './request.js'

/** A provider's answer to a tool's request: the status and the body (JSON, or the text when it is not). */
export interface ToolResponse {
  status: number
  body: JsonValue
}

/**
 * How a tool's request reaches the provider: over HTTP with the connection's credential here, over an
 * MCP client for a remote MCP server. Audits the call with `context` (action `tool`).
 */
export interface ToolTransport {
  send(record: ConnectionRecord, built: BuiltRequest, context: CallContext): Promise<ToolResponse>
}

/** The largest answer a tool reads (1 MiB): a tool's output goes to a model, not to a download. */
export const MAX_TOOL_RESPONSE_BYTES = 1024 * 1024

/**
 * Tools over the connection's API: `ConnectionAccess.call` adds the credential, refreshes and retries
 * once on a 401 (as the proxy does) and audits; the answer is read up to a cap.
 */
export class HttpToolTransport implements ToolTransport {
  constructor(
    private readonly access: ConnectionAccess,
    private readonly maxBytes = MAX_TOOL_RESPONSE_BYTES,
  ) {}

  async send(record: ConnectionRecord, built: BuiltRequest, context: CallContext): Promise<ToolResponse> {
    const headers = new Headers(built.headers)
    if (built.contentType) headers.set('content-type', built.contentType)
    if (!headers.has('accept')) headers.set('accept', 'application/json')
    const query = built.query.replace(/^\?/, '')
    const response = await this.access.call(
      record,
      query ? `${built.path}?${query}` : built.path,
      { method: built.method, headers, body: built.body },
      context,
    )
    const text = await readCapped(response, this.maxBytes)
    return { status: response.status, body: parsed(text) }
  }
}

async function readCapped(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return ''
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined)
      throw new ConnectionsError('provider_error', `The provider's answer is larger than ${maxBytes} bytes.`)
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks).toString('utf8')
}

function parsed(text: string): JsonValue {
  if (text.trim() === '') return null
  try {
    return JSON.parse(text) as JsonValue
  } catch {
    return text
  }
}
