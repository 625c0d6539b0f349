import type { CallContext } from '../core/access.js'
import { ConnectionsError, notFound } from '../core/errors.js'
import type { ConnectionRecord } from '../core/model.js'
import type { Keyring } from '../crypto/keyring.js'
import type { JsonValue, ToolDefinition } from '../providers/tool-definition.js'
import { keys } from '../storage/keys.js'
import type { SafeStore } from '../storage/safe-store.js'
import type { NamedToolResult } from '../tools/transport.js'
import type { ToolValidator } from '../tools/validate.js'
import type { McpRemote, ServerUrlOf } from './remote.js'
import { type SnapshotTool, snapshotTools } from './tool-schemas.js'

/** A remote MCP server's tools as one sync read them; what lists and runs use until the next sync. */
export interface ToolSnapshot {
  takenAt: string
  tools: SnapshotTool[]
  /** Tools the server listed that are not offered (a schema that does not compile, too large…). */
  skipped: Array<{ name: string; reason: string }>
}

type Ref = Pick<ConnectionRecord, 'id' | 'owner' | 'provider'>

export interface McpToolSourceDeps {
  remote: Pick<McpRemote, 'listTools' | 'callTool'>
  serverUrlOf: ServerUrlOf
  store: SafeStore
  keyring: Keyring
  validator: ToolValidator
  now: () => Date
  /** A list older than this syncs first (default 15 min): MCP servers may change their tools. */
  maxAgeMs?: number
  /** Tools a sync left out (names and reasons, from the server: untrusted text). */
  onSkipped?: (record: Ref, skipped: ToolSnapshot['skipped']) => void
}

const PERMANENT = 0
/** How long a read snapshot is reused on this instance (another instance's sync shows after this). */
const RECENT_MS = 1000
const RECENT_MAX = 1000
export const SNAPSHOT_MAX_AGE_MS = 15 * 60_000

/**
 * The tools of connections to remote MCP servers. A sync reads `tools/list` (every page) and keeps
 * the result as a sealed snapshot next to the connection's tool settings; lists and runs read the
 * snapshot, never the server, so a tool the server changed is not silently applied: the next sync
 * (the owner's, a reauthorization's, or a list finding the snapshot older than `maxAgeMs`) takes the
 * new schemas and the tool states show what they broke (stale defaults and pins). A call of a tool
 * the server changed or dropped since fails with the server's own refusal (502), and makes the
 * snapshot due, so the next list reads the tools again.
 */
export class McpToolSource {
  /** Snapshots read in the last second, by owner and connection: a run reads one once, not three times. */
  readonly #recent = new Map<string, { at: number; snapshot: Promise<ToolSnapshot | undefined> }>()

  constructor(private readonly deps: McpToolSourceDeps) {}

  /** Whether the connection is to an MCP server (its tools come from here). */
  serves(record: Ref): boolean {
    return this.deps.serverUrlOf(record as ConnectionRecord) !== null
  }

  async definitions(record: Ref): Promise<ToolDefinition[]> {
    return ((await this.read(record))?.tools ?? []).map((tool) => tool.definition)
  }

  /** No snapshot yet, or one older than `maxAgeMs`. */
  async due(record: ConnectionRecord): Promise<boolean> {
    const snapshot = await this.read(record)
    if (!snapshot) return true
    const age = this.deps.now().getTime() - Date.parse(snapshot.takenAt)
    return !(age < (this.deps.maxAgeMs ?? SNAPSHOT_MAX_AGE_MS))
  }

  /** Reads `tools/list` and replaces the snapshot. */
  async refresh(record: ConnectionRecord): Promise<ToolSnapshot> {
    const url = this.deps.serverUrlOf(record)
    if (!url) throw new ConnectionsError('invalid_request', 'This connection is not to an MCP server.')
    const listing = await this.deps.remote.listTools(record, {
      actor: record.owner,
      action: 'tool',
      target: 'tools/list',
    })
    const { tools, skipped } = snapshotTools(this.deps.validator, listing.tools, url)
    const snapshot: ToolSnapshot = {
      takenAt: this.deps.now().toISOString(),
      tools,
      skipped: [...listing.skipped, ...skipped],
    }
    await this.write(record, snapshot)
    if (snapshot.skipped.length > 0) this.deps.onSkipped?.(record, snapshot.skipped)
    return snapshot
  }

  private async write(record: Ref, snapshot: ToolSnapshot): Promise<void> {
    const sealed = this.deps.keyring.encrypt(JSON.stringify(snapshot), aad(record))
    await this.deps.store.set(keys.connectionMcpTools(record.id), { sealed }, PERMANENT)
    this.remember(aad(record), Promise.resolve(snapshot))
  }

  /** `tools/call` of the tool the snapshot lists under `slug`, by its MCP name. */
  async call(
    record: ConnectionRecord,
    slug: string,
    input: Record<string, JsonValue>,
    context: CallContext,
  ): Promise<NamedToolResult> {
    const snapshot = await this.read(record)
    const tool = snapshot?.tools.find((t) => t.definition.slug === slug)
    if (!snapshot || !tool) throw notFound(`The tool "${slug}"`)
    try {
      return await this.deps.remote.callTool(record, tool.name, input, context)
    } catch (error) {
      // The server refused the call itself (not the tool's own isError): its tools may have changed
      // since the snapshot, so the next list reads them again.
      if (error instanceof ConnectionsError && error.code === 'provider_error')
        await this.write(record, { ...snapshot, takenAt: new Date(0).toISOString() }).catch(() => undefined)
      throw error
    }
  }

  /** The last snapshot, or undefined before the first sync. */
  read(record: Ref): Promise<ToolSnapshot | undefined> {
    const key = aad(record)
    const at = performance.now()
    const recent = this.#recent.get(key)
    if (recent && at - recent.at < RECENT_MS) return recent.snapshot
    const snapshot = this.readStored(record)
    this.remember(key, snapshot, at)
    return snapshot
  }

  private remember(key: string, snapshot: Promise<ToolSnapshot | undefined>, at = performance.now()): void {
    if (this.#recent.size >= RECENT_MAX) this.#recent.clear()
    this.#recent.set(key, { at, snapshot })
    // A read that fails is not remembered.
    snapshot.catch(() => this.#recent.delete(key))
  }

  private async readStored(record: Ref): Promise<ToolSnapshot | undefined> {
    const stored = await this.deps.store.get<{ sealed: string }>(keys.connectionMcpTools(record.id))
    if (stored === undefined) return undefined
    try {
      return JSON.parse(this.deps.keyring.decrypt(stored.sealed, aad(record))) as ToolSnapshot
    } catch {
      // Sealed with a key since retired (the rotation sweep reseals the tool settings, not this), or
      // not this connection's: the server's list is read again. Unlike the settings, nothing here is
      // the owner's to lose.
      return undefined
    }
  }
}

/** Sealed to the owner and the connection, as the tool settings are. */
function aad(record: Ref): string {
  return JSON.stringify(['connection-mcp-tools', record.owner, record.id])
}
