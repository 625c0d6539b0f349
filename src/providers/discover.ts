import { z } from 'zod'
import { isHttpsOrLoopback } from '../core/url-policy.js'
import { readLimitedJson } from '../oauth/read-limited.js'
import {
  type ClientAuthenticationOptions,
  type OAuth2ProviderCommonOptions,
  type OAuth2ProviderOptions,
  oauth2,
} from './define.js'
import type { OAuth2Provider } from './types.js'

/** Options of {@link discover}: an issuer instead of URLs, and whatever {@link oauth2} takes besides. */
export type DiscoverOptions = Omit<
  OAuth2ProviderCommonOptions,
  'authorizationUrl' | 'tokenUrl' | 'revocationUrl' | 'issuer' | 'requireIss'
> &
  ClientAuthenticationOptions & {
    /** The authorization server's issuer identifier (RFC 8414 §2), e.g. `https://login.example.com`. */
    issuer: string
    /** How long fetching the metadata may take (default 10 s). */
    timeoutMs?: number
  }

const url = z.url({ protocol: /^https?$/ })

/** The fields of RFC 8414 §2 (and OpenID Connect Discovery) that a client of this router uses. */
const metadataSchema = z.looseObject({
  issuer: z.string(),
  authorization_endpoint: url,
  token_endpoint: url,
  revocation_endpoint: url.optional(),
  userinfo_endpoint: url.optional(),
  response_types_supported: z.array(z.string()).optional(),
  code_challenge_methods_supported: z.array(z.string()).optional(),
  token_endpoint_auth_methods_supported: z.array(z.string()).optional(),
  authorization_response_iss_parameter_supported: z.boolean().optional(),
})

type Metadata = z.infer<typeof metadataSchema>

/**
 * A provider from its authorization server metadata (RFC 8414, or OpenID Connect Discovery): the
 * endpoints, how the client authenticates, and whether `iss` must come back on every authorization
 * response (RFC 9207 §3) are read from the issuer itself. The metadata must name exactly the issuer
 * it was fetched for (RFC 8414 §3.3), so a document served from elsewhere cannot redirect the flow.
 *
 * @example
 * const keycloak = await providers.discover({
 *   id: 'keycloak', issuer: 'https://sso.example.com/realms/main',
 *   clientId: 'my-app', clientSecret: process.env.KEYCLOAK_SECRET, scopes: ['openid', 'email'],
 * })
 */
export async function discover(options: DiscoverOptions): Promise<OAuth2Provider> {
  const {
    issuer,
    timeoutMs = 10_000,
    tokenAuth: _t,
    clientSecret: _s,
    clientAssertionKey: _k,
    ...rest
  } = options
  const issuerUrl = checkedIssuer(issuer, rest.allowInsecureHttp === true)
  const metadata = await fetchMetadata(issuerUrl, timeoutMs)
  if (metadata.issuer !== issuer) {
    throw new Error(`providers.discover "${rest.id}": the metadata names another issuer than ${issuer}.`)
  }
  if (metadata.response_types_supported && !metadata.response_types_supported.includes('code')) {
    throw new Error(
      `providers.discover "${rest.id}": ${issuer} does not support the authorization code flow.`,
    )
  }
  const pkce = metadata.code_challenge_methods_supported
  if (pkce && !pkce.includes('S256')) {
    throw new Error(`providers.discover "${rest.id}": ${issuer} does not support PKCE with S256.`)
  }
  const found: OAuth2ProviderOptions = {
    ...rest,
    ...clientAuthentication(options, metadata, rest.id),
    authorizationUrl: metadata.authorization_endpoint,
    tokenUrl: metadata.token_endpoint,
    ...(metadata.revocation_endpoint ? { revocationUrl: metadata.revocation_endpoint } : {}),
    ...(rest.userInfoUrl || !metadata.userinfo_endpoint ? {} : { userInfoUrl: metadata.userinfo_endpoint }),
    issuer,
    requireIss: metadata.authorization_response_iss_parameter_supported === true,
  }
  return oauth2(found)
}

function checkedIssuer(issuer: string, allowInsecureHttp: boolean): URL {
  const parsed = URL.canParse(issuer) ? new URL(issuer) : null
  // RFC 8414 §2: https, no query, no fragment.
  if (!parsed || parsed.search || parsed.hash || !/^https?:$/.test(parsed.protocol)) {
    throw new TypeError(`providers.discover: issuer must be an https URL without query or fragment.`)
  }
  if (!allowInsecureHttp && !isHttpsOrLoopback(parsed)) {
    throw new TypeError('providers.discover: issuer must be https (http only on localhost).')
  }
  return parsed
}

/**
 * RFC 8414 §3.1 inserts the well-known segment between the host and the issuer's path; OpenID
 * Connect Discovery appends it. The first document that answers is used.
 */
async function fetchMetadata(issuer: URL, timeoutMs: number): Promise<Metadata> {
  const path = issuer.pathname.replace(/\/$/, '')
  const candidates = [
    `${issuer.origin}/.well-known/oauth-authorization-server${path}`,
    `${issuer.origin}${path}/.well-known/openid-configuration`,
  ]
  const problems: string[] = []
  for (const candidate of candidates) {
    const where = new URL(candidate).pathname
    let response: Response
    try {
      response = await fetch(candidate, {
        headers: { accept: 'application/json' },
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      })
    } catch {
      problems.push(`${where} did not answer`)
      continue
    }
    const body = await readLimitedJson(response, issuer.origin)
    if (!response.ok) {
      problems.push(`${where} answered ${response.status}`)
      continue
    }
    const parsed = metadataSchema.safeParse(body)
    if (parsed.success) return parsed.data
    problems.push(`${where} is not valid metadata`)
  }
  throw new Error(
    `providers.discover: could not read the metadata of ${issuer.href}: ${problems.join('; ')}.`,
  )
}

/** The method the options name, else the one the server lists that this client can use. */
function clientAuthentication(
  options: DiscoverOptions,
  metadata: Metadata,
  id: string,
): ClientAuthenticationOptions {
  if (options.tokenAuth === 'private_key_jwt') {
    return { tokenAuth: 'private_key_jwt', clientAssertionKey: options.clientAssertionKey }
  }
  const listed = metadata.token_endpoint_auth_methods_supported
  if (options.tokenAuth === 'none') {
    if (listed && !listed.includes('none')) {
      throw new Error(
        `providers.discover "${id}": ${metadata.issuer} does not take public clients (token_endpoint_auth_methods_supported has no 'none').`,
      )
    }
    return { tokenAuth: 'none' }
  }
  return {
    tokenAuth: options.tokenAuth ?? secretAuthentication(listed, id),
    clientSecret: options.clientSecret,
  }
}

/**
 * client_secret_post when the server lists it: the secret then needs no encoding, which servers that
 * take Basic disagree on (RFC 6749 §2.3.1 form-encodes it; node-oauth and jmondi do not decode it).
 * RFC 8414 §2: without `token_endpoint_auth_methods_supported`, the server expects client_secret_basic.
 */
function secretAuthentication(
  listed: string[] | undefined,
  id: string,
): 'client_secret_basic' | 'client_secret_post' {
  const supported = listed ?? ['client_secret_basic']
  if (supported.includes('client_secret_post')) return 'client_secret_post'
  if (supported.includes('client_secret_basic')) return 'client_secret_basic'
  const publicOnly = supported.includes('none')
    ? ": it takes public clients (tokenAuth: 'none', no clientSecret)"
    : ' (give tokenAuth)'
  throw new Error(
    `providers.discover "${id}": the server takes neither client_secret_post nor client_secret_basic${publicOnly}.`,
  )
}
