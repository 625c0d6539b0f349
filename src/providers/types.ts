/** What a provider's user-info response becomes on the connection. */
export interface AccountProfile {
  accountId: string | null
  accountEmail: string | null
  displayName?: string | null
}

/** The token endpoint's answer, as passport-oauth2 hands it over (secrets included). */
export interface TokenResponse {
  access_token?: string
  refresh_token?: string
  token_type?: string
  expires_in?: number | string
  scope?: string
  id_token?: string
  [field: string]: unknown
}

/** A provider driven by the OAuth 2.0 authorization code flow (with PKCE). */
export interface OAuth2Provider {
  kind: 'oauth2'
  id: string
  name: string
  authorizationUrl: string
  tokenUrl: string
  clientId: string
  clientSecret: string
  scopes: string[]
  scopeSeparator: string
  userInfoUrl: string | null
  revocationUrl: string | null
  apiBaseUrl: string | null
  /** Sent on every authorization request, e.g. `{ access_type: 'offline', prompt: 'consent' }`. */
  authorizationParams: Record<string, string>
  /** Where RFC 9207 `iss` is expected at the callback; null when the provider does not send it. */
  issuer: string | null
  singleton: boolean
  /** Maps the user-info response (or, without one, the token response) to the account. */
  profile: (userInfo: Record<string, unknown>, tokens: TokenResponse) => AccountProfile
}

export type Provider = OAuth2Provider
