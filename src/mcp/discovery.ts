import { z } from 'zod'
import { ConnectionsError } from '../core/errors.js'
import { isHttpsOrLoopback } from '../core/url-policy.js'
import { readLimited } from '../oauth/read-limited.js'
import { initializeRequest } from '../providers/mcp.js'
import type { ProviderFetch } from '../providers/types.js'

/** What a 401's `WWW-Authenticate: Bearer …` says (RFC 6750 §3, RFC 9728 §5.1). */
export interface BearerChallenge {
  resourceMetadata: string | null
  /** The scopes the server wants for this request (space-separated in the header). */
  scope: string[] | null
  /** `invalid_token`, `insufficient_scope`, … */
  error: string | null
}

const url = z.url({ protocol: /^https?$/ })

/** RFC 9728 §2: the fields this client reads. */
const resourceMetadataSchema = z.looseObject({
  resource: url,
  authorization_servers: z.array(url).min(1),
  scopes_supported: z.array(z.string()).optional(),
})

/** RFC 8414 §2 (and OpenID Connect Discovery), plus RFC 7591's and the CIMD draft's fields. */
const serverMetadataSchema = z.looseObject({
  issuer: z.string(),
  authorization_endpoint: url,
  token_endpoint: url,
  registration_endpoint: url.optional(),
  revocation_endpoint: url.optional(),
  scopes_supported: z.array(z.string()).optional(),
  code_challenge_methods_supported: z.array(z.string()).optional(),
  token_endpoint_auth_methods_supported: z.array(z.string()).optional(),
  client_id_metadata_document_supported: z.boolean().optional(),
  authorization_response_iss_parameter_supported: z.boolean().optional(),
})

export type AuthorizationServerMetadata = z.infer<typeof serverMetadataSchema>

/** How to get a token for an MCP server: its resource identifier and its authorization server. */
export interface McpAuthorization {
  /** The protected resource (RFC 9728 `resource`), sent as `resource` (RFC 8707). */
  resource: string
  /** The scopes to ask for: the 401's `scope`, else the resource's `scopes_supported`, else none. */
  scopes: string[]
  server: AuthorizationServerMetadata
}

export interface DiscoveryOptions {
  /** Every request goes through it: the pinned (SSRF-guarded) fetch for servers owners register. */
  fetch: ProviderFetch
  timeoutMs: number
  /** Accept http:// metadata and endpoints on other hosts than this machine. */
  allowInsecureHttp?: boolean
}

/**
 * The MCP authorization discovery (spec 2025-11-25, "Authorization Server Discovery"): an
 * unauthenticated request to the server; its 401's `resource_metadata` (else the RFC 9728 well-known
 * URIs) gives the protected resource metadata; its first authorization server gives RFC 8414 (else
 * OpenID Connect) metadata. Each document is checked against where it was fetched from, so a server
 * cannot hand over another resource's or issuer's.
 */
export async function discoverAuthorization(
  serverUrl: string,
  options: DiscoveryOptions,
): Promise<McpAuthorization> {
  const server = checkedUrl(serverUrl, 'The MCP server URL', options)
  const challenge = await probe(server, options)
  const resource = await resourceMetadata(server, challenge, options)
  const issuer = resource.authorization_servers[0] as string
  const metadata = await serverMetadata(checkedUrl(issuer, 'Its authorization server', options), options)
  for (const field of [
    'authorization_endpoint',
    'token_endpoint',
    'registration_endpoint',
    'revocation_endpoint',
  ] as const) {
    const value = metadata[field]
    if (value) checkedUrl(value, `Its ${field.replace('_', ' ')}`, options)
  }
  if (!metadata.code_challenge_methods_supported?.includes('S256')) {
    // MCP 2025-11-25: without S256 listed, the client must not go on (no PKCE, no public client).
    throw unusable(`its authorization server ${issuer} does not list PKCE S256`)
  }
  const scopes = challenge?.scope ?? resource.scopes_supported ?? []
  return { resource: resource.resource, scopes, server: metadata }
}

/**
 * `Bearer realm="x", resource_metadata="https://…", scope="a b"`: the parameters of the Bearer
 * challenge (auth-params are `token68`-free here; quoted strings may hold `\"`).
 */
export function parseBearerChallenge(header: string | null): BearerChallenge | null {
  if (!header) return null
  const start = header.search(/(^|[\s,])Bearer(\s|$)/i)
  if (start === -1) return null
  const params = new Map<string, string>()
  const pattern = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]+))/g
  const rest = header.slice(start).replace(/^[\s,]*Bearer/i, '')
  for (let match = pattern.exec(rest); match; match = pattern.exec(rest)) {
    const name = (match[1] as string).toLowerCase()
    // The next challenge's scheme ends this one (`Bearer a=b, DPoP c=d`): later params are not ours.
    const before = rest.slice(0, match.index)
    if (/,\s*[A-Za-z0-9_-]+\s+$/.test(before)) break
    if (!params.has(name)) params.set(name, match[2]?.replace(/\\(.)/g, '$1') ?? match[3] ?? '')
  }
  const scope = params.get('scope')
  return {
    resourceMetadata: params.get('resource_metadata') ?? null,
    scope: scope ? scope.split(' ').filter(Boolean) : null,
    error: params.get('error') ?? null,
  }
}

