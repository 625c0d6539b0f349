import { z } from 'zod'
import type { AccountProfile, OAuth2Provider, TokenResponse } from './types.js'

const slug = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]{0,62}$/,
    'must be a lowercase slug: a-z, 0-9, "_" or "-", at most 63 characters',
  )

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' })

const oauth2Options = z.strictObject({
  id: slug,
  name: z.string().min(1).max(100).optional(),
  authorizationUrl: httpUrl,
  tokenUrl: httpUrl,
  clientId: z.string().min(1, 'is required'),
  clientSecret: z.string().min(1, 'is required'),
  scopes: z.array(z.string().min(1)).default([]),
  scopeSeparator: z.string().default(' '),
  userInfoUrl: httpUrl.optional(),
  revocationUrl: httpUrl.optional(),
  apiBaseUrl: httpUrl.optional(),
  authorizationParams: z.record(z.string(), z.string()).default({}),
  issuer: z.string().min(1).optional(),
  singleton: z.boolean().default(false),
  profile: z
    .custom<OAuth2Provider['profile']>((value) => typeof value === 'function', 'must be a function')
    .optional(),
})

/** Options of {@link oauth2}: URLs, client credentials and scopes of any OAuth 2.0 provider. */
export interface OAuth2ProviderOptions {
  /** Lowercase slug; also the last segment of the callback URL `<mount>/callback/<id>`. */
  id: string
  name?: string
  authorizationUrl: string
  tokenUrl: string
  clientId: string
  clientSecret: string
  /** Asked for when a flow names none. */
  scopes?: string[]
  /** Default `' '`; some providers want `','`. */
  scopeSeparator?: string
  /** Fetched with the new access token to name the account (`sub`/`id`, `email`). */
  userInfoUrl?: string
  /** RFC 7009 endpoint, called when a connection is revoked. */
  revocationUrl?: string
  /** Base URL of the provider's API, for the proxy. */
  apiBaseUrl?: string
  /** Extra parameters on every authorization request. */
  authorizationParams?: Record<string, string>
  /** The `iss` the provider sends at the callback (RFC 9207); checked when both are present. */
  issuer?: string
  /** One connection per owner: connecting again replaces it. */
  singleton?: boolean
  /** Maps the user-info document (or the token response) to the account. */
  profile?: OAuth2Provider['profile']
}

// The schema's input must fit the documented interface (checked at compile time).
const _sameShape: z.ZodType<unknown, OAuth2ProviderOptions> = oauth2Options
void _sameShape

/**
 * Any OAuth 2.0 provider (authorization code + PKCE S256). Presets are built on it.
 *
 * @example
 * providers.oauth2({
 *   id: 'acme', name: 'Acme',
 *   authorizationUrl: 'https://acme.example/oauth/authorize',
 *   tokenUrl: 'https://acme.example/oauth/token',
 *   clientId: process.env.ACME_CLIENT_ID!, clientSecret: process.env.ACME_CLIENT_SECRET!,
 *   scopes: ['read'], userInfoUrl: 'https://api.acme.example/me',
 * })
 */
export function oauth2(options: OAuth2ProviderOptions): OAuth2Provider {
  const parsed = oauth2Options.safeParse(options)
  if (!parsed.success) {
    const id = typeof options?.id === 'string' ? ` "${options.id}"` : ''
    throw new TypeError(`providers.oauth2${id}: ${formatIssues(parsed.error)}`)
  }
  const o = parsed.data
  return {
    kind: 'oauth2',
    id: o.id,
    name: o.name ?? o.id,
    authorizationUrl: o.authorizationUrl,
    tokenUrl: o.tokenUrl,
    clientId: o.clientId,
    clientSecret: o.clientSecret,
    scopes: o.scopes,
    scopeSeparator: o.scopeSeparator,
    userInfoUrl: o.userInfoUrl ?? null,
    revocationUrl: o.revocationUrl ?? null,
    apiBaseUrl: o.apiBaseUrl ?? null,
    authorizationParams: o.authorizationParams,
    issuer: o.issuer ?? null,
    singleton: o.singleton,
    profile: o.profile ?? standardProfile,
  }
}

/** OpenID Connect claims (`sub`, `email`, `name`), falling back to the common `id`/`login` fields. */
export function standardProfile(info: Record<string, unknown>): AccountProfile {
  const id = info.sub ?? info.id ?? info.user_id
  const email = info.email
  const name = info.name ?? info.login ?? info.username
  return {
    accountId: typeof id === 'string' || typeof id === 'number' ? String(id) : null,
    accountEmail: typeof email === 'string' ? email : null,
    displayName: typeof name === 'string' ? name : null,
  }
}

export function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length ? `${issue.path.join('.')} ` : ''}${issue.message}`)
    .join('; ')
}

export type { TokenResponse }
