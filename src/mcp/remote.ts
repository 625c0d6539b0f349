import type { CallContext, ConnectionAccess } from '../core/access.js'
import { ConnectionsError } from '../core/errors.js'
import type { ConnectionRecord } from '../core/model.js'
import type { ProviderRegistry } from '../core/provider-registry.js'
import type { JsonSchema, JsonValue } from '../providers/tool-definition.js'
import { parseBearerChallenge } from './discovery.js'

/** A tool as a remote MCP server lists it (`tools/list`), checked and capped. */
export interface RemoteTool {
  name: string
  title: string | null
  description: string
  inputSchema: JsonSchema
  outputSchema: JsonSchema | null
  annotations: { readOnly: boolean; destructive: boolean; idempotent: boolean; openWorld: boolean }
}

/** What a `tools/call` gave: `structuredContent` when the server sent it, else its text content. */
export interface RemoteToolResult {
  output: JsonValue
  /** The tool reported a failure (`isError`); `output` says what. */
  isError: boolean
}

export interface RemoteListing {
  tools: RemoteTool[]
  /** Tools left out, and why (a schema too large, a name that is not one). */
  skipped: Array<{ name: string; reason: string }>
}

/** Limits on what an untrusted server can make this one hold (DESIGN-AGENTS.md "Choices"). */
export const REMOTE_LIMITS = { pages: 50, tools: 500, schemaBytes: 64 * 1024, textBytes: 256 * 1024 }

const TOOL_NAME = /^[A-Za-z0-9_.-]{1,128}$/

/** How calls reach the server: `ConnectionAccess.call` (token, refresh and retry on 401, audit). */
export type RemoteAccess = Pick<ConnectionAccess, 'call'>

/** Where a connection's MCP server is: its URL (streamable HTTP); null when it is not an MCP one. */
export type ServerUrlOf = (record: ConnectionRecord) => string | null

/** The MCP server URL of a connection's provider (`providers.mcp`, any auth). */
export function mcpServerUrlOf(providers: Pick<ProviderRegistry, 'get'>): ServerUrlOf {
  return (record) => providers.get(record.provider, record.owner)?.mcp?.url ?? null
}

type Sdk = {
  Client: typeof import('@modelcontextprotocol/sdk/client/index.js').Client
  StreamableHTTPClientTransport: typeof import('@modelcontextprotocol/sdk/client/streamableHttp.js').StreamableHTTPClientTransport
}

/**
 * A connection's remote MCP server, through the SDK's client over streamable HTTP. Every HTTP request
 * the SDK makes goes through `ConnectionAccess.call`: the connection's token, refreshed and retried
 * once on a 401, audited with the caller's context. Each operation is one short session (initialize,
 * the request, close), so any instance can serve any call and a stateless server needs nothing kept.
 */
export class McpRemote {
  private sdk: Promise<Sdk> | undefined

  constructor(
    private readonly access: RemoteAccess,
    private readonly serverUrlOf: ServerUrlOf,
  ) {}

  /** `tools/list`, every page, as checked tools. */
  listTools(record: ConnectionRecord, context: CallContext): Promise<RemoteListing> {
    return this.session(record, context, async (client) => {
      const listing: RemoteListing = { tools: [], skipped: [] }
      let cursor: string | undefined
      for (let page = 0; page < REMOTE_LIMITS.pages; page++) {
        const answer = await client.listTools(cursor === undefined ? {} : { cursor })
        for (const tool of answer.tools) {
          if (listing.tools.length >= REMOTE_LIMITS.tools) {
            listing.skipped.push({ name: String(tool.name).slice(0, 128), reason: 'too many tools' })
            continue
          }
          const checked = checkedTool(tool)
          if ('reason' in checked) listing.skipped.push(checked)
          else listing.tools.push(checked)
        }
        cursor = answer.nextCursor
        if (!cursor) return listing
      }
      throw new ConnectionsError('provider_error', 'The MCP server listed more pages of tools than are read.')
    })
  }

  /** `tools/call` with the given arguments. */
  callTool(
    record: ConnectionRecord,
    name: string,
    args: Record<string, unknown>,
    context: CallContext,
  ): Promise<RemoteToolResult> {
    return this.session(record, context, async (client) => {
      const result = await client.callTool({ name, arguments: args })
      return resultOf(result)
    })
  }

  private async session<T>(
    record: ConnectionRecord,
    context: CallContext,
    work: (client: InstanceType<Sdk['Client']>) => Promise<T>,
  ): Promise<T> {
    const url = this.serverUrlOf(record)
    if (!url) throw new ConnectionsError('invalid_request', 'This connection is not to an MCP server.')
    const { Client, StreamableHTTPClientTransport } = await this.loadSdk()
    const server = new URL(url)
    // What the server said before the SDK turned it into an error of its own.
    let refusal: ConnectionsError | undefined
    const transport = new StreamableHTTPClientTransport(server, {
      fetch: async (target, init = {}) => {
        const { method, headers, body, signal } = init
        const request = { method, headers, body, ...(signal ? { signal } : {}) }
        const response = await this.access.call(record, pathWithin(server, target), request, context)
        refusal = refusalOf(response) ?? refusal
        return response
      },
    })
    const client = new Client({ name: 'express-connections', version: '1' })
    try {
      await client.connect(transport)
      return await work(client)
    } catch (error) {
      if (error instanceof ConnectionsError) throw error
      if (refusal) throw refusal
      throw new ConnectionsError('provider_error', `The MCP server failed: ${messageOf(error)}`, {
        cause: error,
      })
    } finally {
      // A stateful server keeps the session until told (MCP "Session Management"); a stateless one
      // has none to end.
      if (transport.sessionId) await transport.terminateSession().catch(() => undefined)
      await client.close().catch(() => undefined)
    }
  }