/** An `initialize` without a token: an MCP server that wants one answers 401 with its challenge. */
async function probe(server: URL, options: DiscoveryOptions): Promise<BearerChallenge | null> {
  const response = await request(server, options, initializeRequest())
  await response.body?.cancel().catch(() => undefined)
  if (response.status !== 401) return null
  return parseBearerChallenge(response.headers.get('www-authenticate'))
}

async function resourceMetadata(
  server: URL,
  challenge: BearerChallenge | null,
  options: DiscoveryOptions,
): Promise<z.infer<typeof resourceMetadataSchema>> {
  const path = server.pathname.replace(/\/$/, '')
  // RFC 9728 §3.1 inserts the well-known segment before the resource's path; MCP then tries the root.
  const candidates = challenge?.resourceMetadata
    ? [checkedUrl(challenge.resourceMetadata, 'Its resource_metadata', options)]
    : [
        ...(path ? [new URL(`/.well-known/oauth-protected-resource${path}`, server)] : []),
        new URL('/.well-known/oauth-protected-resource', server),
      ]
  const problems: string[] = []
  for (const candidate of candidates) {
    const found = await document(candidate, resourceMetadataSchema, options, problems)
    if (!found) continue
    if (!coversServer(found.resource, server)) {
      // RFC 9728 §3.3: metadata naming another resource is not this server's.
      problems.push(`${candidate.pathname} names another resource`)
      continue
    }
    return found
  }
  throw unusable(`no protected resource metadata (${problems.join('; ')})`)
}

async function serverMetadata(issuer: URL, options: DiscoveryOptions): Promise<AuthorizationServerMetadata> {
  const path = issuer.pathname.replace(/\/$/, '')
  // MCP 2025-11-25: RFC 8414 path insertion, then OpenID Connect with insertion, then appended.
  const candidates = [
    new URL(`/.well-known/oauth-authorization-server${path}`, issuer),
    new URL(`/.well-known/openid-configuration${path}`, issuer),
    ...(path ? [new URL(`${path}/.well-known/openid-configuration`, issuer)] : []),
  ]
  const problems: string[] = []
  for (const candidate of candidates) {
    const found = await document(candidate, serverMetadataSchema, options, problems)
    if (!found) continue
    // RFC 8414 §3.3: the issuer must be the one the metadata was fetched for.
    if (trimSlash(found.issuer) !== trimSlash(issuer.href)) {
      problems.push(`${candidate.pathname} names another issuer`)
      continue
    }
    return found
  }
  throw unusable(`no authorization server metadata at ${issuer.origin} (${problems.join('; ')})`)
}

/** A JSON document of the schema's shape, or undefined with the reason added to `problems`. */
async function document<T>(
  where: URL,
  schema: z.ZodType<T>,
  options: DiscoveryOptions,
  problems: string[],
): Promise<T | undefined> {
  const response = await request(where, options, { headers: { accept: 'application/json' } })
  const text = await readLimited(response, 'The MCP server')
  if (!response.ok) {
    problems.push(`${where.pathname} answered ${response.status}`)
    return undefined
  }
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    body = undefined
  }
  const parsed = schema.safeParse(body)
  if (parsed.success) return parsed.data
  problems.push(`${where.pathname} is not valid metadata`)
  return undefined
}

async function request(where: URL, options: DiscoveryOptions, init: RequestInit): Promise<Response> {
  try {
    return await options.fetch(where, {
      ...init,
      // A redirect would take the request somewhere no check has looked at.
      redirect: 'error',
      signal: AbortSignal.timeout(options.timeoutMs),
    })
  } catch (cause) {
    // The pinned fetch's refusal of a private address says so itself.
    if (cause instanceof ConnectionsError) throw cause
    throw new ConnectionsError('provider_error', `The MCP server at ${where.origin} did not answer.`, {
      cause,
    })
  }
}

/** The metadata's resource is the server's URL, or a prefix of it on the same origin. */
function coversServer(resource: string, server: URL): boolean {
  const named = new URL(resource)
  if (named.origin !== server.origin) return false
  const prefix = trimSlash(named.pathname)
  const path = trimSlash(server.pathname)
  return path === prefix || path.startsWith(`${prefix}/`)
}

function checkedUrl(value: string, what: string, options: DiscoveryOptions): URL {
  const parsed = URL.canParse(value) ? new URL(value) : null
  if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.hash || parsed.username) {
    throw unusable(`${what} is not an http(s) URL`)
  }
  if (!options.allowInsecureHttp && !isHttpsOrLoopback(parsed)) {
    throw unusable(`${what} is not https`)
  }
  return parsed
}

function trimSlash(value: string): string {
  return value.replace(/\/+$/, '')
}

function unusable(reason: string): ConnectionsError {
  return new ConnectionsError('provider_error', `The MCP server cannot be authorized: ${reason}.`)
}
