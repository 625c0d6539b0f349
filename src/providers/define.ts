import { KeyObject } from 'node:crypto'
import { z } from 'zod'
import { isHttpsOrLoopback } from '../core/url-policy.js'
import { type ClientAssertionKey, createClientAssertionSigner } from '../oauth/client-assertion.js'
import {
  type ConnectionParamSpec,
  checkTemplates,
  placeholdersOf,
  TEMPLATED_FIELDS,
} from './connection-params.js'
import type {
  AccountProfile,
  OAuth2Provider,
  PolicyFacts,
  RevocationRequest,
  TokenResponse,
} from './types.js'

const slug = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]{0,62}$/,
    'must be a lowercase slug: a-z, 0-9, "_" or "-", at most 63 characters',
  )

function fn<T>() {
  return z.custom<T>((value) => typeof value === 'function', 'must be a function')
}

const absoluteUrl = z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' })
/** An absolute URL, or a template with `{name}` placeholders (checked against connectionParams). */
const httpUrl = z
  .string()
  .refine(
    (value) =>
      placeholdersOf(value).length > 0 ? /^https?:\/\//.test(value) : absoluteUrl.safeParse(value).success,
    'must be an absolute http(s) URL',
  )

const connectionParam = z.strictObject({
  pattern: z.custom<RegExp>((value) => value instanceof RegExp, 'must be a RegExp'),
  description: z.string().min(1).max(200),
  example: z.string().min(1).max(255),
  default: z.string().min(1).max(255).optional(),
})

const revocation = z
  .strictObject({
    format: z.enum(['form', 'json']).default('form'),
    tokenField: z.string().min(1).nullable().default('token'),
    hint: z.boolean().default(true),
    bearer: z.boolean().default(false),
    headers: z.record(z.string(), z.string()).default({}),
    tokens: z.enum(['both', 'access', 'refresh']).default('both'),
  })
  .default({ format: 'form', tokenField: 'token', hint: true, bearer: false, headers: {}, tokens: 'both' })

/** Read into a signer at once: a key that cannot sign fails at start-up, not at the first exchange. */
const clientAssertionKey = z
  .strictObject({
    privateKey: z.union([z.string().min(1), z.custom<KeyObject>((value) => value instanceof KeyObject)], {
      error: 'must be a private KeyObject or a PEM string',
    }),
    keyId: z.string().min(1).max(256).optional(),
    algorithm: z.enum(['RS256', 'PS256', 'ES256']).optional(),
  })
  .transform((key, ctx) => {
    try {
      return createClientAssertionSigner(key)
    } catch (error) {
      // The signer's messages name the problem, never the key.
      ctx.addIssue({ code: 'custom', message: error instanceof TypeError ? error.message : 'is not usable' })
      return z.NEVER
    }
  })

