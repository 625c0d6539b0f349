import type { ConnectionParamSpec } from './connection-params.js'
import type { ToolDefinition } from './tool-definition.js'

/** What a provider's user-info response becomes on the connection. */
export interface AccountProfile {
  accountId: string | null
  accountEmail: string | null
  displayName?: string | null
}

/** The token endpoint's answer (secrets included), after the provider's quirks are smoothed out. */
export interface TokenResponse {
  access_token?: string
  refresh_token?: string
  token_type?: string
  expires_in?: number | string
  scope?: string
  id_token?: string
  [field: string]: unknown
}

/**
 * How the client authenticates at the token endpoint: with its secret (RFC 6749 §2.3.1), with a
 * JWT signed by its private key (`private_key_jwt`, RFC 7523 §2.2, OpenID Connect Core §9), or not at
 * all (`none`: a public client sending its `client_id` only, RFC 6749 §2.1; PKCE binds the code).
 */
export type TokenAuthMethod = 'client_secret_post' | 'client_secret_basic' | 'private_key_jwt' | 'none'

/**
 * Signs `private_key_jwt` client assertions. The private key stays inside: it is not a property, so
 * no listing, log line, `JSON.stringify` or `inspect` of a provider can show it.
 */
export interface ClientAssertionSigner {
  readonly algorithm: 'RS256' | 'PS256' | 'ES256'
  readonly keyId: string | null
  /** A fresh, single-use assertion (iss = sub = `clientId`, `aud` = `audience`, 60 s). */
  sign(clientId: string, audience: string): string
}

/** The `fetch` of every server-side call to one provider's URLs (the global one's shape). */
export type ProviderFetch = (url: string | URL, init: RequestInit) => Promise<Response>

/** What the provider-specific step after the code exchange may add to the connection. */
export interface ConnectionDetails {
  /** The API base of this connection when it is not the provider's (Salesforce's instance_url, …). */
  apiBaseUrl?: string
  /** Shown on the connection (workspace, tenant or site ids and names). Never secrets. */
  metadata?: Record<string, unknown>
  /** Overrides what the profile mapping found. */
  account?: Partial<AccountProfile>
}

export interface DetailsContext {
  tokens: TokenResponse
  userInfo: Record<string, unknown>
  /** The query of the provider's redirect to the callback (QuickBooks sends `realmId` there). */
  callbackParams: Record<string, string>
  /** The provider's API base for this connection, its connection params filled in; null without one. */
  apiBaseUrl?: string | null | undefined
  /** The connection params the flow was started with (Zendesk's `subdomain`); empty without any. */
  params?: Readonly<Record<string, string>> | undefined
  /** GET (or POST with `body`) JSON from the provider with the new access token. */
  fetchJson(
    url: string,
    init?: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string },
  ): Promise<unknown>
}

/**
 * How a provider takes a revocation request. The default is RFC 7009: a form with `token` and
 * `token_type_hint`, the client authenticated as at the token endpoint, both tokens sent.
 */
export interface RevocationRequest {
  /** `form` (RFC 7009 §2.1) or a JSON body (QuickBooks, Notion). */
  format: 'form' | 'json'
  /** The body field that carries the token (`token`; Linear: `access_token`); null: none in the body. */
  tokenField: string | null
  /** Whether `token_type_hint` is sent (RFC 7009 §2.1). */
  hint: boolean
  /** The token as `Authorization: Bearer` (Linear); the client is then not authenticated by a header. */
  bearer: boolean
  /** Extra headers (Notion-Version). */
  headers: Record<string, string>
  /** Which tokens are revoked: both (refresh first), or only one kind (Linear takes access tokens). */
  tokens: 'both' | 'access' | 'refresh'
}

/** Which agent-policy constraint checker applies to a provider's calls; `teams`: every Microsoft Graph preset. */
export type ProviderFamily = 'telegram' | 'slack' | 'teams'

/** An endpoint a provider declares as a read although its method is not GET/HEAD: a glob as in policy allowlists. */
export interface ReadEndpoint {
  method: string
  path: string
}

