import { ConnectionsError } from '../core/errors.js'
import type { OAuth2Provider } from '../providers/types.js'
import type { McpClient, McpClientStore } from '../storage/mcp-clients.js'
import {
  type AuthorizationServerMetadata,
  discoverAuthorization,
  type McpAuthorization,
} from './discovery.js'
import { type ClientDocument, clientDocument, clientFor } from './registration.js'

export interface McpAuthorizerDeps {
  clients: McpClientStore
  timeoutMs: number
  /** A provider's callback URL when the router's is stable (`baseUrl` and a string `mountPath`). */
  redirectUriFor: (providerId: string) => string | null
  /** Where the router serves a provider's client ID metadata document (https `baseUrl` only). */
  clientDocumentUrlFor: (providerId: string) => string | null
  /** How long what was discovered is trusted (default 10 minutes). */
  cacheMs?: number
  /** How long a failure is kept before the next use tries again (default 30 s). */
  failureCacheMs?: number
  now?: () => number
}

/**
 * Turns an MCP provider (`providers.mcp`) into one that can be used: discovered endpoints, a client
 * (the host's, or one registered for the router), and `resource` on every authorization and token
 * request. Each result is kept for `cacheMs`, a failure for `failureCacheMs`.
 */
export class McpAuthorizer {
  private readonly cache = new Map<string, { at: number; ttl: number; provider: Promise<OAuth2Provider> }>()
  private readonly cacheMs: number
  private readonly failureCacheMs: number
  private readonly now: () => number

  constructor(private readonly deps: McpAuthorizerDeps) {
    this.cacheMs = deps.cacheMs ?? 10 * 60 * 1000
    this.failureCacheMs = deps.failureCacheMs ?? 30 * 1000
    this.now = deps.now ?? Date.now
  }

  resolve(provider: OAuth2Provider): Promise<OAuth2Provider> {
    if (!provider.mcp) return Promise.resolve(provider)
    const key = `${provider.owner ?? ''}\n${provider.id}\n${provider.mcp.url}\n${provider.clientId}`
    const cached = this.cache.get(key)
    if (cached && this.now() - cached.at < cached.ttl) return cached.provider
    const pending = this.build(provider)
    const entry = { at: this.now(), ttl: this.cacheMs, provider: pending }
    this.cache.set(key, entry)
    // A server that is down is asked again after a while, not on every token hand-out meanwhile.
    pending.catch(() => {
      entry.at = this.now()
      entry.ttl = this.failureCacheMs
    })
    if (this.cache.size > 1000) this.cache.delete(this.cache.keys().next().value as string)
    return pending
  }

  /** Whether the router can register a client for this provider (its callback URL is stable). */
  registersFor(providerId: string): boolean {
    return this.deps.redirectUriFor(providerId) !== null
  }

  /** The client ID metadata document of a provider the router registers for itself; null: none. */
  clientDocument(provider: OAuth2Provider): ClientDocument | null {
    if (!provider.mcp || provider.mcp.configuredClient) return null
    const url = this.deps.clientDocumentUrlFor(provider.id)
    const redirectUri = this.deps.redirectUriFor(provider.id)
    return url && redirectUri ? clientDocument(url, provider.name, redirectUri) : null
  }

  private async build(provider: OAuth2Provider): Promise<OAuth2Provider> {
    const url = (provider.mcp as NonNullable<OAuth2Provider['mcp']>).url
    const fetch = provider.fetch ?? globalThis.fetch
    const found = await discoverAuthorization(url, {
      fetch,
      timeoutMs: this.deps.timeoutMs,
      allowInsecureHttp: provider.allowInsecureHttp,
    })
    return withEndpoints(provider, found, await this.client(provider, found.server))
  }

  private async client(provider: OAuth2Provider, server: AuthorizationServerMetadata): Promise<McpClient> {
    if (provider.mcp?.configuredClient) return configuredClient(provider, server)
    const redirectUri = this.deps.redirectUriFor(provider.id)
    if (!redirectUri) {
      throw new ConnectionsError(
        'internal_error',
        `${provider.name}: registering a client needs the router's baseUrl and a string mountPath (its callback URL is registered), or a clientId.`,
      )
    }
    return clientFor(server, {
      redirectUri,
      // The router serves documents for its own providers only; an owner's server registers (RFC 7591).
      clientDocumentUrl: provider.owner === null ? this.deps.clientDocumentUrlFor(provider.id) : null,
      clientName: provider.name,
      fetch: provider.fetch ?? globalThis.fetch,
      timeoutMs: this.deps.timeoutMs,
      store: this.deps.clients,
    })
  }
}

/** The host's client: its secret sent the way the server lists (post when it can, else Basic). */
function configuredClient(provider: OAuth2Provider, server: AuthorizationServerMetadata): McpClient {
  if (provider.clientSecret === null) {
    return { clientId: provider.clientId, clientSecret: null, tokenAuth: 'none' }
  }
  const listed = server.token_endpoint_auth_methods_supported ?? ['client_secret_basic']
  const tokenAuth = listed.includes('client_secret_post') ? 'client_secret_post' : 'client_secret_basic'
  return { clientId: provider.clientId, clientSecret: provider.clientSecret, tokenAuth }
}

function withEndpoints(provider: OAuth2Provider, found: McpAuthorization, client: McpClient): OAuth2Provider {
  const { server, resource } = found
  return {
    ...provider,
    authorizationUrl: server.authorization_endpoint,
    tokenUrl: server.token_endpoint,
    refreshUrl: null,
    revocationUrl: server.revocation_endpoint ?? null,
    issuer: server.issuer,
    requireIss: server.authorization_response_iss_parameter_supported === true,
    scopes: provider.scopes.length > 0 ? provider.scopes : found.scopes,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    tokenAuth: client.tokenAuth,
    // RFC 8707: the token is asked for this server only, at authorization, exchange and refresh.
    authorizationParams: { ...provider.authorizationParams, resource },
    tokenParams: { ...provider.tokenParams, resource },
    pkce: true,
    mcp: { ...(provider.mcp as NonNullable<OAuth2Provider['mcp']>), resource },
  }
}

/** The stable URLs a router with `baseUrl` and a string `mountPath` registers its MCP clients with. */
export function mcpClientUrls(
  baseUrl: string | null,
  mountPath: unknown,
): Pick<McpAuthorizerDeps, 'redirectUriFor' | 'clientDocumentUrlFor'> {
  const mount = baseUrl && typeof mountPath === 'string' ? `${baseUrl}${mountPath}` : null
  // The CIMD draft (and every server that takes one) wants an https client_id.
  const https = mount?.startsWith('https://') ?? false
  return {
    redirectUriFor: (id) => (mount ? `${mount}/callback/${id}` : null),
    clientDocumentUrlFor: (id) => (mount && https ? `${mount}/client-metadata/${id}` : null),
  }
}
