import { bindConnectionParams } from '../providers/connection-params.js'
import { oauth2 } from '../providers/define.js'
import { mcp } from '../providers/mcp.js'
import type { OAuth2Provider, Provider, ProviderFetch } from '../providers/types.js'
import type { CustomProviderStore } from '../storage/custom-providers.js'
import { ConnectionsError } from './errors.js'
import type { Connection, ConnectionRecord } from './model.js'

/**
 * The providers an owner can use: the router's own plus the custom ones the owner registered at
 * runtime. Custom ones are read from the store at the start of every operation (so every instance
 * sees a registration at once) and kept for that owner until the next read, for the synchronous
 * look-ups that follow.
 */
export class ProviderRegistry {
  private readonly custom = new Map<string, Map<string, OAuth2Provider>>()
  /** Built-in providers whose endpoints were found at first use (MCP servers), as last resolved. */
  private readonly resolved = new Map<string, OAuth2Provider>()
  /** Why the last resolution failed, for the operations that need the endpoints (a revoke does not). */
  private readonly unresolvable = new Map<string, unknown>()

  /**
   * @param options.customFetch Set as `fetch` on every custom provider: pass `createPinnedFetch()`
   *   when the default `publicHttpsOnly` policy is in force (the host passed no `customProviderUrls`),
   *   which checks names only; leave it out when the host has its own policy.
   * @param options.customMcp How MCP servers owners register are called: a fetch that checks every
   *   URL (discovered ones included) with the custom-provider URL policy, and whether that policy,
   *   not this package, decides about http.
   */
  constructor(
    private readonly builtIns: ReadonlyMap<string, Provider>,
    private readonly store: CustomProviderStore,
    private readonly options: {
      customFetch?: ProviderFetch | null
      remote?: RemoteProviders | null
      customMcp?: { fetch: ProviderFetch; allowInsecureHttp: boolean } | null
    } = {},
  ) {}

  /** Reads the owner's custom providers from the store. */
  async load(owner: string | undefined): Promise<void> {
    if (owner === undefined) return
    const records = await this.store.list(owner)
    const mine = new Map<string, OAuth2Provider>()
    for (const record of records) {
      // One provider that cannot be used (its secret sealed with a retired key) must not take the
      // owner's other providers and connections down with it.
      if (record.secret === null) continue
      if (record.mcpUrl) {
        const server = this.ownedMcp(record as typeof record & { mcpUrl: string; secret: string })
        if (server) mine.set(record.slug, { ...server, owner })
        continue
      }
      const provider = oauth2({
        id: record.slug,
        name: record.name,
        authorizationUrl: record.authorizationUrl,
        tokenUrl: record.tokenUrl,
        ...(record.userInfoUrl ? { userInfoUrl: record.userInfoUrl } : {}),
        ...(record.revocationUrl ? { revocationUrl: record.revocationUrl } : {}),
        ...(record.apiBaseUrl ? { apiBaseUrl: record.apiBaseUrl } : {}),
        scopes: record.scopes,
        tokenAuth: record.tokenAuth,
        clientId: record.clientId,
        clientSecret: record.secret,
        ...(record.issuer ? { issuer: record.issuer, requireIss: record.requireIss === true } : {}),
        tools: record.tools ?? [],
        quirks: ['registered at runtime'],
      })
      const fetch = this.options.customFetch ?? undefined
      mine.set(record.slug, { ...provider, owner, ...(fetch ? { fetch } : {}) })
    }
    if (mine.size > 0) this.custom.set(owner, mine)
    else this.custom.delete(owner)
  }

  /** An MCP server an owner registered, called only through the URL-checking fetch. */
  private ownedMcp(record: {
    slug: string
    name: string
    mcpUrl: string
    scopes: string[]
    clientId: string
    secret: string
  }) {
    const custom = this.options.customMcp
    if (!custom) return undefined
    try {
      return this.ownedMcpOf(record, custom)
    } catch {
      // A record changed in the store into one that does not build: left out, like one whose secret fails.
      return undefined
    }
  }

  private ownedMcpOf(
    record: {
      slug: string
      name: string
      mcpUrl: string
      scopes: string[]
      clientId: string
      secret: string
    },
    custom: { fetch: ProviderFetch; allowInsecureHttp: boolean },
  ): OAuth2Provider {
    return mcp({
      id: record.slug,
      name: record.name,
      url: record.mcpUrl,
      ...(record.scopes.length > 0 ? { scopes: record.scopes } : {}),
      ...(record.clientId ? { clientId: record.clientId } : {}),
      ...(record.clientId && record.secret ? { clientSecret: record.secret } : {}),
      allowInsecureHttp: custom.allowInsecureHttp,
      fetch: custom.fetch,
    })
  }

