import type { Server } from '@modelcontextprotocol/sdk/server/index.js'
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js'
import { z } from 'zod'
import type { Approval } from '../agents/model.js'
import type { PolicyStore } from '../agents/policies.js'
import type { ConnectionAccess } from '../core/access.js'
import { ConnectionsError } from '../core/errors.js'
import type { Logger } from '../logger.js'
import type { ToolCaller, ToolConnection, ToolRunner } from '../tools/runner.js'
import { toolView } from '../tools/states.js'
import { approvalResult, doneResult, refusalResult } from './results.js'
import { mayName, sharedProviders, toolName } from './tool-names.js'

/** The parts of the SDK the agents' server uses, loaded on first use (an optional peer). */
export interface McpServerSdk {
  Server: typeof Server
  Protocol: typeof import('@modelcontextprotocol/sdk/shared/protocol.js').Protocol
  types: typeof import('@modelcontextprotocol/sdk/types.js')
}

let loading: Promise<McpServerSdk> | undefined

/** Loads `@modelcontextprotocol/sdk`'s server; rejects when the package is not installed. */
export function loadServerSdk(): Promise<McpServerSdk> {
  loading ??= Promise.all([
    import('@modelcontextprotocol/sdk/server/index.js'),
    import('@modelcontextprotocol/sdk/types.js'),
    import('@modelcontextprotocol/sdk/shared/protocol.js'),
  ]).then(([server, types, protocol]) => ({ Server: server.Server, Protocol: protocol.Protocol, types }))
  return loading
}

export interface AgentServerDeps {
  runner: ToolRunner
  policies: PolicyStore
  access: ConnectionAccess
  logger: Logger
  version: string
  /** The host's page for an approval, named in a pending call's result. */
  approvalUrl?: (approval: Approval) => string
}

/** A tool as one agent sees it over MCP: its unique name and where it runs. */
interface CatalogEntry {
  name: string
  found: ToolConnection
  slug: string
  tool: Tool
}

/** Where a name the agent calls runs: what the last list of its tools said. */
interface Target {
  connectionId: string
  slug: string
}

/** A server lent to one request; `release` once its transport is closed (`false`: it did not close). */
export interface ServerLease {
  server: Server
  release: (reusable: boolean) => void
}

/** Whose request a pooled server is answering, if any. */
interface RequestScope {
  caller: ToolCaller
  headerApprovalId: string | undefined
}

interface PooledServer {
  server: Server
  scope: RequestScope | undefined
}

const MAX_IDLE_SERVERS = 32

/** Only what routes a `tools/call` to its handler; the handler parses the rest once. */
const ANY_TOOL_CALL = z.looseObject({ method: z.literal('tools/call') })

/** How long an instance trusts what an agent's last list said a name is (the runner checks again). */
const NAMES_TTL_MS = 60_000
const MAX_AGENTS_NAMED = 1000

const APPROVAL_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const INSTRUCTIONS =
  'Tools of the accounts this agent may use, each named <provider>__<tool>. A refused call comes back as a ' +
  'tool error saying why. A call that needs a person’s approval comes back as a tool error naming the ' +
  'approval: once it is approved, call the same tool again with the same arguments and ' +
  '`_meta: { "approvalId": "<id>" }`.'

/**
 * The MCP server agents talk to (`/mcp`): `tools/list` is the enabled tools of every connection the
 * agent has a policy for; `tools/call` runs one through the same runner as
 * `POST /connections/:id/tools/:slug/run` (validation, policy, rate limits, approvals, audit).
 * Refusals and pending approvals are tool results with `isError`, which a model can read; only what
 * the caller cannot fix (a name no tool has, an internal failure) is a JSON-RPC error.
 */
export class AgentServer {
  /** Per owner and agent: the names of its last listed tools (a call then reads no list). */
  private readonly names = new Map<string, { at: number; targets: Map<string, Target> }>()
  private readonly idle: PooledServer[] = []

  constructor(private readonly deps: AgentServerDeps) {}

  /**
   * A low-level SDK Server for one request of `caller` (stateless: nothing outlives the request, so
   * any instance can answer the next one); `headerApprovalId` is the request's `x-approval-id`.
   * Servers are kept for the next request once `release`d (after their transport closed): building
   * one costs more than many a tool run.
   */
  async lease(caller: ToolCaller, headerApprovalId: string | undefined): Promise<ServerLease> {
    const pooled = this.idle.pop() ?? (await this.newServer())
    pooled.scope = { caller, headerApprovalId }
    return {
      server: pooled.server,
      release: (reusable) => {
        pooled.scope = undefined
        if (reusable && this.idle.length < MAX_IDLE_SERVERS) this.idle.push(pooled)
      },
    }
  }

