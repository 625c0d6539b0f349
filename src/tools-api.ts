import { notFound } from './core/errors.js'
import type { HttpContext } from './http/context.js'
import { parse } from './http/context.js'
import { toolConnectionParams, toolParams, toolSettingsBody } from './http/tool-schemas.js'
import type { JsonValue } from './providers/tool-definition.js'
import type { ToolCaller } from './tools/runner.js'
import { invalidInput, settingsProblems } from './tools/settings.js'
import { type ToolSettingsPatch, type ToolState, toolView } from './tools/states.js'

/** A connection's tools for server code: what `/connections/:id/tools` does, as the owner, without HTTP. */
export interface ToolsApi {
  /** Every tool of the connection (an id, or a provider id naming one) with its state. */
  list(owner: string, connection: string): Promise<ToolState[]>
  /** Changes a tool's `isEnabled`, `inputDefaults` or `pinnedFields` (422 `invalid_input` when they do not fit). */
  update(owner: string, connection: string, slug: string, settings: ToolSettingsPatch): Promise<ToolState>
  /** Syncs the connection's tools with its provider's definitions. */
  sync(owner: string, connection: string): Promise<ToolState[]>
  /**
   * Runs a tool as the owner (no policy applies: the owner's server code is the owner) and returns its
   * output; 422 `invalid_input` for input that does not fit, 502 `provider_error` when the provider refuses.
   *
   * @example
   * const { output } = await router.connections.tools.run('ana', connectionId, 'create_issue', { title: 'Bug' })
   */
  run(
    owner: string,
    connection: string,
    slug: string,
    input: Record<string, JsonValue>,
  ): Promise<{ output: JsonValue }>
}

const SERVER = 'server'

export function toolsApi(ctx: HttpContext): ToolsApi {
  const { runner, states, validator } = ctx.agents.tools
  const asOwner = (owner: string): ToolCaller => ({
    owner,
    agent: null,
    actor: async () => SERVER,
    allow: async () => undefined,
  })
  const found = async (owner: string, connection: string) =>
    runner.connectionFor(asOwner(owner), parse(toolConnectionParams, { id: connection }).id)
  return {
    list: async (owner, connection) => {
      const { record } = await found(owner, connection)
      return (await states.list(record)).map((tool) => toolView(record, tool, 'owner'))
    },
    update: async (owner, connection, slug, settings) => {
      const { record } = await found(owner, connection)
      const patch = parse(toolSettingsBody, settings)
      const changed = await states.update(
        record,
        parse(toolParams, { id: record.id, slug }).slug,
        patch,
        (d, next) => {
          const problems = settingsProblems(validator, d, next)
          if (problems.length > 0) throw invalidInput('These tool settings do not fit the tool.', problems)
        },
      )
      if (!changed) throw notFound(`The tool "${slug}"`)
      return toolView(record, changed, 'owner')
    },
    sync: async (owner, connection) => {
      const { record } = await found(owner, connection)
      return (await states.sync(record)).map((tool) => toolView(record, tool, 'owner'))
    },
    run: async (owner, connection, slug, input) => {
      const result = await runner.run(asOwner(owner), connection, slug, input)
      // Only an agent's run can wait for an approval; the owner's never does.
      return { output: result.outcome === 'done' ? result.output : null }
    },
  }
}