const oauth2Options = z
  .strictObject({
    id: slug,
    name: z.string().min(1).max(100).optional(),
    authorizationUrl: httpUrl,
    tokenUrl: httpUrl,
    refreshUrl: httpUrl.optional(),
    clientId: z.string().min(1, 'is required'),
    clientSecret: z.string().min(1, 'is required').optional(),
    clientAssertionKey: clientAssertionKey.optional(),
    scopes: z.array(z.string().min(1)).default([]),
    allowedScopes: z.array(z.string().min(1)).optional(),
    scopeSeparator: z.string().default(' '),
    userInfoUrl: httpUrl.optional(),
    userInfoMethod: z.enum(['GET', 'POST']).default('GET'),
    userInfoHeaders: z.record(z.string(), z.string()).default({}),
    revocationUrl: httpUrl.optional(),
    revocation,
    apiBaseUrl: httpUrl.optional(),
    connectionParams: z.record(z.string(), connectionParam).default({}),
    apiHeaders: z.record(z.string(), z.string()).default({}),
    connectionHeaders: fn<NonNullable<OAuth2Provider['connectionHeaders']>>().optional(),
    apiTokenHeader: z
      .string()
      .regex(/^[A-Za-z0-9-]+$/, 'must be a header name')
      .optional(),
    checkCallback: fn<NonNullable<OAuth2Provider['checkCallback']>>().optional(),
    authorizationParams: z.record(z.string(), z.string()).default({}),
    tokenAuth: z
      .enum(['client_secret_post', 'client_secret_basic', 'private_key_jwt', 'none'])
      .default('client_secret_post'),
    pkce: z.boolean().default(true),
    tokenParams: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
    basicAuthEncoding: z.enum(['form', 'raw']).default('form'),
    tokenRequestFormat: z.enum(['form', 'json']).default('form'),
    issuer: z.string().min(1).optional(),
    requireIss: z.boolean().optional(),
    singleton: z.boolean().default(false),
    profile: fn<OAuth2Provider['profile']>().optional(),
    parseTokenResponse: fn<OAuth2Provider['parseTokenResponse']>().optional(),
    details: fn<NonNullable<OAuth2Provider['details']>>().optional(),
    docsUrl: httpUrl.optional(),
    quirks: z.array(z.string()).default([]),
    family: z.enum(['telegram', 'slack', 'teams']).nullable().default(null),
    readOnlyScopes: z.array(z.string()).default([]),
    reads: z
      .array(z.strictObject({ method: z.string().min(1), path: z.string().startsWith('/') }))
      .default([]),
    readsOnlyDeclared: z.boolean().default(false),
    allowInsecureHttp: z.boolean().default(false),
  })
  .superRefine((o, issues) => {
    const outside = o.allowedScopes && o.scopes.filter((scope) => !o.allowedScopes?.includes(scope))
    if (outside && outside.length > 0) {
      issues.addIssue({
        code: 'custom',
        path: ['scopes'],
        message: `"${outside[0]}" is not in allowedScopes`,
      })
    }
    checkClientAuthentication(o, issues)
    if (o.tokenAuth === 'none' && !o.pkce) {
      // RFC 9700 §2.1.1: a public client's code is bound to its flow by PKCE alone.
      issues.addIssue({ code: 'custom', path: ['pkce'], message: "cannot be false with tokenAuth 'none'" })
    }
    for (const problem of checkTemplates(o.connectionParams, o)) {
      issues.addIssue({ code: 'custom', path: problem.path.split('.'), message: problem.message })
    }
    if (o.basicAuthEncoding === 'raw' && o.clientId.includes(':')) {
      // RFC 7617 §2: the user-id of Basic cannot hold a colon unless it is encoded.
      issues.addIssue({
        code: 'custom',
        path: ['basicAuthEncoding'],
        message: "'raw' cannot send a clientId with ':'",
      })
    }
    if (o.allowInsecureHttp) return
    for (const field of SECRET_BEARING_URLS) {
      const value = o[field]
      if (value && !secureUrl(value)) {
        issues.addIssue({
          code: 'custom',
          path: [field],
          message: 'must be https (http only on localhost, or with allowInsecureHttp on a network you trust)',
        })
      }
    }
  })

/**
 * A secret, a key with `private_key_jwt`, or nothing for a public client (`none`): exactly what the
 * method uses, so nothing unused is kept around.
 */
function checkClientAuthentication(
  o: { tokenAuth: string; clientSecret?: string | undefined; clientAssertionKey?: unknown },
  issues: z.RefinementCtx,
): void {
  const issue = (path: string, message: string) => issues.addIssue({ code: 'custom', path: [path], message })
  if (o.tokenAuth === 'private_key_jwt') {
    if (o.clientAssertionKey === undefined) issue('clientAssertionKey', "is required with 'private_key_jwt'")
    if (o.clientSecret !== undefined)
      issue('clientSecret', "is not used with 'private_key_jwt': leave it out")
    return
  }
  if (o.tokenAuth === 'none') {
    if (o.clientSecret !== undefined) issue('clientSecret', "is not used with tokenAuth 'none': leave it out")
    if (o.clientAssertionKey !== undefined) issue('clientAssertionKey', "is not used with tokenAuth 'none'")
    return
  }
  if (o.clientSecret === undefined) {
    issue('clientSecret', "is required (a public client without one says tokenAuth: 'none')")
  }
  if (o.clientAssertionKey !== undefined) {
    issue('clientAssertionKey', "is only used with tokenAuth 'private_key_jwt'")
  }
}

/** The URLs that receive a code, a token or the client secret (RFC 6749 §3.1, §3.2: TLS). */
const SECRET_BEARING_URLS = TEMPLATED_FIELDS.filter((field) => field !== 'issuer')

function secureUrl(value: string): boolean {
  // A template is checked again once filled for a connection (bindConnectionParams).
  if (placeholdersOf(value).length > 0)
    return /^https:\/\//.test(value) || /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])[:/]/.test(value)
  if (!URL.canParse(value)) return true // already reported as not a URL
  const url = new URL(value)
  return isHttpsOrLoopback(url)
}