  private async newServer(): Promise<PooledServer> {
    const sdk = await loadServerSdk()
    const { ListToolsRequestSchema, CallToolRequestSchema, McpError, ErrorCode } = sdk.types
    const server = new sdk.Server(
      { name: 'express-connections', version: this.deps.version },
      { capabilities: { tools: { listChanged: false } }, instructions: INSTRUCTIONS },
    )
    const pooled: PooledServer = { server, scope: undefined }
    const scope = (): RequestScope => {
      if (!pooled.scope) throw new McpError(ErrorCode.InternalError, 'Something went wrong.')
      return pooled.scope
    }
    server.setRequestHandler(ListToolsRequestSchema, async () => ({
      tools: (await this.catalog(scope().caller)).map((entry) => entry.tool),
    }))
    // Registered past Server's own tools/call wrapper, which parses the request twice more and the
    // result once: the message is parsed once here, and results.ts builds only valid results.
    sdk.Protocol.prototype.setRequestHandler.call(server, ANY_TOOL_CALL, async (request) => {
      // A refused request: the SDK answers its schema's complaint with -32603, as it did before.
      const { params } = CallToolRequestSchema.parse(request)
      const { caller, headerApprovalId } = scope()
      const approvalId = params._meta?.approvalId ?? headerApprovalId
      try {
        const result = await this.call(caller, params.name, params.arguments ?? {}, approvalId)
        if (result) return result
      } catch (error) {
        if (error instanceof ConnectionsError && error.expose) return refusalResult(error)
        this.deps.logger.error('express-connections: an MCP tool call failed', {
          error: error instanceof Error ? error.name : typeof error,
        })
        throw new McpError(ErrorCode.InternalError, 'Something went wrong.')
      }
      throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${params.name}`)
    })
    return pooled
  }

  /**
   * Runs the tool `name` names, found from the agent's last list when this instance has it (the
   * runner checks the policy, the tool and the input again either way), else from a fresh one;
   * undefined when no tool of the agent has that name.
   */
  private async call(
    caller: ToolCaller,
    name: string,
    input: Record<string, unknown>,
    approvalId: unknown,
  ): Promise<CallToolResult | undefined> {
    if (approvalId !== undefined && (typeof approvalId !== 'string' || !APPROVAL_ID.test(approvalId))) {
      throw new ConnectionsError('invalid_request', '_meta.approvalId must be an approval id (a UUID).')
    }
    const known = this.remembered(caller, name)
    if (known) {
      try {
        return await this.run(caller, name, known, input, approvalId)
      } catch (error) {
        // Gone since the list (connection, policy or tool): nothing was sent; look again.
        if (!(error instanceof ConnectionsError && error.code === 'not_found')) throw error
      }
    }
    const entry = (await this.catalog(caller, name)).find((e) => e.name === name)
    if (!entry) return undefined
    return this.run(
      caller,
      name,
      { connectionId: entry.found.record.id, slug: entry.slug },
      input,
      approvalId,
    )
  }

  private async run(
    caller: ToolCaller,
    name: string,
    { connectionId, slug }: Target,
    input: Record<string, unknown>,
    approvalId: string | undefined,
  ): Promise<CallToolResult> {
    const result = await this.deps.runner.run(caller, connectionId, slug, input, approvalId)
    if (result.outcome !== 'pending') return doneResult(result.output)
    return approvalResult(name, result.approval, this.approvalPage(result.approval))
  }

  /** The host's page for the approval, when it gives one that is an http(s) URL; never fails the call. */
  private approvalPage(approval: Approval): string | undefined {
    if (!this.deps.approvalUrl) return undefined
    try {
      const url = new URL(this.deps.approvalUrl({ ...approval }))
      if (url.protocol === 'https:' || url.protocol === 'http:') return url.href
    } catch {
      // Reported below, without the value (a host's URL may carry a token).
    }
    this.deps.logger.error('express-connections: mcp.approvalUrl must return an absolute http(s) URL.')
    return undefined
  }

  private remembered(caller: ToolCaller, name: string): Target | undefined {
    const named = this.names.get(agentKey(caller))
    if (!named || Date.now() - named.at > NAMES_TTL_MS) return undefined
    return named.targets.get(name)
  }

  private remember(caller: ToolCaller, entries: CatalogEntry[], complete: boolean): void {
    const key = agentKey(caller)
    const known = complete ? undefined : this.names.get(key)
    const targets = new Map(known && Date.now() - known.at <= NAMES_TTL_MS ? known.targets : [])
    for (const e of entries) targets.set(e.name, { connectionId: e.found.record.id, slug: e.slug })
    this.names.delete(key)
    this.names.set(key, { at: Date.now(), targets })
    const oldest = this.names.keys().next().value
    if (this.names.size > MAX_AGENTS_NAMED && oldest !== undefined) this.names.delete(oldest)
  }

  /**
   * The agent's tools, in policy order; with `only`, just the connections whose provider could give
   * that name (a call reads no more connections than it must).
   */
  private async catalog(caller: ToolCaller, only?: string): Promise<CatalogEntry[]> {
    const connections = await this.connections(caller)
    const shared = sharedProviders(connections.map((c) => c.record))
    const entries: CatalogEntry[] = []
    for (const found of connections) {
      const { record } = found
      if (only !== undefined && !mayName(record, only)) continue
      const tools = await this.visible(caller, found)
      for (const tool of tools) {
        const name = toolName(record, tool.definition.slug, shared.has(record.provider))
        entries.push({
          name,
          found,
          slug: tool.definition.slug,
          tool: mcpTool(name, toolView(record, tool, 'agent')),
        })
      }
    }
    this.remember(caller, entries, only === undefined)
    return entries
  }

  /** The agent's bound, usable connections with their policies (deleted or revoked ones left out). */
  private async connections(caller: ToolCaller): Promise<ToolConnection[]> {
    const agent = caller.agent
    if (!agent) return []
    const policies = await this.deps.policies.list(caller.owner, { agentId: agent.id })
    const found = await Promise.all(
      policies.map(async (policy): Promise<ToolConnection | undefined> => {
        const record = await this.deps.access
          .getRecord(caller.owner, policy.connectionId)
          .catch(ignoreMissing)
        return record && record.status !== 'revoked' ? { record, policy } : undefined
      }),
    )
    return found.filter((f): f is ToolConnection => f !== undefined)
  }

  /** The connection's tools the agent sees; none when the host's `authorize` refuses the connection. */
  private async visible(caller: ToolCaller, found: ToolConnection) {
    try {
      await caller.allow(found.record)
    } catch (error) {
      if (error instanceof ConnectionsError && error.code === 'forbidden') return []
      throw error
    }
    return this.deps.runner.visibleTools(caller, found)
  }
}

const agentKey = (caller: ToolCaller) => `${caller.owner}\n${caller.agent?.id ?? ''}`

function ignoreMissing(error: unknown): undefined {
  if (error instanceof ConnectionsError && error.code === 'not_found') return undefined
  throw error
}

type ToolView = ReturnType<typeof toolView>

/** A tool as MCP lists it: the merged schema as its input, its annotations as hints. */
function mcpTool(name: string, view: ToolView): Tool {
  const { readOnly, destructive, idempotent } = view.annotations
  const outputSchema = outputSchemaOf(view.responseFieldMap)
  return {
    name,
    title: view.displayName,
    description: view.description,
    inputSchema: view.mergedInputPreview as Tool['inputSchema'],
    ...(outputSchema ? { outputSchema } : {}),
    annotations: {
      title: view.displayName,
      readOnlyHint: readOnly,
      // MCP reads a missing destructiveHint on a write as destructive: say so either way.
      destructiveHint: readOnly ? false : destructive === true,
      ...(idempotent === undefined ? {} : { idempotentHint: idempotent }),
      openWorldHint: true,
    },
    _meta: { connectionId: view.connectionId, toolPath: view.toolPath },
  }
}

/**
 * The shape of the output when the tool maps its response to an object: its keys. Their types are
 * left open, because a provider's response is not checked against its documented schema and a client
 * that validates `structuredContent` would otherwise refuse a real answer.
 */
function outputSchemaOf(map: Record<string, string>): Tool['outputSchema'] {
  const keys = Object.keys(map)
  if (keys.length === 0 || keys.some((key) => key.startsWith('[]'))) return undefined
  const top = [...new Set(keys.map((key) => key.split('.')[0]?.replace(/\[\]$/, '') ?? key))]
  return { type: 'object', properties: Object.fromEntries(top.map((key) => [key, {}])) }
}
