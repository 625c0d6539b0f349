import { z } from 'zod'
import { ConnectionsError, InvalidCredentialsError } from '../core/errors.js'
import { isHttpsOrLoopback } from '../core/url-policy.js'
import { credentials } from './credentials/define.js'
import { formatIssues, oauth2 } from './define.js'
import type { CredentialCheck, CredentialsProvider, OAuth2Provider, ProviderFetch } from './types.js'

/** The newest MCP revision this client speaks (the SDK's too). */
export const MCP_PROTOCOL_VERSION = '2025-11-25'

/** An MCP `initialize` request: what a server answers first, with 401 when it wants a token. */
export function initializeRequest(headers: Record<string, string> = {}): RequestInit {
  const body = {
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: {
      protocolVersion: MCP_PROTOCOL_VERSION,
      capabilities: {},
      clientInfo: { name: 'express-connections', version: '1' },
    },
  }
  return {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': MCP_PROTOCOL_VERSION,
      ...headers,
    },
    body: JSON.stringify(body),
  }
}

/** Options of {@link mcp}: a remote MCP server (streamable HTTP) that takes OAuth. */
export interface McpProviderOptions {
  /** Lowercase slug; also the last segment of the callback URL `<mount>/callback/<id>`. */
  id: string
  name?: string
  /** The server's MCP endpoint, e.g. `https://mcp.example.com/mcp`. */
  url: string
  /**
   * A client registered with the server's authorization server by hand. Without one the router
   * registers itself: a client ID metadata document it serves, else dynamic registration (RFC 7591).
   */
  clientId?: string
  /** The registered client's secret; leave it out for a public client. */
  clientSecret?: string
  /** Asked for when a flow names none; default: what the server's 401 or metadata asks for. */
  scopes?: string[]
  /** Accept http:// on other hosts than this machine (a network you trust). */
  allowInsecureHttp?: boolean
  /** Makes every call to the server and its authorization server (discovery included). */
  fetch?: ProviderFetch
  /**
   * How the server takes requests: OAuth (the default), a static key each connection gives
   * (`bearer`: checked live with an `initialize`, then sent on every call), or nothing (`none`).
   */
  auth?: 'oauth' | 'bearer' | 'none'
  /** With `auth: 'bearer'`: the header the key goes in when not `Authorization: Bearer`. */
  header?: string
}

/** Never resolves (RFC 6761): what an MCP provider points at until its endpoints are discovered. */
const UNDISCOVERED = 'https://mcp-discovery.invalid'

const options = z.strictObject({
  id: z.string(),
  name: z.string().min(1).max(100).optional(),
  url: z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }),
  clientId: z.string().min(1).optional(),
  clientSecret: z.string().min(1).optional(),
  scopes: z.array(z.string().min(1)).optional(),
  allowInsecureHttp: z.boolean().default(false),
  fetch: z.custom<ProviderFetch>((value) => typeof value === 'function', 'must be a function').optional(),
  auth: z.enum(['oauth', 'bearer', 'none']).default('oauth'),
  header: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/, 'must be a header name')
    .optional(),
})

type ParsedOptions = z.infer<typeof options>

/**
 * A remote MCP server as a provider (MCP authorization, 2025-11-25): at first use its 401 leads to
 * its protected resource metadata (RFC 9728) and authorization server (RFC 8414); the flow is the
 * authorization code with PKCE S256 and the `resource` indicator (RFC 8707) on every request.
 *
 * @example
 * providers.mcp({ id: 'notes', name: 'Notes', url: 'https://mcp.notes.example/mcp' })
 */
