import { bindConnectionParams } from '../providers/connection-params.js'
import { oauth2 } from '../providers/define.js'
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

  /**
   * @param options.customFetch Set as `fetch` on every custom provider: pass `createPinnedFetch()`
   *   when the default `publicHttpsOnly` policy is in force (the host passed no `customProviderUrls`),
   *   which checks names only; leave it out when the host has its own policy.
   */
  constructor(
    private readonly builtIns: ReadonlyMap<string, Provider>,
    private readonly store: CustomProviderStore,
    private readonly options: { customFetch?: ProviderFetch | null } = {},
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

  /**
   * Reads the owner's custom providers when one of `ids` is not built in: operations on built-in
   * providers (the common case, and the token hot path) cost no extra store read.
   */
  async ensure(owner: string | undefined, ids: readonly string[]): Promise<void> {
    if (ids.some((id) => !this.isBuiltIn(id))) await this.load(owner)
  }

  /** The provider, or a 404 naming the ones that exist: the router's, then `owner`'s own. */
  require(id: string, owner: string | undefined): Provider {
    const provider = this.get(id, owner)
    if (provider) return provider
    const known = this.all(owner).map((p) => p.id)
    return unknownProvider(id, known)
  }

  get(id: string, owner: string | undefined): Provider | undefined {
    return this.builtIns.get(id) ?? (owner === undefined ? undefined : this.custom.get(owner)?.get(id))
  }

  /** The router's providers, then the owner's own. */
  all(owner: string | undefined): Provider[] {
    const mine = owner === undefined ? [] : [...(this.custom.get(owner)?.values() ?? [])]
    return [...this.builtIns.values(), ...mine]
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

function unknownProvider(id: string, known: readonly string[]): never {
  const list = known.length > 0 ? known.map((k) => `"${k}"`).join(', ') : 'none'
  throw new ConnectionsError('not_found', `Provider "${id}" was not found. Known providers: ${list}.`)
}