  private loadSdk(): Promise<Sdk> {
    this.sdk ??= Promise.all([
      import('@modelcontextprotocol/sdk/client/index.js'),
      import('@modelcontextprotocol/sdk/client/streamableHttp.js'),
    ]).then(
      ([client, http]) => ({
        Client: client.Client,
        StreamableHTTPClientTransport: http.StreamableHTTPClientTransport,
      }),
      (cause: unknown) => {
        this.sdk = undefined
        throw new ConnectionsError(
          'internal_error',
          'Remote MCP servers need the optional peer @modelcontextprotocol/sdk: install it.',
          { cause },
        )
      },
    )
    return this.sdk
  }
}

/**
 * The part of `target` after the directory of the server's URL: `access.call` resolves it against
 * the provider's API base (that directory), so every request stays on the server's own path.
 */
function pathWithin(server: URL, target: string | URL): string {
  const url = new URL(target)
  const base = new URL('.', server)
  if (url.origin !== server.origin || !url.pathname.startsWith(base.pathname)) {
    throw new ConnectionsError('provider_error', 'The MCP client tried to leave the server’s URL.')
  }
  return `${url.pathname.slice(base.pathname.length)}${url.search}`
}

/**
 * A 401 that survived the refresh (the grant is gone or the token is for another resource), or a 403
 * asking for more scope (RFC 6750 §3.1 `insufficient_scope`): the connection needs a reauthorization,
 * with the scopes the server named (`POST /connections/:id/reauth { scopes }`).
 */
function refusalOf(response: Response): ConnectionsError | undefined {
  if (response.status !== 401 && response.status !== 403) return undefined
  const challenge = parseBearerChallenge(response.headers.get('www-authenticate'))
  if (response.status === 403 && challenge?.error === 'insufficient_scope') {
    const scopes = challenge.scope ?? []
    return new ConnectionsError(
      'forbidden',
      `The MCP server needs more scope${scopes.length ? ` (${scopes.join(' ')})` : ''}: reauthorize the connection with it.`,
      { details: [{ code: 'insufficient_scope', scopes }] },
    )
  }
  if (response.status === 401) {
    return new ConnectionsError(
      'provider_error',
      'The MCP server refused the connection’s token; reauthorize it.',
    )
  }
  return undefined
}

function checkedTool(tool: Record<string, unknown>): RemoteTool | { name: string; reason: string } {
  const name = typeof tool.name === 'string' ? tool.name : ''
  if (!TOOL_NAME.test(name)) return { name: name.slice(0, 128), reason: 'not a usable tool name' }
  const inputSchema = tool.inputSchema
  const outputSchema = tool.outputSchema ?? null
  if (!isObject(inputSchema) || (outputSchema !== null && !isObject(outputSchema))) {
    return { name, reason: 'schema is not an object' }
  }
  if (JSON.stringify([inputSchema, outputSchema]).length > REMOTE_LIMITS.schemaBytes) {
    return { name, reason: `schemas larger than ${REMOTE_LIMITS.schemaBytes} bytes` }
  }
  const hints = isObject(tool.annotations) ? tool.annotations : {}
  return {
    name,
    title: typeof tool.title === 'string' ? tool.title.slice(0, 200) : null,
    description: typeof tool.description === 'string' ? tool.description.slice(0, 4000) : '',
    inputSchema: inputSchema as JsonSchema,
    outputSchema: outputSchema as JsonSchema | null,
    // MCP's defaults when a hint is absent (spec "ToolAnnotations"): not read-only, destructive, not
    // idempotent, open world.
    annotations: {
      readOnly: hints.readOnlyHint === true,
      destructive: hints.destructiveHint !== false,
      idempotent: hints.idempotentHint === true,
      openWorld: hints.openWorldHint !== false,
    },
  }
}

function resultOf(result: Record<string, unknown>): RemoteToolResult {
  const isError = result.isError === true
  if (isObject(result.structuredContent)) {
    return { output: result.structuredContent as JsonValue, isError }
  }
  const content = Array.isArray(result.content) ? result.content : []
  const text = content
    .filter((part): part is { type: 'text'; text: string } => isObject(part) && part.type === 'text')
    .map((part) => part.text)
    .join('\n')
  const others = content.length - content.filter((part) => isObject(part) && part.type === 'text').length
  const capped = text.length > REMOTE_LIMITS.textBytes ? `${text.slice(0, REMOTE_LIMITS.textBytes)}…` : text
  const output: JsonValue = others > 0 ? { text: capped, omittedContent: others } : capped
  return { output, isError }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.slice(0, 200)
}
