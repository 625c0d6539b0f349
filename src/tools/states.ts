import { randomUUID } from 'node:crypto'
import { ConnectionsError } from '../core/errors.js'
import type { ConnectionRecord } from '../core/model.js'
import type { Keyring } from '../crypto/keyring.js'
import type { Lock } from '../locks/lock.js'
import type { JsonSchema, JsonValue, ToolAnnotations, ToolDefinition } from '../providers/tool-definition.js'
import { keys } from '../storage/keys.js'
import type { SafeStore } from '../storage/safe-store.js'
import { staleFieldPaths } from './response.js'
import { toolSettingsAad } from './settings-seal.js'
import type { ToolsStatusBook, ToolsSummary } from './sync-status.js'
import { mergedInputSchema, staleInputFields, type ToolSettings } from './validate.js'

/** A tool of one connection, on the wire (AGENTS.md "Tools"): its definition and the owner's settings. */
export interface ToolState {
  id: string
  connectionId: string
  slug: string
  /** `<providerId>/<slug>`. */
  toolPath: string
  displayName: string
  description: string
  inputSchema: JsonSchema
  responseSchema: JsonSchema | null
  responseFieldMap: Record<string, string>
  annotations: ToolAnnotations
  isEnabled: boolean
  /** Values for fields the agent leaves out; an agent's view leaves out the pinned ones' values. */
  inputDefaults: Record<string, JsonValue>
  /** Fields the agent can neither see nor set: they always take their default. */
  pinnedFields: string[]
  defaultCount: number
  pinnedCount: number
  /** The schema the agent sees and its input is checked against: pinned fields removed, defaults shown. */
  mergedInputPreview: JsonSchema
  /** Defaults and pins naming fields the current input schema no longer has. */
  staleInputFields: string[]
  /** `responseFieldMap` paths the current response schema no longer has. */
  staleFieldPaths: string[]
  lastSeenAt: string
  createdAt: string
  updatedAt: string
}

/** The owner's settings of one tool on one connection, as stored. */
export interface StoredTool extends ToolSettings {
  id: string
  slug: string
  isEnabled: boolean
  lastSeenAt: string
  createdAt: string
  updatedAt: string
  /**
   * Set while the connection's provider no longer lists the tool: hidden and not runnable, but its
   * settings (pins above all) are kept, so a tool that comes back does not come back unrestricted.
   */
  goneSince: string | null
}

/** A listed tool of a connection: its current definition and the owner's settings. */
export interface ConnectionTool {
  definition: ToolDefinition
  stored: StoredTool
}

/** What PATCH /connections/:id/tools/:slug may change; absent fields stay. */
export interface ToolSettingsPatch {
  isEnabled?: boolean
  inputDefaults?: Record<string, JsonValue>
  pinnedFields?: string[]
}

export interface ToolStatesDeps {
  store: SafeStore
  lock: Lock
  keyring: Keyring
  status: ToolsStatusBook
  now: () => Date
  /**
   * The tools a connection has now: its provider's definitions, or (a remote MCP server) the snapshot
   * its last sync took.
   */
  definitions: (connection: ConnectionRef) => readonly ToolDefinition[] | Promise<readonly ToolDefinition[]>
  /** Whether the connection has tools at all, without reading them; default: a non-empty list. */
  hasTools?: (connection: ConnectionRef) => boolean
  /** Reads the tools upstream again before a sync (a remote MCP server); absent: nothing to read. */
  refresh?: (connection: ConnectionRecord) => Promise<void>
  /** Whether a list should sync first (no snapshot yet, or an old one); absent: never. */
  due?: (connection: ConnectionRecord) => Promise<boolean>
}

const PERMANENT = 0

/** Enough of a connection to know its tools. */
export type ConnectionRef = Pick<ConnectionRecord, 'id' | 'owner' | 'provider'>

/**
 * Per-connection tool state: every tool's settings of a connection in one sealed record (one read
 * per run), reconciled with the provider's current definitions. The definitions themselves are read
 * live, so a changed definition shows at once what it broke (`staleInputFields`, `staleFieldPaths`)
 * without the owner's settings being dropped. A sync adds new tools (enabled, no defaults), marks the
 * ones the provider no longer lists as gone, and stamps `lastSeenAt`; reads sync on their own when
 * the lists disagree.
 */
export class ToolStates {
  /** Syncs under way on this instance, by connection id: a list that finds one due joins it. */
  readonly #syncing = new Map<string, Promise<ConnectionTool[]>>()