/** What every {@link oauth2} provider takes besides how its client authenticates. */
export interface OAuth2ProviderCommonOptions {
  /** Lowercase slug; also the last segment of the callback URL `<mount>/callback/<id>`. */
  id: string
  name?: string
  authorizationUrl: string
  tokenUrl: string
  clientId: string
  /** Asked for when a flow names none. */
  scopes?: string[]
  /** Default `' '`; some providers want `','`. */
  scopeSeparator?: string
  /** Fetched with the new access token to name the account (`sub`/`id`, `email`). */
  userInfoUrl?: string
  /** Default `GET`. */
  userInfoMethod?: 'GET' | 'POST'
  userInfoHeaders?: Record<string, string>
  /** RFC 7009 endpoint, called when a connection is revoked. */
  revocationUrl?: string
  /**
   * How the revocation request is shaped when the provider does not follow RFC 7009: a JSON body,
   * another token field, the token as a Bearer header, extra headers, or one kind of token only.
   */
  revocation?: Partial<RevocationRequest>
  /**
   * Values each connection gives at connect time (`GET /connect/shopify?shop=acme`, `params` in a
   * start body), named as `{name}` in any URL of the provider. A value must match its pattern whole
   * and is percent-encoded; a filled URL must keep the template's scheme, host and path shape.
   *
   * @example
   * connectionParams: { shop: { pattern: /^[a-z0-9][a-z0-9-]*$/, description: 'the shop name', example: 'acme' } },
   * authorizationUrl: 'https://{shop}.myshopify.com/admin/oauth/authorize',
   */
  connectionParams?: Record<string, ConnectionParamSpec>
  /**
   * Whether the flow sends a PKCE challenge (default true). Only for a provider that refuses PKCE from
   * confidential clients; a public client (`tokenAuth: 'none'`) always uses it.
   */
  pkce?: boolean
  /** Extra fields on the code exchange and on every refresh (Zendesk's `expires_in`). */
  tokenParams?: Record<string, string | number>
  /** Base URL of the provider's API, for the proxy. */
  apiBaseUrl?: string
  /** Extra headers on every proxied call (an API version header, say). */
  apiHeaders?: Record<string, string>
  /** Headers a connection's own calls need, from its metadata (a tenant id). */
  connectionHeaders?: NonNullable<OAuth2Provider['connectionHeaders']>
  /** The header that carries the bare access token on API calls instead of `Authorization: Bearer`. */
  apiTokenHeader?: string
  /**
   * Checks the redirect to the callback before the code is exchanged; returns why it is refused, or
   * null (Shopify's HMAC over the query).
   */
  checkCallback?: NonNullable<OAuth2Provider['checkCallback']>
  /** Where refreshes go, when not to `tokenUrl`. */
  refreshUrl?: string
  /** Extra parameters on every authorization request. */
  authorizationParams?: Record<string, string>
  /** Default `form` (RFC 6749); a few providers want JSON. */
  tokenRequestFormat?: 'form' | 'json'
  /**
   * How `client_secret_basic` writes the id and secret before base64: `form` (the default) form-encodes
   * them first, as RFC 6749 §2.3.1 says and servers that follow it decode (oidc-provider, Keycloak);
   * `raw` sends them as they are, for servers that do not decode (@node-oauth/oauth2-server,
   * @jmondi/oauth2-server, many hand-written ones). Only a secret or id with characters other than
   * `A-Z a-z 0-9 - . _ ~` is written differently, e.g. a base64 secret with `/`, `+` or `=`.
   */
  basicAuthEncoding?: 'form' | 'raw'
  /**
   * The provider's issuer, as it sends it in `iss` at the callback (RFC 9207): an `iss` naming anything
   * else is refused before the code is exchanged.
   */
  issuer?: string
  /**
   * Whether a callback without `iss` is refused too. Default: `true` when `issuer` is set; `false` for
   * a provider that sends it without saying so in its metadata (RFC 9207 §2.4 then allows its absence).
   */
  requireIss?: boolean
  /** One connection per owner: connecting again replaces it. */
  singleton?: boolean
  /** Maps the user-info document (or the token response) to the account. */
  profile?: OAuth2Provider['profile']
  /** Smooths a provider's token response into the standard shape. */
  parseTokenResponse?: OAuth2Provider['parseTokenResponse']
  /** After the exchange: per-connection API base, metadata or account fields. */
  details?: NonNullable<OAuth2Provider['details']>
  docsUrl?: string
  /**
   * The only scopes a flow may ask for (least privilege): a caller naming another one (`?scopes=`,
   * `scopes` in a start or reauth body) gets a 400. Default: any scope the caller names.
   */
  allowedScopes?: string[]
  /**
   * Accept http:// endpoints on other hosts than localhost. Tokens and the client secret then cross
   * the network in clear: only for a provider reached inside a network you trust.
   */
  allowInsecureHttp?: boolean
  quirks?: string[]
  /** For agent policies: which constraint checker applies (`teams` for Microsoft Graph). Default: none. */
  family?: PolicyFacts['family']
  /** For agent policies: the scopes that only read; a token with only these is vended under `read_only`. */
  readOnlyScopes?: string[]
  /** For agent policies: endpoints that read although their method is not GET/HEAD. */
  reads?: PolicyFacts['reads']
  /** For agent policies: the API runs writes by GET too, so only `reads` are reads. */
  readsOnlyDeclared?: boolean
}