/**
 * What an agent policy needs to know of a provider (AGENTS.md "Policies"): its constraint family,
 * the scopes that only read (a token carrying only these can be vended under `read_only`), and the
 * endpoints that read. Each preset cites the provider's documentation for its values.
 */
export interface PolicyFacts {
  family: ProviderFamily | null
  readOnlyScopes: string[]
  reads: ReadEndpoint[]
  /**
   * True for RPC-style APIs that run any method by GET too (Slack's Web API, Telegram's Bot API:
   * `GET /sendMessage?chat_id=1&text=hi` sends): then only `reads` are reads, GET or not.
   */
  readsOnlyDeclared: boolean
  /** The tools an agent can run on its connections (tool-definition.ts); empty for most providers. */
  tools: readonly ToolDefinition[]
}

/** A provider driven by the OAuth 2.0 authorization code flow (with PKCE). */
export interface OAuth2Provider extends PolicyFacts {
  kind: 'oauth2'
  id: string
  name: string
  authorizationUrl: string
  tokenUrl: string
  /** Where refreshes go when not to the token endpoint (Figma). */
  refreshUrl: string | null
  clientId: string
  /** Null when the client authenticates with a signed JWT or is public (`private_key_jwt`, `none`). */
  clientSecret: string | null
  /** Set exactly when `tokenAuth` is `private_key_jwt`. */
  clientAssertion: ClientAssertionSigner | null
  scopes: string[]
  /** The only scopes a flow may ask for; null: any. */
  allowedScopes?: readonly string[] | null
  scopeSeparator: string
  userInfoUrl: string | null
  /** Dropbox reads the account with a POST; most providers with a GET. */
  userInfoMethod: 'GET' | 'POST'
  /** Extra headers on the user-info request (an API version, a JSON accept header). */
  userInfoHeaders: Record<string, string>
  revocationUrl: string | null
  /** The shape of the revocation request (RFC 7009 by default). */
  revocation: RevocationRequest
  apiBaseUrl: string | null
  /**
   * Values each connection gives at connect time (Shopify's `shop`), named as `{name}` in the URLs
   * above; empty for a provider whose URLs are the same for everyone.
   */
  connectionParams: Readonly<Record<string, ConnectionParamSpec>>
  /** Set on the copy bound to one connection: its values, already in the URLs above. */
  boundParams?: Readonly<Record<string, string>> | undefined
  /** Whether http:// URLs on other hosts than localhost were allowed (a templated URL is checked again once filled). */
  allowInsecureHttp: boolean
  /**
   * The header that carries the access token on API calls, bare, when it is not `Authorization:
   * Bearer` (Shopify's `X-Shopify-Access-Token`); null for the standard one.
   */
  apiTokenHeader: string | null
  /**
   * Checks the provider's redirect to the callback before the code is exchanged (Shopify signs its
   * query with the client secret): returns why it is refused, or null. Gets the provider bound to the
   * flow's connection params.
   */
  checkCallback: ((query: Readonly<Record<string, string>>, provider: OAuth2Provider) => string | null) | null
  /** Extra headers on every proxied call (Notion-Version, …). */
  apiHeaders: Record<string, string>
  /** Headers a connection's own calls need, from its metadata (Xero's xero-tenant-id). */
  connectionHeaders: ((metadata: Record<string, unknown>) => Record<string, string>) | null
  /** Sent on every authorization request, e.g. `{ access_type: 'offline', prompt: 'consent' }`. */
  authorizationParams: Record<string, string>
  tokenAuth: TokenAuthMethod
  /**
   * Whether the flow uses PKCE (RFC 7636, S256). Always true for a public client; false only where the
   * provider does not support it for confidential clients.
   */
  pkce: boolean
  /** Extra fields on the code exchange and on every refresh (Zendesk's `expires_in`). */
  tokenParams: Record<string, string | number>
  /** `client_secret_basic` only: form-encode id and secret before base64 (RFC 6749 §2.3.1), or not. */
  basicAuthEncoding: 'form' | 'raw'
  /** Notion and a few others take the token request as JSON instead of a form. */
  tokenRequestFormat: 'form' | 'json'
  /**
   * The provider's issuer (RFC 9207): an `iss` at the callback naming anything else is refused; null
   * when it is not known.
   */
  issuer: string | null
  /** Whether the callback must carry `iss` (the provider says it always sends it, RFC 9207 §3). */
  requireIss: boolean
  singleton: boolean
  /** Maps the user-info response (or, without one, the token response) to the account. */
  profile: (userInfo: Record<string, unknown>, tokens: TokenResponse) => AccountProfile
  /** Smooths a provider's token response into the standard one (Slack nests, some say ok: false). */
  parseTokenResponse: (raw: Record<string, unknown>) => TokenResponse
  /** Runs after the exchange: per-connection API base, tenant or site ids, account overrides. */
  details: ((context: DetailsContext) => Promise<ConnectionDetails>) | null
  /** For the catalogue and the README: where the provider documents its OAuth. */
  docsUrl: string | null
  /** The quirks this definition handles, in a few words each. */
  quirks: string[]
  /** A passport-oauth2 strategy from npm that drives this provider (see `providers.fromPassport`). */
  passportStrategy: PassportOAuth2Strategy | null
  /** Set on custom providers registered at runtime: only this owner sees and uses them. */
  owner: string | null
  /**
   * Makes every server-side call to this provider's URLs (token, refresh, revocation, profile,
   * lookups, proxy) instead of the global `fetch`. Custom providers under the default URL policy get
   * one that connects only to the public addresses it checked (`createPinnedFetch`).
   */
  fetch?: ProviderFetch | undefined
  /** Set on a remote MCP server's provider (`providers.mcp`): its endpoints are found at first use. */
  mcp?: McpServerFacts | undefined
}