  /**
   * Reads the owner's custom providers when one of `ids` is not built in: operations on built-in
   * providers (the common case, and the token hot path) cost no extra store read. MCP servers among
   * them get their endpoints (discovered, or from the cache).
   */
  async ensure(owner: string | undefined, ids: readonly string[]): Promise<void> {
    if (ids.some((id) => !this.isBuiltIn(id))) await this.load(owner)
    for (const id of ids) {
      const provider =
        this.builtIns.get(id) ?? (owner === undefined ? undefined : this.custom.get(owner)?.get(id))
      if (provider?.kind === 'oauth2' && provider.mcp) await this.resolveRemote(provider)
    }
  }

  /**
   * An MCP provider's endpoints and client, found (or taken from the cache) before it is used. A
   * failure is kept, not thrown: a revoke still works locally while the server is down; whatever
   * needs the endpoints (`oauth`) throws it.
   */
  private async resolveRemote(provider: OAuth2Provider): Promise<void> {
    const key = resolutionKey(provider.id, provider.owner)
    try {
      if (!this.options.remote) throw new ConnectionsError('internal_error', 'No MCP support configured.')
      const resolved = await this.options.remote.resolve(provider)
      if (provider.owner === null) this.resolved.set(provider.id, resolved)
      else this.custom.get(provider.owner)?.set(provider.id, resolved)
      this.unresolvable.delete(key)
    } catch (error) {
      if (provider.owner !== null || !this.resolved.has(provider.id)) this.unresolvable.set(key, error)
    }
  }

  /** The provider, or a 404 naming the ones that exist: the router's, then `owner`'s own. */
  require(id: string, owner: string | undefined): Provider {
    const provider = this.get(id, owner)
    if (provider) return provider
    const known = this.all(owner).map((p) => p.id)
    return unknownProvider(id, known)
  }

  get(id: string, owner: string | undefined): Provider | undefined {
    const builtIn = this.resolved.get(id) ?? this.builtIns.get(id)
    return builtIn ?? (owner === undefined ? undefined : this.custom.get(owner)?.get(id))
  }

  /** The router's providers, then the owner's own. */
  all(owner: string | undefined): Provider[] {
    const mine = owner === undefined ? [] : [...(this.custom.get(owner)?.values() ?? [])]
    const builtIns = [...this.builtIns.values()].map((p) => this.resolved.get(p.id) ?? p)
    return [...builtIns, ...mine]
  }

  /**
   * The provider of a connection (or flow) as it calls it: with its connection params filled into the
   * URLs. Undefined when the provider is gone. Throws `invalid_request` for params that no longer fit
   * (changed in the store), unless `unbound` says to return the provider unfilled: a revoke must still
   * reach its decision (refused while the secrets do not open, or local only).
   */
  forConnection(
    record: { provider: string; owner: string; params?: Record<string, string> | undefined },
    options: { unbound?: 'allowed' } = {},
  ): Provider | undefined {
    const provider = this.get(record.provider, record.owner)
    if (provider?.kind !== 'oauth2') return provider
    try {
      return bindConnectionParams(provider, record.params)
    } catch (error) {
      if (options.unbound === 'allowed') return provider
      throw error
    }
  }

  /** An OAuth provider the owner can use; `invalid_request` for a credentials one. */
  oauth(id: string, owner?: string): OAuth2Provider {
    const provider = this.require(id, owner)
    if (provider.kind !== 'oauth2') {
      throw new ConnectionsError('invalid_request', `Provider "${id}" is not connected through OAuth.`)
    }
    // Its placeholder endpoints must never be used: ensure() resolves it before every operation.
    if (provider.mcp && provider.mcp.resource === null) {
      throw (
        this.unresolvable.get(resolutionKey(id, provider.owner)) ??
        new ConnectionsError('internal_error', `${provider.name}'s endpoints have not been discovered.`)
      )
    }
    return provider
  }

  isBuiltIn(id: string): boolean {
    return this.builtIns.has(id)
  }

  /** What a caller may see of a connection: no owner, secrets or API base; the provider's name. */
  toPublic(record: ConnectionRecord): Connection {
    const provider = this.get(record.provider, record.owner)
    const { version: _v, owner: _o, secrets: _s, apiBaseUrl: _a, ...visible } = record
    return {
      ...visible,
      providerName: provider?.name ?? record.provider,
      singleton: provider?.singleton ?? false,
    }
  }
}

function resolutionKey(id: string, owner: string | null): string {
  return owner === null ? id : `${owner}\u0000${id}`
}

/** Finds what a provider can only learn at first use (an MCP server's endpoints and client). */
export interface RemoteProviders {
  resolve(provider: OAuth2Provider): Promise<OAuth2Provider>
}

function unknownProvider(id: string, known: readonly string[]): never {
  const list = known.length > 0 ? known.map((k) => `"${k}"`).join(', ') : 'none'
  throw new ConnectionsError('not_found', `Provider "${id}" was not found. Known providers: ${list}.`)
}
