import { connectionFacts } from '../agents/connection-facts.js'
import type { Gate } from '../agents/gate.js'
import type { Approval } from '../agents/model.js'
import type { CallContext, ConnectionAccess } from '../core/access.js'
import { ConnectionsError, notFound } from '../core/errors.js'
import type { ConnectionRecord } from '../core/model.js'
import type { ProviderRegistry } from '../core/provider-registry.js'
import { allowlisted } from '../policy/allowlist.js'
import type { HttpRequest, Policy } from '../policy/model.js'
import type { JsonValue, ToolDefinition } from '../providers/tool-definition.js'
import type { Provider } from '../providers/types.js'
import { type InputProblem, ToolInputError } from './problems.js'
import { type BuiltRequest, buildRequest } from './request.js'
import { checkSuccess, MAX_PROVIDER_MESSAGE, mapResponse } from './response.js'
import { invalidInput } from './settings.js'
import type { ConnectionTool, ToolStates } from './states.js'
import type { NamedToolTransport, ToolTransport } from './transport.js'
import { staleInputFields, type ToolSettings, type ToolValidator, validateToolInput } from './validate.js'

/**
 * Who runs a tool: the owner, and the agent acting for them (null for the owner's own request), with
 * the host's say. `allow` asks the host's `authorize` (action `tool`) about the connection, and throws
 * to refuse; for an agent it is asked only once its policy was found (an agent learns nothing of
 * connections it is not bound to).
 */
export interface ToolCaller {
  owner: string
  agent: { id: string; name: string } | null
  /** Who acted, for the audit entry. */
  actor: () => Promise<string>
  allow: (record: ConnectionRecord) => Promise<void>
}

/** The run's outcome: the output, or an approval the owner must give first (202). */
export type ToolRunResult =
  | { outcome: 'done'; output: JsonValue }
  | { outcome: 'pending'; approval: Approval }

/** The connection a caller named, and the agent's policy on it (none for the owner). */
export interface ToolConnection {
  record: ConnectionRecord
  policy: Policy | null
}

export interface ToolRunnerDeps {
  access: ConnectionAccess
  providers: ProviderRegistry
  states: ToolStates
  gate: Gate
  validator: ToolValidator
  transport: ToolTransport
  /** Tools run by name on the connection's server (remote MCP); absent: every tool is HTTP. */
  named?: NamedToolTransport
}

/**
 * One tool run (Model B): the connection (an agent's only if bound), the tool (known, enabled), the
 * input (defaults ⊕ input ⊕ pins, checked before anything is sent: 422 with JSON pointers), the
 * request, the gate (403, 429, or 202 with an approval bound to the slug and a digest of the merged
 * input), the call, the provider's verdict (502 `provider_error`) and the mapped output. The audit
 * entry names the slug and the decision's ids, never the input or the output.
 */
export class ToolRunner {
  constructor(private readonly deps: ToolRunnerDeps) {}

  /** The connection `ref` (an id, or a provider id naming one) names for this caller; 404 otherwise. */
  async connectionFor(caller: ToolCaller, ref: string): Promise<ToolConnection> {
    if (!caller.agent) {
      const record = await this.deps.access.resolve(caller.owner, ref)
      await caller.allow(record)
      return { record, policy: null }
    }
    const record = await this.resolveQuietly(caller.owner, ref)
    const policy = await this.deps.gate.policyFor({ owner: caller.owner, agent: caller.agent }, record)
    await caller.allow(record)
    return { record, policy }
  }

  /** The tools the caller sees: all for the owner; for an agent, the enabled ones its policy admits. */
  async visibleTools(caller: ToolCaller, found: ToolConnection): Promise<ConnectionTool[]> {
    const tools = await this.deps.states.list(found.record)
    return caller.agent ? tools.filter((tool) => visibleToAgent(found.policy, tool)) : tools
  }

