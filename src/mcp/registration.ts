import { z } from 'zod'
import { ConnectionsError } from '../core/errors.js'
import { readLimited } from '../oauth/read-limited.js'
import type { ProviderFetch } from '../providers/types.js'
import type { McpClient, McpClientStore } from '../storage/mcp-clients.js'
import type { AuthorizationServerMetadata } from './discovery.js'

export interface RegistrationOptions {
  /** The provider's callback URL, registered as the client's only redirect URI. */
  redirectUri: string
  /** Where this router serves the provider's client ID metadata document; null: it serves none. */
  clientDocumentUrl: string | null
  clientName: string
  fetch: ProviderFetch
  timeoutMs: number
  store: McpClientStore
}

/** What a client ID metadata document says (draft-ietf-oauth-client-id-metadata-document). */
export interface ClientDocument {
  client_id: string
  client_name: string
  redirect_uris: string[]
  grant_types: string[]
  response_types: string[]
  token_endpoint_auth_method: 'none'
}

/** RFC 7591 §3.2.1: the fields of the answer this client uses. */
const registered = z.looseObject({
  client_id: z.string().min(1),
  client_secret: z.string().min(1).optional(),
  token_endpoint_auth_method: z.string().optional(),
})

const refusal = z.looseObject({ error: z.string().max(100) })

/**
 * The client to use with an authorization server when the host configured none, in the order the
 * MCP spec (2025-11-25) recommends: this router's client ID metadata document when the server takes
 * one (no registration, nothing stored), else dynamic registration (RFC 7591), done once per issuer
 * and callback URL and stored sealed.
 */
export async function clientFor(
  server: AuthorizationServerMetadata,
  options: RegistrationOptions,
): Promise<McpClient> {
  if (server.client_id_metadata_document_supported === true && options.clientDocumentUrl) {
    return { clientId: options.clientDocumentUrl, clientSecret: null, tokenAuth: 'none' }
  }
  const endpoint = server.registration_endpoint
  if (!endpoint) {
    const cimd = server.client_id_metadata_document_supported
      ? ' (it takes client ID metadata documents, which need an https baseUrl and a mountPath)'
      : ''
    throw new ConnectionsError(
      'provider_error',
      `The MCP server's authorization server offers no client registration${cimd}: configure a clientId.`,
    )
  }
  return options.store.getOrRegister(server.issuer, options.redirectUri, () =>
    register(endpoint, server, options),
  )
}

/** The document the router serves at `clientDocumentUrl`: a public client, PKCE-bound. */
export function clientDocument(url: string, clientName: string, redirectUri: string): ClientDocument {
  return {
    client_id: url,
    client_name: clientName,
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
  }
}

async function register(
  endpoint: string,
  server: AuthorizationServerMetadata,
  options: RegistrationOptions,
): Promise<McpClient> {
  const method = authMethod(server.token_endpoint_auth_methods_supported)
  let response: Response
  try {
    response = await options.fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        client_name: options.clientName,
        redirect_uris: [options.redirectUri],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: method,
      }),
      redirect: 'error',
      signal: AbortSignal.timeout(options.timeoutMs),
    })
  } catch (cause) {
    if (cause instanceof ConnectionsError) throw cause
    throw new ConnectionsError('provider_error', 'The MCP server’s registration endpoint did not answer.', {
      cause,
    })
  }
  const text = await readLimited(response, 'The MCP server’s registration endpoint')
  const body = parseJson(text)
  if (!response.ok) {
    const code = refusal.safeParse(body)
    const why = code.success ? code.data.error : `HTTP ${response.status}`
    throw new ConnectionsError(
      'provider_error',
      `The MCP server’s authorization server refused to register this client (${why}).`,
    )
  }
  const parsed = registered.safeParse(body)
  if (!parsed.success) {
    throw new ConnectionsError('provider_error', 'The MCP server’s registration answer has no client_id.')
  }
  const answered = parsed.data.token_endpoint_auth_method ?? method
  const secret = parsed.data.client_secret ?? null
  if (answered === 'none') return { clientId: parsed.data.client_id, clientSecret: null, tokenAuth: 'none' }
  if ((answered === 'client_secret_post' || answered === 'client_secret_basic') && secret !== null) {
    return { clientId: parsed.data.client_id, clientSecret: secret, tokenAuth: answered }
  }
  throw new ConnectionsError(
    'provider_error',
    `The MCP server registered this client for ${answered.slice(0, 40)} without what it needs.`,
  )
}

/**
 * A confidential client when the server takes one (the router keeps secrets server-side), else a
 * public one. RFC 8414 §2: an unlisted method list means client_secret_basic.
 */
function authMethod(listed: string[] | undefined): McpClient['tokenAuth'] {
  const supported = listed ?? ['client_secret_basic']
  if (supported.includes('client_secret_post')) return 'client_secret_post'
  if (supported.includes('client_secret_basic')) return 'client_secret_basic'
  return 'none'
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
