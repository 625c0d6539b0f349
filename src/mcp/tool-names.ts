import { createHash } from 'node:crypto'

/** Many MCP clients cap tool names at 64 characters (the spec allows 128): stay within the smaller. */
export const MAX_TOOL_NAME = 64

/** The MCP tool-name alphabet (spec 2025-11-25, "Tool names"). */
const NAME_ALPHABET = /[^A-Za-z0-9_.-]/g

/** One connection of an agent, as its tools are named. */
export interface NamedConnection {
  id: string
  provider: string
}

/**
 * The agent's tool name of `slug` on `connection`: `<provider>__<slug>`, with 8 hex characters of the
 * connection id after the provider when the agent has more than one connection to it
 * (`github_1a2b3c4d__create_issue`). A name that would pass 64 characters is cut and ends with 8 hex
 * characters of a hash of the connection id and the slug, so it stays unique.
 *
 * @example
 * toolName({ id: '1a2b3c4d-…', provider: 'github' }, 'create_issue', false) // 'github__create_issue'
 */
export function toolName(connection: NamedConnection, slug: string, shared: boolean): string {
  const provider = connection.provider.replace(NAME_ALPHABET, '_')
  const prefix = shared ? `${provider}_${connectionTag(connection.id)}` : provider
  const name = `${prefix}__${slug.replace(NAME_ALPHABET, '_')}`
  if (name.length <= MAX_TOOL_NAME) return name
  const hash = createHash('sha256').update(`${connection.id}/${slug}`).digest('hex').slice(0, 8)
  return `${name.slice(0, MAX_TOOL_NAME - hash.length - 1)}_${hash}`
}

/** The providers the agent reaches through more than one connection: their tools carry the id's tag. */
export function sharedProviders(connections: readonly NamedConnection[]): Set<string> {
  const seen = new Set<string>()
  const shared = new Set<string>()
  for (const { provider } of connections) {
    if (seen.has(provider)) shared.add(provider)
    seen.add(provider)
  }
  return shared
}

/** Whether `name` may be one of `connection`'s tool names (its provider begins it, cut or not). */
export function mayName(connection: NamedConnection, name: string): boolean {
  const provider = connection.provider.replace(NAME_ALPHABET, '_')
  return name.startsWith(provider.slice(0, MAX_TOOL_NAME - 9))
}

function connectionTag(id: string): string {
  return id.replaceAll('-', '').slice(0, 8).toLowerCase()
}
