export const CONNECTION_STATUSES = ['active', 'needs_reauth', 'revoked'] as const
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number]
export type ProviderStatus = Exclude<ConnectionStatus, 'revoked'> | 'not_connected'

/** A connection as the store holds it: public fields plus the owner and the encrypted secrets. */
export interface ConnectionRecord {
  version: 1
  id: string
  owner: string
  provider: string
  label: string
  status: ConnectionStatus
  statusReason: string | null
  accountId: string | null
  accountEmail: string | null
  grantedScopes: string[]
  metadata: Record<string, unknown>
  expiresAt: string | null
  connectedAt: string
  lastRefreshedAt: string | null
  lastUsedAt: string | null
  createdAt: string
  updatedAt: string
  /** AES-256-GCM blob of {@link ConnectionSecrets}, the record id as associated data; null once revoked. */
  secrets: string | null
  /** This connection's API base when it is not the provider's (Salesforce instance, Atlassian site). */
  apiBaseUrl?: string | null
  /**
   * The values given at connect time for a provider whose URLs depend on the account (Shopify's
   * `shop`): public, never secrets; bound into the sealed secrets. Absent for other providers.
   */
  params?: Record<string, string>
}

/** What is encrypted inside a record. Never leaves the core except through token vending. */
export interface ConnectionSecrets {
  accessToken: string
  refreshToken: string | null
  tokenType: string
  idToken: string | null
}

/** A connection as every response and event shows it: no owner, no secret. */
export type Connection = Omit<ConnectionRecord, 'version' | 'owner' | 'secrets' | 'apiBaseUrl'> & {
  providerName: string
  singleton: boolean
}

/** An agent a flow binds to the connection it makes, with the execution models it may use. */
export interface FlowGrant {
  agentId: string
  agentName: string
  allowedModels: Array<'A' | 'B'>
}

/** The server-side half of an OAuth flow between start and callback, kept under the state's hash. */
export interface PendingFlow {
  id: string
  owner: string
  provider: string
  scopes: string[]
  label: string | null
  returnUrl: string | null
  metadata: Record<string, unknown>
  /** The session that started the flow; null for a flow started server-side (an agent's link). */
  sessionId: string | null
  /** Whether a server-side flow may complete in a browser that no owner can be identified in. */
  allowSessionless: boolean
  reauthConnectionId: string | null
  /** The provider's connection params (validated); absent when it has none. */
  params?: Record<string, string>
  /**
   * The agent to bind to the new connection when the flow completes (`agentId` on start or connect),
   * sealed with the rest of the flow (flowBinding): a grant edited in the store does not complete.
   */
  grant?: FlowGrant
  /**
   * The redirect URI sent in the authorization request, sent again unchanged in the token request
   * (RFC 6749 §4.1.3) rather than rebuilt from the callback request's spelling of the path. Absent
   * only on flows opened before it was stored.
   */
  redirectUri?: string
  createdAt: string
  expiresAt: string
  /** Encrypted PKCE code verifier. */
  verifier: string
}

export interface ProviderView {
  id: string
  name: string
  kind: 'oauth2' | 'credentials'
  scopes: string[]
  singleton: boolean
  /** What a connection must (or may) give at connect time (Shopify's `shop`); absent when nothing. */
  params?: ConnectionParamView[]
  status?: ProviderStatus
  accountEmail?: string | null
}

/** A provider's connection param as the catalogue shows it: its name and how to fill it in. */
export interface ConnectionParamView {
  name: string
  description: string
  example: string
  /** False when the provider has a default for it. */
  required: boolean
}
