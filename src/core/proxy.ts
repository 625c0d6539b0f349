import type { Provider, RequestAuth } from '../providers/types.js'
import { ConnectionsError } from './errors.js'
import type { ConnectionRecord } from './model.js'
import { resolveProxyUrl } from './proxy-url.js'
import type { AccessToken, TokenManager } from './tokens.js'

/** A request to a provider's API, as server code or the HTTP proxy describes it. */
export interface ProxyRequest {
  method?: string
  headers?: RequestInit['headers']
  /** Sent as is; a stream cannot be replayed, so a 401 is then not retried. */
  body?: RequestInit['body']
  signal?: AbortSignal
}

// Set by the proxy itself; a caller's value would be wrong or would leak its own credentials.
const CALLER_MAY_NOT_SET = [
  'authorization',
  'cookie',
  'host',
  'content-length',
  'connection',
  'transfer-encoding',
]

/**
 * Calls the provider's API with the connection's credential. For OAuth connections a 401 leads to
 * one refresh and one retry (the token may have been revoked or rotated early). Resolves as soon as
 * the headers arrive; the body streams.
 */
export async function callProvider(
  tokens: TokenManager,
  provider: Provider,
  record: ConnectionRecord,
  path: string,
  request: ProxyRequest,
  options: { actor: string; timeoutMs: number },
): Promise<{ response: Response; record: ConnectionRecord }> {
  let { token, record: current } = await tokens.accessToken(record, options.actor)
  let response = await send(provider, current, path, request, token, options.timeoutMs)
  const replayable = !(request.body instanceof ReadableStream)
  if (response.status === 401 && replayable && provider.kind === 'oauth2') {
    await response.body?.cancel()
    current = await tokens.refresh(current, options.actor, token.accessToken)
    ;({ token, record: current } = await tokens.accessToken(current, options.actor))
    response = await send(provider, current, path, request, token, options.timeoutMs)
  }
  return { response, record: current }
}

function authFor(provider: Provider, token: AccessToken): RequestAuth {
  if (provider.kind === 'credentials') return provider.requestAuth(token)
  if (provider.apiTokenHeader) return { headers: { [provider.apiTokenHeader]: token.accessToken } }
  const scheme = token.tokenType.toLowerCase() === 'bearer' ? 'Bearer' : token.tokenType
  return { headers: { authorization: `${scheme} ${token.accessToken}` } }
}

async function send(
  provider: Provider,
  record: ConnectionRecord,
  path: string,
  request: ProxyRequest,
  token: AccessToken,
  timeoutMs: number,
): Promise<Response> {
  const auth = authFor(provider, token)
  const apiBaseUrl = auth.baseUrl ?? record.apiBaseUrl ?? provider.apiBaseUrl
  if (!apiBaseUrl) {
    throw new ConnectionsError('invalid_request', `Provider "${provider.id}" has no apiBaseUrl to call.`)
  }
  const url = resolveProxyUrl(apiBaseUrl, path)
  const headers = new Headers(provider.apiHeaders)
  if (provider.kind === 'oauth2' && provider.connectionHeaders) {
    for (const [name, value] of Object.entries(provider.connectionHeaders(record.metadata)))
      headers.set(name, value)
  }
  for (const [name, value] of new Headers(request.headers)) headers.set(name, value)
  for (const name of CALLER_MAY_NOT_SET) headers.delete(name)
  for (const [name, value] of Object.entries(auth.headers ?? {})) headers.set(name, value)
  // Only the wait for the response headers is bounded: a long download may take its time.
  const abort = new AbortController()
  const timer = setTimeout(() => abort.abort(new Error('timeout')), timeoutMs)
  const signal = request.signal ? AbortSignal.any([abort.signal, request.signal]) : abort.signal
  // A custom provider's own fetch checks where the URL (the connection's API base included) resolves.
  const transport = (provider.kind === 'oauth2' ? provider.fetch : undefined) ?? fetch
  try {
    return await transport(url, {
      method: request.method ?? 'GET',
      headers,
      body: request.body ?? null,
      redirect: 'manual',
      signal,
      ...(request.body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit)
  } catch (cause) {
    if (cause instanceof ConnectionsError) throw cause
    throw new ConnectionsError('provider_error', `${provider.name} did not answer the API call.`, { cause })
  } finally {
    clearTimeout(timer)
  }
}
