import type { Gate } from './agents/gate.js'
import type { ConnectionAccess } from './core/access.js'
import type { ConnectionsEvent } from './core/events.js'
import type { ProviderRegistry } from './core/provider-registry.js'
import type { Keyring } from './crypto/keyring.js'
import type { Lock } from './locks/lock.js'
import type { Logger } from './logger.js'
import type { ToolDefinition } from './providers/tool-definition.js'
import type { Provider } from './providers/types.js'
import type { SafeStore } from './storage/safe-store.js'
import { checkToolDefinitions } from './tools/definition-check.js'
import { ToolRunner } from './tools/runner.js'
import { ToolStates } from './tools/states.js'
import { ToolsStatusBook } from './tools/sync-status.js'
import { HttpToolTransport } from './tools/transport.js'
import { ToolValidator } from './tools/validate.js'

export interface ToolLayerDeps {
  store: SafeStore
  lock: Lock
  keyring: Keyring
  access: ConnectionAccess
  providers: ProviderRegistry
  gate: Gate
  logger: Logger
  now: () => Date
}

/** The tool engine, wired: states over the store, the runner over access and the gate. */
export function buildToolLayer(deps: ToolLayerDeps) {
  const states = new ToolStates({
    store: deps.store,
    lock: deps.lock,
    keyring: deps.keyring,
    status: new ToolsStatusBook(deps.store, deps.lock),
    now: deps.now,
    definitions: (record) => deps.providers.get(record.provider, record.owner)?.tools ?? [],
  })
  const validator = new ToolValidator()
  const runner = new ToolRunner({
    access: deps.access,
    providers: deps.providers,
    states,
    gate: deps.gate,
    validator,
    transport: new HttpToolTransport(deps.access),
  })
  /** A new or re-authorized connection gets its tools synced (status `syncing`, then `synced`). */
  const onEvent = (event: ConnectionsEvent): void => {
    if (event.type !== 'connection.created' && event.type !== 'connection.reauthorized') return
    const { owner, connection } = event
    if ((deps.providers.get(connection.provider, owner)?.tools.length ?? 0) === 0) return
    Promise.resolve()
      .then(() => deps.access.getRecord(owner, connection.id))
      .then((record) => states.sync(record))
      .catch((error: unknown) => {
        deps.logger.warn('express-connections: syncing a connection’s tools failed', {
          connectionId: connection.id,
          error: error instanceof Error ? error.name : typeof error,
        })
      })
  }
  return { states, runner, validator, onEvent }
}

// Definitions are module constants shared by every router a process builds (tests build hundreds):
// each is compiled and checked once per provider id, not once per router.
const checkedTools = new WeakMap<ToolDefinition, Map<string, string[]>>()

/**
 * Fails fast on a provider whose tools are not valid data (a slug twice, a schema that does not
 * compile, a path placeholder no input field fills): a TypeError naming the provider and the tool.
 */
export function assertValidTools(providers: readonly Provider[]): void {
  const problems = providers.flatMap((provider) => {
    const slugs = provider.tools.map((tool) => tool?.slug)
    const twice = slugs.filter((slug, at) => slugs.indexOf(slug) !== at)
    return [
      ...toolProblems(provider.id, provider.tools),
      ...twice.map((slug) => `${provider.id}/${slug}: the slug is used by another tool of ${provider.id}`),
    ]
  })
  if (problems.length > 0) {
    throw new TypeError(`createConnectionsRouter: invalid tool definitions: ${problems.join('; ')}`)
  }
}

/** The problems of each tool, checked together (one compile cache) the first time, then remembered. */
function toolProblems(providerId: string, tools: readonly ToolDefinition[]): string[] {
  if (tools.some((tool) => typeof tool !== 'object' || tool === null))
    return checkToolDefinitions(providerId, tools)
  const known = (tool: ToolDefinition) => checkedTools.get(tool)?.get(providerId)
  // One of each slug: a duplicate is reported above, never remembered as a tool's own problem.
  const fresh = tools.filter(
    (tool, at) => !known(tool) && tools.findIndex((t) => t.slug === tool.slug) === at,
  )
  let unattributed: string[] = []
  if (fresh.length > 0) {
    const found = checkToolDefinitions(providerId, fresh)
    unattributed = found.filter(
      (problem) => !fresh.some((t) => problem.startsWith(`${providerId}/${t.slug}:`)),
    )
    for (const tool of fresh) {
      const own = found.filter((problem) => problem.startsWith(`${providerId}/${tool.slug}:`))
      const byProvider = checkedTools.get(tool) ?? new Map<string, string[]>()
      checkedTools.set(tool, byProvider.set(providerId, own))
    }
  }
  return [...unattributed, ...new Set(tools.flatMap((tool) => known(tool) ?? []))]
}
