import type { OAuth2Provider } from '../providers/types.js'
import { ConnectionsError } from './errors.js'
import type { ConnectionRecord } from './model.js'
import { resolveProxyUrl } from './proxy-url.js'
import type { TokenManager } from './tokens.js'

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
 * Calls the provider's API with the connection's token, refreshing once and retrying once when the
 * provider answers 401 (the token may have been revoked or rotated early). Resolves as soon as the
 * headers arrive; the body streams.
 */
export async function callProvider(
  tokens: TokenManager,
  provider: OAuth2Provider,
  record: ConnectionRecord,
  path: string,
  request: ProxyRequest,
  options: { actor: string; timeoutMs: number },
): Promise<{ response: Response; record: ConnectionRecord }> {
  const apiBaseUrl = record.apiBaseUrl ?? provider.apiBaseUrl
  if (!apiBaseUrl) {
    throw new ConnectionsError('invalid_request', `Provider "${provider.id}" has no apiBaseUrl to call.`)
  }
  const url = resolveProxyUrl(apiBaseUrl, path)
  const withApiHeaders: ProxyRequest = {
    ...request,
    headers: mergeHeaders(provider.apiHeaders, request.headers),
  }
  let { token, record: current } = await tokens.accessToken(record, options.actor)
  let response = await send(
    url,
    withApiHeaders,
    token.accessToken,
    token.tokenType,
    options.timeoutMs,
    provider,
  )
  const replayable = !(request.body instanceof ReadableStream)
  if (response.status === 401 && replayable) {
    await response.body?.cancel()
    current = await tokens.refresh(current, options.actor, token.accessToken)
    ;({ token, record: current } = await tokens.accessToken(current, options.actor))
    response = await send(
      url,
      withApiHeaders,
      token.accessToken,
      token.tokenType,
      options.timeoutMs,
      provider,
    )
  }
  return { response, record: current }
}

async function send(
  url: URL,
  request: ProxyRequest,
  accessToken: string,
  tokenType: string,
  timeoutMs: number,
  provider: OAuth2Provider,
): Promise<Response> {
  const headers = new Headers(request.headers)
  for (const name of CALLER_MAY_NOT_SET) headers.delete(name)
  headers.set(
    'authorization',
    `${tokenType.toLowerCase() === 'bearer' ? 'Bearer' : tokenType} ${accessToken}`,
  )
  // Only the wait for the response headers is bounded: a long download may take its time.
  const abort = new AbortController()
  const timer = setTimeout(() => abort.abort(new Error('timeout')), timeoutMs)
  const signals = request.signal ? AbortSignal.any([abort.signal, request.signal]) : abort.signal
  try {
    return await fetch(url, {
      method: request.method ?? 'GET',
      headers,
      body: request.body ?? null,
      redirect: 'manual',
      signal: signals,
      ...(request.body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit)
  } catch (cause) {
    throw new ConnectionsError('provider_error', `${provider.name} did not answer the API call.`, { cause })
  } finally {
    clearTimeout(timer)
  }
}

/** The provider's required headers (an API version), under what the caller sends. */
function mergeHeaders(defaults: Record<string, string>, given: ProxyRequest['headers']): Headers {
  const headers = new Headers(defaults)
  new Headers(given).forEach((value, name) => headers.set(name, value))
  return headers
}
