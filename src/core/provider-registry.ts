import { bindConnectionParams } from '../providers/connection-params.js'
import { oauth2 } from '../providers/define.js'
import type { OAuth2Provider, Provider, ProviderFetch } from '../providers/types.js'
import type { CustomProviderStore } from '../storage/custom-providers.js'
import { ConnectionsError } from './errors.js'

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
        quirks: ['registered at runtime'],
      })
      const fetch = this.options.customFetch ?? undefined
      mine.set(record.slug, { ...provider, owner, ...(fetch ? { fetch } : {}) })
    }
    if (mine.size > 0) this.custom.set(owner, mine)
    else this.custom.delete(owner)
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
   * URLs. Undefined when the provider is gone.
   */
  forConnection(record: { provider: string; owner: string; params?: Record<string, string> | undefined }) {
    const provider = this.get(record.provider, record.owner)
    return provider?.kind === 'oauth2' ? bindConnectionParams(provider, record.params) : provider
  }

  isBuiltIn(id: string): boolean {
    return this.builtIns.has(id)
  }
}

function unknownProvider(id: string, known: readonly string[]): never {
  const list = known.length > 0 ? known.map((k) => `"${k}"`).join(', ') : 'none'
  throw new ConnectionsError('not_found', `Provider "${id}" was not found. Known providers: ${list}.`)
}
