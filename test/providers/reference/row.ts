/**
 * One preset's real endpoints and choices, pinned with their sources, so that a typo or a silent
 * change fails CI (test/providers/reference.test.ts builds every preset and compares).
 *
 * A URL with `{name}` is a per-connection template (the connection parameter `name`); null means the
 * provider has none. Each `sources` entry is a documentation URL followed by the date it was read,
 * e.g. 'https://developers.hubspot.com/docs/api/oauth/tokens (2026-12-07)'.
 */
export interface ReferenceRow {
  /** The factory: `providers.<factory>(…)`. */
  factory: string
  /** Options the factory needs beyond clientId and clientSecret (Zendesk's subdomain, …). */
  options?: Record<string, unknown>
  id: string
  authorizationUrl: string
  tokenUrl: string
  refreshUrl?: string | null
  userInfoUrl: string | null
  revocationUrl: string | null
  apiBaseUrl: string | null
  tokenAuth: 'client_secret_post' | 'client_secret_basic' | 'private_key_jwt' | 'none'
  /** Whether the authorization request carries a PKCE challenge (S256). */
  pkce: boolean
  /** The scopes a flow asks for by default, in order. */
  scopes: string[]
  /** Where each value above was read: the field name (or 'all') → 'URL (YYYY-MM-DD)'. */
  sources: Record<string, string>
}