export function mcp(given: McpProviderOptions & { auth?: 'oauth' }): OAuth2Provider
export function mcp(given: McpProviderOptions & { auth: 'bearer' | 'none' }): CredentialsProvider
export function mcp(given: McpProviderOptions): OAuth2Provider | CredentialsProvider {
  const parsed = options.safeParse(given)
  if (!parsed.success) {
    const id = typeof given?.id === 'string' ? ` "${given.id}"` : ''
    throw new TypeError(`providers.mcp${id}: ${formatIssues(parsed.error)}`)
  }
  const o = parsed.data
  if (!o.allowInsecureHttp && !isHttpsOrLoopback(new URL(o.url))) {
    throw new TypeError(`providers.mcp "${o.id}": url must be https (http only on localhost).`)
  }
  if (o.auth !== 'oauth') {
    if (o.clientId !== undefined || o.scopes !== undefined) {
      throw new TypeError(`providers.mcp "${o.id}": clientId and scopes are for auth 'oauth' only.`)
    }
    return keyProvider(o)
  }
  if (o.header !== undefined)
    throw new TypeError(`providers.mcp "${o.id}": header is for auth 'bearer' only.`)
  if (o.clientSecret !== undefined && o.clientId === undefined) {
    throw new TypeError(`providers.mcp "${o.id}": clientSecret needs the clientId it belongs to.`)
  }
  const client =
    o.clientSecret !== undefined
      ? { tokenAuth: 'client_secret_post' as const, clientSecret: o.clientSecret }
      : { tokenAuth: 'none' as const }
  const provider = oauth2({
    id: o.id,
    ...(o.name ? { name: o.name } : {}),
    authorizationUrl: `${UNDISCOVERED}/authorize`,
    tokenUrl: `${UNDISCOVERED}/token`,
    clientId: o.clientId ?? 'unregistered',
    ...client,
    scopes: o.scopes ?? [],
    // The directory of the MCP endpoint: the endpoint itself is then a path under it (`mcp`), with no
    // trailing slash added by the proxy's URL resolution.
    apiBaseUrl: directoryOf(o.url),
    allowInsecureHttp: o.allowInsecureHttp,
    quirks: ['MCP server: endpoints and client found at first use (RFC 9728, RFC 8414, CIMD or RFC 7591)'],
  })
  return {
    ...provider,
    ...(o.fetch ? { fetch: o.fetch } : {}),
    mcp: { url: o.url, configuredClient: o.clientId !== undefined, resource: null },
  }
}

/** The directory of the MCP endpoint: calls then go to a path under it (`mcp`), never with a slash added. */
function directoryOf(url: string): string {
  return new URL('.', url).href.replace(/\/$/, '')
}

/**
 * An MCP server that takes a static key (or nothing): a credentials provider whose check is an
 * `initialize` with the key; 401 or 403 refuse it (422, nothing stored).
 */
function keyProvider(o: ParsedOptions): CredentialsProvider {
  const name = o.name ?? o.id
  const header = o.header?.toLowerCase() ?? 'authorization'
  const headersFor = (key: string): Record<string, string> =>
    o.auth === 'none' ? {} : { [header]: header === 'authorization' ? `Bearer ${key}` : key }
  const provider = credentials({
    id: o.id,
    name,
    fields: { apiKey: { label: 'API key', pattern: /^\S{1,4096}$/ } },
    apiBaseUrl: directoryOf(o.url),
    // Without a key there is one connection per owner, the server's.
    singleton: o.auth === 'none',
    async check({ apiKey: key = '' }, context): Promise<CredentialCheck> {
      await initializeWith(o, name, headersFor(key), context.timeoutMs)
      return {
        accountId: null,
        accountEmail: null,
        displayName: null,
        credential: { accessToken: key, tokenType: o.auth === 'none' ? 'none' : 'Bearer' },
      }
    },
    requestAuth: ({ accessToken }) => ({ headers: headersFor(accessToken) }),
    quirks: [
      o.auth === 'none' ? 'MCP server that takes no credentials' : 'MCP server key checked with initialize',
    ],
  })
  return {
    ...provider,
    ...(o.auth === 'none' ? { fields: {} } : {}),
    mcp: { url: o.url },
  }
}

async function initializeWith(
  o: ParsedOptions,
  name: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<void> {
  let response: Response
  try {
    response = await (o.fetch ?? fetch)(o.url, {
      ...initializeRequest(headers),
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    })
  } catch (cause) {
    if (cause instanceof ConnectionsError) throw cause
    throw new ConnectionsError('provider_error', `${name} did not answer.`, { cause })
  }
  await response.body?.cancel().catch(() => undefined)
  if (response.status === 401 || response.status === 403) {
    throw new InvalidCredentialsError(`${name} refused this key.`)
  }
  if (!response.ok) {
    throw new ConnectionsError(
      'provider_error',
      `${name} did not take an MCP initialize (HTTP ${response.status}).`,
    )
  }
  // A stateful server opened a session for the check: end it (MCP "Session Management").
  const session = response.headers.get('mcp-session-id')
  if (session) {
    await (o.fetch ?? fetch)(o.url, {
      method: 'DELETE',
      headers: { ...headers, 'mcp-session-id': session, 'mcp-protocol-version': MCP_PROTOCOL_VERSION },
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    })
      .then((answer) => answer.body?.cancel())
      .catch(() => undefined)
  }
}
