import { z } from 'zod'
import { isHttpsOrLoopback } from '../core/url-policy.js'
import { formatIssues, oauth2 } from './define.js'
import type { OAuth2Provider, ProviderFetch } from './types.js'

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
})

/**
 * A remote MCP server as a provider (MCP authorization, 2025-11-25): at first use its 401 leads to
 * its protected resource metadata (RFC 9728) and authorization server (RFC 8414); the flow is the
 * authorization code with PKCE S256 and the `resource` indicator (RFC 8707) on every request.
 *
 * @example
 * providers.mcp({ id: 'notes', name: 'Notes', url: 'https://mcp.notes.example/mcp' })
 */
export function mcp(given: McpProviderOptions): OAuth2Provider {
  const parsed = options.safeParse(given)
  if (!parsed.success) {
    const id = typeof given?.id === 'string' ? ` "${given.id}"` : ''
    throw new TypeError(`providers.mcp${id}: ${formatIssues(parsed.error)}`)
  }
  const o = parsed.data
  if (!o.allowInsecureHttp && !isHttpsOrLoopback(new URL(o.url))) {
    throw new TypeError(`providers.mcp "${o.id}": url must be https (http only on localhost).`)
  }
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
    apiBaseUrl: new URL('.', o.url).href.replace(/\/$/, ''),
    allowInsecureHttp: o.allowInsecureHttp,
    quirks: ['MCP server: endpoints and client found at first use (RFC 9728, RFC 8414, CIMD or RFC 7591)'],
  })
  return {
    ...provider,
    ...(o.fetch ? { fetch: o.fetch } : {}),
    mcp: { url: o.url, configuredClient: o.clientId !== undefined, resource: null },
  }
}