/**
 * How the client authenticates at the token endpoint (revocation included): with its secret
 * (`client_secret_post`, the default, or `client_secret_basic`), with a key that signs a JWT
 * (`private_key_jwt`, RFC 7523 §2.2), or not at all (`none`: a public client, RFC 6749 §2.1, which
 * sends its `client_id` only and relies on PKCE, always used here). At most one of `clientSecret`
 * and `clientAssertionKey`, and exactly the one the method uses.
 */
export type ClientAuthenticationOptions =
  | {
      tokenAuth?: 'client_secret_post' | 'client_secret_basic'
      clientSecret: string
      clientAssertionKey?: never
    }
  | {
      tokenAuth: 'private_key_jwt'
      /**
       * The key the client signs its token endpoint assertions with; register its public key (JWKS)
       * with the provider.
       *
       * @example
       * providers.oauth2({
       *   id: 'acme', authorizationUrl, tokenUrl, clientId: 'my-app',
       *   tokenAuth: 'private_key_jwt',
       *   clientAssertionKey: { privateKey: process.env.ACME_PRIVATE_KEY_PEM!, keyId: 'key-2025' },
       * })
       */
      clientAssertionKey: ClientAssertionKey
      clientSecret?: never
    }
  | {
      /**
       * A public client (RFC 6749 §2.1): no secret; the code is bound to the flow by PKCE alone.
       *
       * @example
       * providers.oauth2({ id: 'acme', authorizationUrl, tokenUrl, clientId: 'my-app', tokenAuth: 'none' })
       */
      tokenAuth: 'none'
      clientSecret?: never
      clientAssertionKey?: never
    }

/** Options of {@link oauth2}: URLs, client credentials and scopes of any OAuth 2.0 provider. */
export type OAuth2ProviderOptions = OAuth2ProviderCommonOptions & ClientAuthenticationOptions

// Every option object the documented type allows is input the schema takes (checked at compile time).
const _sameShape = (options: OAuth2ProviderOptions): z.input<typeof oauth2Options> => options
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
    refreshUrl: o.refreshUrl ?? null,
    clientId: o.clientId,
    clientSecret: o.clientSecret ?? null,
    clientAssertion: o.clientAssertionKey ?? null,
    scopes: o.scopes,
    allowedScopes: o.allowedScopes ?? null,
    scopeSeparator: o.scopeSeparator,
    userInfoUrl: o.userInfoUrl ?? null,
    userInfoMethod: o.userInfoMethod,
    userInfoHeaders: o.userInfoHeaders,
    revocationUrl: o.revocationUrl ?? null,
    revocation: o.revocation,
    apiBaseUrl: o.apiBaseUrl ?? null,
    connectionParams: o.connectionParams,
    allowInsecureHttp: o.allowInsecureHttp,
    apiHeaders: o.apiHeaders,
    connectionHeaders: o.connectionHeaders ?? null,
    apiTokenHeader: o.apiTokenHeader?.toLowerCase() ?? null,
    checkCallback: o.checkCallback ?? null,
    authorizationParams: o.authorizationParams,
    tokenAuth: o.tokenAuth,
    pkce: o.pkce,
    tokenParams: o.tokenParams,
    basicAuthEncoding: o.basicAuthEncoding,
    tokenRequestFormat: o.tokenRequestFormat,
    issuer: o.issuer ?? null,
    requireIss: o.issuer !== undefined && (o.requireIss ?? true),
    singleton: o.singleton,
    profile: o.profile ?? standardProfile,
    parseTokenResponse: o.parseTokenResponse ?? ((raw) => raw as TokenResponse),
    details: o.details ?? null,
    docsUrl: o.docsUrl ?? null,
    quirks: o.quirks,
    family: o.family,
    readOnlyScopes: o.readOnlyScopes,
    reads: o.reads,
    readsOnlyDeclared: o.readsOnlyDeclared,
    passportStrategy: null,
    owner: null,
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

/** One line per issue, led by its path unless the message already names it ("store must be …"). */
export function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.join('.')
      return path && !issue.message.startsWith(path) ? `${path} ${issue.message}` : issue.message
    })
    .join('; ')
}

export type { TokenResponse }