/**
 * What a remote MCP server's provider knows before discovery, and what discovery found. Until
 * `resource` is set, its endpoints are placeholders on `.invalid` that nothing may call.
 */
export interface McpServerFacts {
  /** The MCP server's URL (streamable HTTP). */
  url: string
  /** Whether the host gave a client id; without one the router registers a client (CIMD, RFC 7591). */
  configuredClient: boolean
  /** The protected resource (RFC 9728), sent as `resource` (RFC 8707); null until discovered. */
  resource: string | null
}

/** The part of a passport-oauth2 strategy the router relies on (any strategy built on passport-oauth2). */
export interface PassportOAuth2Strategy {
  name?: string | undefined
  authenticate(req: unknown, options?: unknown): void
}

/** How a call to the provider's API carries a connection's credential. */
export interface RequestAuth {
  headers?: Record<string, string>
  /** Replaces the API base for this call (Telegram puts the bot token in the path). */
  baseUrl?: string
}

/** The credential as token vending sees it: what to send, and how. */
export interface VendedCredential {
  accessToken: string
  tokenType: string
}

/** What a credentials provider learns from checking credentials with the provider itself. */
export interface CredentialCheck {
  accountId: string | null
  accountEmail?: string | null
  displayName?: string | null
  /** The label a new connection gets when the user gives none (Telegram: the bot's @username). */
  label?: string
  metadata?: Record<string, unknown>
  /** How the credential is handed out and sent. */
  credential: VendedCredential
}

/** A provider connected with a key or token the user pastes (bot tokens, API keys), not OAuth. */
export interface CredentialsProvider extends PolicyFacts {
  kind: 'credentials'
  id: string
  name: string
  scopes: string[]
  singleton: boolean
  apiBaseUrl: string | null
  apiHeaders: Record<string, string>
  /** Validates the shape of `POST /connections`' `credentials` (field names and formats). */
  fields: Record<string, { label: string; pattern?: RegExp }>
  /**
   * Checks the credentials live with the provider. Throws InvalidCredentialsError when the provider
   * says they are wrong; anything else it throws is the provider failing (502).
   */
  check(credentials: Record<string, string>, context: { timeoutMs: number }): Promise<CredentialCheck>
  requestAuth: (credential: VendedCredential) => RequestAuth
  docsUrl: string | null
  quirks: string[]
  /** Set on a remote MCP server that takes a static key or none (`providers.mcp`). */
  mcp?: { url: string } | undefined
}

export type Provider = OAuth2Provider | CredentialsProvider