  async run(
    caller: ToolCaller,
    ref: string,
    slug: string,
    input: unknown,
    approvalId?: string,
  ): Promise<ToolRunResult> {
    const found = await this.connectionFor(caller, ref)
    const { record, policy } = found
    if (record.status === 'revoked') throw new ConnectionsError('conflict', 'The connection was revoked.')
    const tool = await this.deps.states.find(record, slug)
    if (!tool || (caller.agent && !tool.stored.isEnabled)) throw notFound(`The tool "${slug}"`)
    if (!tool.stored.isEnabled) throw new ConnectionsError('conflict', `The tool "${slug}" is disabled.`)
    const provider = this.providerOf(record)
    const agent = caller.agent
    if (agent && policy && !admitted(policy, slug)) {
      // Refused by the gate, with its audit entry, before the input is looked at.
      await this.admit(agent, found, provider, tool, null, {}, approvalId)
    }
    const { definition } = tool
    const stalePins = staleInputFields(definition, tool.stored).filter((f) =>
      tool.stored.pinnedFields.includes(f),
    )
    if (stalePins.length > 0) {
      throw new ConnectionsError(
        'conflict',
        `The owner pinned fields this tool no longer has (${stalePins.join(', ')}): the tool's settings must be updated first.`,
      )
    }
    const checked = validateToolInput(this.deps.validator, definition, effectiveSettings(tool), input)
    if (!checked.ok) throw invalidInput('The input does not fit the tool’s input schema.', checked.errors)
    const named = this.deps.named?.handles(record, slug) ? this.deps.named : undefined
    const built = named ? null : buildOrRefuse(() => buildRequest(definition, checked.input))
    let decided: Pick<CallContext, 'agentId' | 'policyId' | 'approvalId'> = {}
    if (agent && policy) {
      const admission = await this.admit(agent, found, provider, tool, built, checked.input, approvalId)
      if (admission.outcome === 'pending') return { outcome: 'pending', approval: admission.approval }
      decided = {
        agentId: agent.id,
        policyId: admission.policy.id,
        ...(admission.approvalId ? { approvalId: admission.approvalId } : {}),
      }
    }
    const context: CallContext = {
      actor: await caller.actor(),
      action: 'tool',
      target: `tool ${slug}`,
      ...decided,
    }
    if (!built) {
      const result = await (named as NamedToolTransport).call(record, slug, checked.input, context)
      // The tool's own failure, in its words, as the same 502 a preset tool's failure is.
      if (result.isError) {
        const said = providerMessage(result.output) ?? JSON.stringify(result.output)
        throw providerFailed(provider, 200, said, true)
      }
      return { outcome: 'done', output: this.output(provider, definition, result.output) }
    }
    const response = await this.deps.transport.send(record, built, context)
    const failure =
      response.status >= 400
        ? (providerMessage(response.body) ?? '')
        : checkSuccess(definition, response.body)
    if (response.status >= 400 || failure !== null) throw providerFailed(provider, response.status, failure)
    return { outcome: 'done', output: this.output(provider, definition, response.body) }
  }

  /**
   * The answer checked against the tool's response schema, then mapped: an answer in another shape
   * (the provider's API changed) is a 502 naming where, never a half-mapped output.
   */
  private output(provider: Provider, definition: ToolDefinition, body: JsonValue): JsonValue {
    if (definition.responseSchema) {
      const verdict = this.deps.validator.check(definition.responseSchema, body, { limits: false })
      if (!verdict.ok) throw unexpectedShape(provider, verdict.errors)
    }
    return mapResponse(definition, body)
  }

