import type { ToolDefinition } from '../providers/tool-definition.js'
import type {
  CustomProviderInput,
  CustomProviderStore,
  StoredCustomProvider,
} from '../storage/custom-providers.js'
import type { Repository } from '../storage/repository.js'
import { ConnectionsError, notFound } from './errors.js'

const CUSTOM_PROVIDER_URLS = [
  'authorizationUrl',
  'tokenUrl',
  'userInfoUrl',
  'revocationUrl',
  'apiBaseUrl',
  'mcpUrl',
] as const

/** A custom provider as responses show it: everything but the client secret. */
export type CustomProviderView = Omit<
  StoredCustomProvider,
  'clientSecret' | 'issuer' | 'requireIss' | 'tools' | 'mcpUrl'
> & {
  issuer: string | null
  requireIss: boolean
  tools: ToolDefinition[]
  /** Set for a remote MCP server (then the endpoint URLs are empty: they are discovered). */
  mcpUrl?: string
}

export interface CustomProviderDeps {
  store: CustomProviderStore
  repository: Repository
  isBuiltIn: (id: string) => boolean
  /** Ids of the built-in presets, which custom providers may not take. */
  reservedSlugs: ReadonlySet<string>
  /** Which URLs custom providers may use (the server calls them: an SSRF boundary). */
  customProviderUrls: CustomProviderUrlPolicy
  /** What is wrong with a provider's tool definitions, one sentence each; none: they are fine. */
  checkTools: (slug: string, tools: readonly ToolDefinition[]) => string[]
  /** Whether the router can register a client with an MCP server's authorization server itself. */
  registersMcpClients: boolean
}

/** Only `true` (or a promise of `true`) allows a URL. */
export type CustomProviderUrlPolicy = (url: URL) => boolean | Promise<boolean>

/** The owner's own OAuth providers, registered at runtime: what may be registered, changed, removed. */
export class CustomProviders {
  constructor(private readonly deps: CustomProviderDeps) {}

  /**
   * Registers (or updates) an OAuth provider of the owner's own, with its client secret sealed. Slugs
   * of the router's providers and of the built-in presets are reserved.
   */
  async register(owner: string, input: CustomProviderInput): Promise<CustomProviderView> {
    if (this.deps.isBuiltIn(input.slug) || this.deps.reservedSlugs.has(input.slug)) {
      throw new ConnectionsError('conflict', `The slug "${input.slug}" is reserved for a built-in provider.`)
    }
    const toolProblems = this.deps.checkTools(input.slug, input.tools ?? [])
    if (toolProblems.length > 0) {
      throw new ConnectionsError('invalid_request', `Invalid request: tools: ${toolProblems.join('; ')}`, {
        details: toolProblems.map((message) => ({ path: ['tools'], code: 'invalid_tool', message })),
      })
    }
    if (input.mcpUrl && !input.clientId && !this.deps.registersMcpClients) {
      throw new ConnectionsError(
        'invalid_request',
        'Invalid request: give the clientId registered with the MCP server (this router cannot register one: it needs baseUrl and a string mountPath).',
        { details: [{ path: ['clientId'], message: 'is required here' }] },
      )
    }
    for (const field of CUSTOM_PROVIDER_URLS) {
      const value = input[field]
      // An MCP server's record has only mcpUrl: its endpoints are discovered, and checked at each call.
      if (value && !(await this.allows(new URL(value), field))) {
        throw urlRefused(field, 'not allowed by customProviderUrls')
      }
    }
    const existing = (await this.deps.store.list(owner)).find((p) => p.slug === input.slug)
    if (existing && (await this.hasLiveConnections(owner, input.slug))) {
      // Re-pointing a provider would send its connections' tokens to the new URLs: while it has
      // connections, only its secret, name and scopes may change.
      const moved = [...CUSTOM_PROVIDER_URLS, 'clientId' as const].filter(
        (field) => (existing[field] ?? null) !== (input[field] ?? null),
      )
      if (moved.length > 0) {
        throw new ConnectionsError(
          'conflict',
          `"${input.slug}" has connections: revoke them before changing ${moved.join(', ')}.`,
        )
      }
    }
    return customView(await this.deps.store.put(owner, input, new Date()))
  }

  async list(owner: string): Promise<CustomProviderView[]> {
    return (await this.deps.store.list(owner)).map(customView)
  }

  /** Removes a custom provider once none of its connections is left but tombstones. */
  async remove(owner: string, slug: string): Promise<void> {
    // A built-in provider's connections are not this custom provider's: never "revoke them first".
    if (this.deps.isBuiltIn(slug)) throw notFound(`Custom provider "${slug}"`)
    if (await this.hasLiveConnections(owner, slug)) {
      throw new ConnectionsError('conflict', `Revoke the connections to "${slug}" first.`)
    }
    if (!(await this.deps.store.remove(owner, slug))) throw notFound(`Custom provider "${slug}"`)
  }

  /**
   * The policy, awaited: only a plain `true` allows (a Promise is truthy, so an async policy read
   * without `await` would allow every URL). One that throws refuses the URL with a 400.
   */
  private async allows(url: URL, field: string): Promise<boolean> {
    try {
      return (await this.deps.customProviderUrls(url)) === true
    } catch {
      throw urlRefused(field, 'customProviderUrls failed while checking it')
    }
  }

  private async hasLiveConnections(owner: string, provider: string): Promise<boolean> {
    const records = await this.deps.repository.listConnections(owner)
    return records.some((r) => r.provider === provider && r.status !== 'revoked')
  }
}

function urlRefused(field: string, reason: string): ConnectionsError {
  return new ConnectionsError('invalid_request', `Invalid request: ${field} is not an allowed URL.`, {
    details: [{ path: [field], code: 'url_not_allowed', message: reason }],
  })
}

function customView(record: StoredCustomProvider & { secret?: string | null }): CustomProviderView {
  const { clientSecret: _sealed, secret: _plain, mcpUrl, ...view } = record
  return {
    ...view,
    issuer: view.issuer ?? null,
    requireIss: view.requireIss ?? false,
    tools: view.tools ?? [],
    ...(mcpUrl ? { mcpUrl } : {}),
  }
}