  constructor(private readonly deps: ToolStatesDeps) {}

  /** Whether the connection's provider has tools at all (no tools: synced with an empty list). */
  hasTools(record: ConnectionRef): boolean {
    if (this.deps.hasTools) return this.deps.hasTools(record)
    const definitions = this.deps.definitions(record)
    return !(definitions instanceof Promise) && definitions.length > 0
  }

  /**
   * The connection's listed tools, in the provider's order. A source that reads its tools upstream is
   * synced first when it says so (lazily, instead of a schedule); if that sync fails, the last
   * snapshot stays in use and the status says `failed`.
   */
  async list(record: ConnectionRecord): Promise<ConnectionTool[]> {
    if (!this.hasTools(record)) return []
    if (this.deps.due && (await this.deps.due(record))) {
      const synced = await (this.#syncing.get(record.id) ?? this.sync(record)).catch(() => undefined)
      if (synced) return synced
    }
    const definitions = await this.deps.definitions(record)
    if (definitions.length === 0) return []
    let stored = await this.read(record)
    if (stored === undefined || !inStep(stored, definitions)) {
      stored = await this.reconcile(record, definitions, false)
    }
    return listed(stored, definitions)
  }

  /** One listed tool of the connection, or undefined. */
  async find(record: ConnectionRecord, slug: string): Promise<ConnectionTool | undefined> {
    return (await this.list(record)).find((tool) => tool.definition.slug === slug)
  }

  /** `POST /connections/:id/tools/sync`, and what a new or re-authorized connection gets. */
  sync(record: ConnectionRecord): Promise<ConnectionTool[]> {
    const syncing = this.syncNow(record).finally(() => {
      if (this.#syncing.get(record.id) === syncing) this.#syncing.delete(record.id)
    })
    this.#syncing.set(record.id, syncing)
    return syncing
  }

  private async syncNow(record: ConnectionRecord): Promise<ConnectionTool[]> {
    if (!this.hasTools(record)) return []
    await this.deps.status.set(record.owner, record.id, 'syncing')
    try {
      await this.deps.refresh?.(record)
      const definitions = await this.deps.definitions(record)
      const stored = await this.reconcile(record, definitions, true)
      await this.deps.status.set(record.owner, record.id, 'synced', this.deps.now().toISOString())
      return listed(stored, definitions)
    } catch (error) {
      await this.deps.status.set(record.owner, record.id, 'failed').catch(() => undefined)
      throw error
    }
  }

  /**
   * Changes one tool's settings under the connection's lock; `check` sees the result and throws to
   * refuse it (nothing is written). Undefined when the connection has no such tool.
   */
  async update(
    record: ConnectionRecord,
    slug: string,
    patch: ToolSettingsPatch,
    check: (definition: ToolDefinition, next: StoredTool) => void,
  ): Promise<ConnectionTool | undefined> {
    const definition = (await this.list(record)).find((t) => t.definition.slug === slug)?.definition
    if (!definition) return undefined
    return this.deps.lock.withLock(keys.connectionToolsLock(record.id), async () => {
      const tools = (await this.read(record)) ?? []
      const current = tools.find((t) => t.slug === slug && t.goneSince === null)
      if (!current) return undefined
      const next: StoredTool = {
        ...current,
        ...(patch.isEnabled === undefined ? {} : { isEnabled: patch.isEnabled }),
        ...(patch.inputDefaults === undefined ? {} : { inputDefaults: patch.inputDefaults }),
        ...(patch.pinnedFields === undefined ? {} : { pinnedFields: [...new Set(patch.pinnedFields)] }),
        updatedAt: this.deps.now().toISOString(),
      }
      check(definition, next)
      await this.write(
        record,
        tools.map((t) => (t === current ? next : t)),
      )
      return { definition, stored: next }
    })
  }

  /** The summary of each connection: one read of the owner's status key, only if one has tools. */
  async summaries(owner: string, records: readonly ConnectionRef[]): Promise<Map<string, ToolsSummary>> {
    const withTools = records.filter((r) => this.hasTools(r))
    const book = withTools.length > 0 ? await this.deps.status.read(owner) : {}
    return new Map(
      records.map((record) => [
        record.id,
        this.hasTools(record)
          ? (book[record.id] ?? { toolsStatus: 'pending', toolsSyncedAt: null })
          : { toolsStatus: 'synced', toolsSyncedAt: null },
      ]),
    )
  }

  private reconcile(
    record: ConnectionRecord,
    definitions: readonly ToolDefinition[],
    seen: boolean,
  ): Promise<StoredTool[]> {
    return this.deps.lock.withLock(keys.connectionToolsLock(record.id), async () => {
      const stored = (await this.read(record)) ?? []
      const at = this.deps.now().toISOString()
      const bySlug = new Map(stored.map((tool) => [tool.slug, tool]))
      const current = new Set(definitions.map((d) => d.slug))
      const next: StoredTool[] = definitions.map(({ slug }) => {
        const known = bySlug.get(slug)
        if (!known) return newTool(slug, at)
        return known.goneSince !== null || seen ? { ...known, goneSince: null, lastSeenAt: at } : known
      })
      for (const tool of stored) {
        if (!current.has(tool.slug)) next.push(tool.goneSince === null ? { ...tool, goneSince: at } : tool)
      }
      const changed = next.length !== stored.length || next.some((tool, i) => tool !== stored[i])
      if (changed) await this.write(record, next)
      return next
    })
  }

  private async read(record: ConnectionRecord): Promise<StoredTool[] | undefined> {
    const sealed = await this.deps.store.get<{ sealed: string }>(keys.connectionTools(record.id))
    if (sealed === undefined) return undefined
    try {
      return JSON.parse(this.deps.keyring.decrypt(sealed.sealed, aad(record))) as StoredTool[]
    } catch (cause) {
      // Fail closed: settings that do not open might have held pins; none is better than a guess.
      throw new ConnectionsError('internal_error', 'The tool settings of this connection do not open.', {
        cause,
      })
    }
  }

  private write(record: ConnectionRecord, tools: StoredTool[]): Promise<void> {
    const sealed = this.deps.keyring.encrypt(JSON.stringify(tools), aad(record))
    return this.deps.store.set(keys.connectionTools(record.id), { sealed }, PERMANENT)
  }
}

/**
 * A tool as its state is shown: to the owner whole; to an agent without the pinned fields' values
 * (it can neither see nor set them).
 */
export function toolView(
  record: ConnectionRecord,
  tool: ConnectionTool,
  audience: 'owner' | 'agent',
): ToolState {
  const { definition, stored } = tool
  const settings = { inputDefaults: stored.inputDefaults, pinnedFields: stored.pinnedFields }
  const pinned = new Set(stored.pinnedFields)
  const inputDefaults =
    audience === 'owner'
      ? stored.inputDefaults
      : Object.fromEntries(Object.entries(stored.inputDefaults).filter(([field]) => !pinned.has(field)))
  return {
    id: stored.id,
    connectionId: record.id,
    slug: definition.slug,
    toolPath: `${record.provider}/${definition.slug}`,
    displayName: definition.displayName,
    description: definition.description,
    inputSchema: definition.inputSchema,
    responseSchema: definition.responseSchema,
    responseFieldMap: definition.responseFieldMap,
    annotations: definition.annotations,
    isEnabled: stored.isEnabled,
    inputDefaults,
    pinnedFields: stored.pinnedFields,
    defaultCount: Object.keys(stored.inputDefaults).length,
    pinnedCount: stored.pinnedFields.length,
    mergedInputPreview: mergedInputSchema(definition, settings),
    staleInputFields: staleInputFields(definition, settings),
    staleFieldPaths: staleFieldPaths(definition),
    lastSeenAt: stored.lastSeenAt,
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt,
  }
}

function newTool(slug: string, at: string): StoredTool {
  return {
    id: randomUUID(),
    slug,
    isEnabled: true,
    inputDefaults: {},
    pinnedFields: [],
    lastSeenAt: at,
    createdAt: at,
    updatedAt: at,
    goneSince: null,
  }
}

/** Whether the stored list names exactly the current definitions as listed (nothing to reconcile). */
function inStep(stored: readonly StoredTool[], definitions: readonly ToolDefinition[]): boolean {
  const live = new Set(stored.filter((t) => t.goneSince === null).map((t) => t.slug))
  return live.size === definitions.length && definitions.every((d) => live.has(d.slug))
}

function listed(stored: readonly StoredTool[], definitions: readonly ToolDefinition[]): ConnectionTool[] {
  return definitions.flatMap((definition) => {
    const tool = stored.find((t) => t.slug === definition.slug && t.goneSince === null)
    return tool ? [{ definition, stored: tool }] : []
  })
}

function aad(record: ConnectionRecord): string {
  return toolSettingsAad(record.owner, record.id)
}