  private admit(
    agent: { id: string; name: string },
    { record, policy }: ToolConnection,
    provider: Provider,
    { definition }: ConnectionTool,
    built: BuiltRequest | null,
    merged: Record<string, JsonValue>,
    approvalId: string | undefined,
  ) {
    return this.deps.gate.admit(
      { owner: record.owner, agent },
      record,
      {
        call: {
          model: 'B',
          kind: 'tool',
          tool: definition.slug,
          annotations: definition.annotations,
          request: built && httpRequestOf(built),
          connection: connectionFacts(provider, record),
        },
        // The approval covers this tool with exactly this merged input (pins and defaults included).
        method: 'TOOL',
        target: definition.slug,
        body: { json: merged },
        request: {
          method: built?.method ?? 'TOOL',
          tool: definition.slug,
          summary: `${definition.displayName} (${record.provider}/${definition.slug})`,
        },
      },
      { approvalId, policy: policy ?? undefined },
    )
  }

  private async resolveQuietly(owner: string, ref: string): Promise<ConnectionRecord> {
    try {
      return await this.deps.access.resolve(owner, ref)
    } catch (error) {
      // One answer for every miss: "two of them" (with their ids) would tell the agent of connections
      // it is not bound to.
      if (error instanceof ConnectionsError && (error.code === 'conflict' || error.code === 'not_found'))
        throw notFound('Connection')
      throw error
    }
  }

  private providerOf(record: ConnectionRecord): Provider {
    return (
      this.deps.providers.forConnection(record) ?? this.deps.providers.require(record.provider, record.owner)
    )
  }
}

/** An agent sees a tool when it is enabled and its policy's allowlist (if any) admits it. */
export function visibleToAgent(policy: Policy | null, tool: ConnectionTool): boolean {
  return tool.stored.isEnabled && (policy === null || admitted(policy, tool.definition.slug))
}

function admitted(policy: Policy, slug: string): boolean {
  return allowlisted(policy.allowlists, { tool: slug })
}

/** Defaults naming fields the tool no longer has are left out (a stale pin refuses the run instead). */
function effectiveSettings({ definition, stored }: ConnectionTool): ToolSettings {
  const stale = new Set(staleInputFields(definition, stored))
  if (stale.size === 0) return stored
  return {
    inputDefaults: Object.fromEntries(Object.entries(stored.inputDefaults).filter(([f]) => !stale.has(f))),
    pinnedFields: stored.pinnedFields,
  }
}

function buildOrRefuse(build: () => BuiltRequest): BuiltRequest {
  try {
    return build()
  } catch (error) {
    if (error instanceof ToolInputError)
      throw invalidInput('The input cannot make this tool’s request.', error.problems)
    throw error
  }
}

/** The request as the policy's constraints read it: the body exactly as it will be sent. */
function httpRequestOf(built: BuiltRequest): HttpRequest {
  const { method, path, query, body, contentType } = built
  return { method, path, query, body, contentType }
}

/** A provider's own words on a failure, when its body carries some (capped when thrown). */
function providerMessage(body: JsonValue): string | null {
  if (typeof body === 'string') return body
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return null
  for (const key of ['message', 'error_description', 'error', 'description']) {
    const value = body[key]
    if (typeof value === 'string') return value
    if (value && typeof value === 'object' && !Array.isArray(value) && typeof value.message === 'string')
      return value.message
  }
  return null
}

function providerFailed(
  provider: Provider,
  status: number,
  message: string | null,
  isError = false,
): ConnectionsError {
  const said = (message ?? '').replace(/\s+/g, ' ').trim().slice(0, MAX_PROVIDER_MESSAGE)
  const what = isError
    ? `${provider.name}'s tool reported a failure`
    : `${provider.name} did not run the tool (HTTP ${status})`
  return new ConnectionsError('provider_error', `${what}${said ? `: ${said}` : '.'}`, {
    details: [{ status, ...(isError ? { isError } : {}), ...(said ? { message: said } : {}) }],
  })
}

function unexpectedShape(provider: Provider, problems: InputProblem[]): ConnectionsError {
  return new ConnectionsError(
    'provider_error',
    `${provider.name} answered in a shape the tool does not expect (its API may have changed).`,
    { details: problems.slice(0, 5).map(({ pointer, message }) => ({ pointer, message })) },
  )
}
