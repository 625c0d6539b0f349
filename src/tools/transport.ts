import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib'
import type { CallContext, ConnectionAccess, Upstream } from '../core/access.js'
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

/** What a tool run by name answered: its output, and whether the tool itself reported a failure. */
export interface NamedToolResult {
  output: JsonValue
  isError: boolean
}

/**
 * Tools a connection's server runs by name (a remote MCP server's `tools/call`) instead of by an HTTP
 * request built from the definition. Implemented outside tools/ (mcp/) and injected.
 */
export interface NamedToolTransport {
  /** Whether the connection's tool `slug` is called by name (no request is built for it). */
  handles(record: ConnectionRecord, slug: string): boolean
  /** Calls it with the merged input; audits the call with `context` (action `tool`). */
  call(
    record: ConnectionRecord,
    slug: string,
    input: Record<string, JsonValue>,
    context: CallContext,
  ): Promise<NamedToolResult>
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
    const upstream = await this.access.callForRelay(
      record,
      query ? `${built.path}?${query}` : built.path,
      { method: built.method, headers, body: built.body },
      context,
    )
    const text = await readCapped(upstream, this.maxBytes)
    return { status: upstream.status, body: parsed(text) }
  }
}

/**
 * The answer's body as text, at most `maxBytes` (read or decoded). A body sent without a fetch in
 * between (`encoded`) keeps the provider's Content-Encoding: decoded here, under the same cap.
 */
async function readCapped(upstream: Upstream, maxBytes: number): Promise<string> {
  if (!upstream.body) return ''
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of upstream.body as AsyncIterable<Buffer>) {
    size += chunk.byteLength
    if (size > maxBytes) {
      upstream.body.destroy()
      throw tooLarge(maxBytes)
    }
    chunks.push(chunk)
  }
  const raw = Buffer.concat(chunks)
  const encoding = upstream.encoded
    ? (upstream.headers.get('content-encoding') ?? '').trim().toLowerCase()
    : ''
  if (encoding === '' || encoding === 'identity') return raw.toString('utf8')
  const decode = DECODERS[encoding]
  if (!decode)
    throw new ConnectionsError('provider_error', `The provider's answer is encoded as ${encoding}.`)
  try {
    return decode(raw, { maxOutputLength: maxBytes }).toString('utf8')
  } catch (error) {
    if (error instanceof RangeError) throw tooLarge(maxBytes)
    throw new ConnectionsError('provider_error', `The provider's ${encoding} answer could not be decoded.`)
  }
}

const DECODERS: Record<string, (raw: Buffer, options: { maxOutputLength: number }) => Buffer> = {
  gzip: gunzipSync,
  'x-gzip': gunzipSync,
  deflate: inflateSync,
  br: brotliDecompressSync,
}

function tooLarge(maxBytes: number): ConnectionsError {
  return new ConnectionsError('provider_error', `The provider's answer is larger than ${maxBytes} bytes.`)
}

function parsed(text: string): JsonValue {
  if (text.trim() === '') return null
  try {
    return JSON.parse(text) as JsonValue
  } catch {
    return text
  }
}
