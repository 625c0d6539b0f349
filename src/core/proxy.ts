import { Readable } from 'node:stream'
import type { ReadableStream as NodeReadableStream } from 'node:stream/web'
import { request as undiciRequest } from 'undici'
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
export function callProvider(
  tokens: TokenManager,
  provider: Provider,
  record: ConnectionRecord,
  path: string,
  request: ProxyRequest,
  options: { actor: string; timeoutMs: number },
): Promise<{ response: Response; record: ConnectionRecord }> {
  return withOneRetry(tokens, provider, record, request, options, {
    send: (current, token) => send(provider, current, path, request, token, options.timeoutMs),
    status: (response) => response.status,
    discard: async (response) => {
      await response.body?.cancel()
    },
  }).then(({ answer, record: current }) => ({ response: answer, record: current }))
}

/**
 * A provider's answer as the HTTP proxy relays it: the status, the headers (lower-case names) and
 * the body as a Node stream. `encoded`: the body is as the provider sent it, so a Content-Encoding
 * goes with it (fetch decodes bodies; a direct request does not, and asks for no encoding).
 */
export interface Upstream {
  status: number
  headers: ReadonlyMap<string, string>
  body: Readable | null
  encoded: boolean
}

/**
 * {@link callProvider} for the HTTP proxy, which streams the answer on to a Node response. A provider
 * with no fetch of its own (custom providers have the pinned one) is called with undici's `request`
 * on the global dispatcher, as the global fetch would be, without building a fetch Request and
 * Response and a web stream per call; the connections stay alive per origin in that dispatcher.
 * The global fetch is still used when it was replaced (a host's mock or instrumentation) or for a
 * body `request` cannot send as is.
 */
export function callProviderForRelay(
  tokens: TokenManager,
  provider: Provider,
  record: ConnectionRecord,
  path: string,
  request: ProxyRequest,
  options: { actor: string; timeoutMs: number },
): Promise<{ upstream: Upstream; record: ConnectionRecord }> {
  if (!directly(provider, request)) {
    return callProvider(tokens, provider, record, path, request, options).then(({ response, record: r }) => ({
      upstream: fromResponse(response),
      record: r,
    }))
  }
  return withOneRetry(tokens, provider, record, request, options, {
    send: (current, token) => sendDirect(provider, current, path, request, token, options.timeoutMs),
    status: (upstream) => upstream.status,
    discard: async (upstream) => {
      // Read off (a short 401 answer) so the socket stays alive; a long one is cut.
      await (upstream.body as (Readable & { dump?: () => Promise<void> }) | null)
        ?.dump?.()
        .catch(() => undefined)
    },
  }).then(({ answer, record: current }) => ({ upstream: answer, record: current }))
}

/** For OAuth connections a 401 leads to one refresh and one retry, when the body can be sent again. */
async function withOneRetry<T>(
  tokens: TokenManager,
  provider: Provider,
  record: ConnectionRecord,
  request: ProxyRequest,
  options: { actor: string },
  call: {
    send: (record: ConnectionRecord, token: AccessToken) => Promise<T>
    status: (answer: T) => number
    discard: (answer: T) => Promise<void>
  },
): Promise<{ answer: T; record: ConnectionRecord }> {
  let { token, record: current } = await tokens.accessToken(record, options.actor)
  let answer = await call.send(current, token)
  const replayable = !(request.body instanceof ReadableStream)
  if (call.status(answer) === 401 && replayable && provider.kind === 'oauth2') {
    await call.discard(answer)
    current = await tokens.refresh(current, options.actor, token.accessToken)
    ;({ token, record: current } = await tokens.accessToken(current, options.actor))
    answer = await call.send(current, token)
  }
  return { answer, record: current }
}

/** The global fetch as it was when this module loaded: a replaced one is used as it is. */
const ORIGINAL_FETCH = globalThis.fetch

// Methods fetch refuses and `request` would send: TRACE would echo the credential back to the caller.
const FETCH_FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK'])

function directly(provider: Provider, request: ProxyRequest): boolean {
  if (provider.kind === 'oauth2' && provider.fetch) return false
  if (globalThis.fetch !== ORIGINAL_FETCH) return false
  if (FETCH_FORBIDDEN_METHODS.has((request.method ?? 'GET').toUpperCase())) return false
  const body = request.body
  return body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array
}

function fromResponse(response: Response): Upstream {
  return {
    status: response.status,
    headers: new Map(response.headers),
    body: response.body ? Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>) : null,
    encoded: false,
  }
}

function authFor(provider: Provider, token: AccessToken): RequestAuth {
  if (provider.kind === 'credentials') return provider.requestAuth(token)
  if (provider.apiTokenHeader) return { headers: { [provider.apiTokenHeader]: token.accessToken } }
  const scheme = token.tokenType.toLowerCase() === 'bearer' ? 'Bearer' : token.tokenType
  return { headers: { authorization: `${scheme} ${token.accessToken}` } }
}

/** The URL and headers of a call: the provider's, the caller's (minus what only the proxy sets), the credential. */
function prepare(
  provider: Provider,
  record: ConnectionRecord,
  path: string,
  request: ProxyRequest,
  token: AccessToken,
): { url: URL; headers: Headers } {
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
  return { url, headers }
}

async function sendDirect(
  provider: Provider,
  record: ConnectionRecord,
  path: string,
  request: ProxyRequest,
  token: AccessToken,
  timeoutMs: number,
): Promise<Upstream> {
  const { url, headers } = prepare(provider, record, path, request, token)
  // As in `send`: only the wait for the response headers is bounded; the caller's signal ends the
  // call at any time, the body's streaming included.
  const abort = new AbortController()
  const timer = setTimeout(() => abort.abort(new Error('timeout')), timeoutMs)
  const caller = request.signal
  if (caller?.aborted) abort.abort(caller.reason)
  else caller?.addEventListener('abort', () => abort.abort(caller.reason), { once: true })
  try {
    const options = {
      method: (request.method ?? 'GET') as 'GET',
      headers: Object.fromEntries(headers),
      body: (request.body ?? null) as string | Uint8Array | null,
      signal: abort.signal,
      // Never followed, as fetch's `redirect: 'manual'`, even by a global dispatcher whose redirect
      // interceptor would: it reads this per request (undici's types leave it out since v7).
      maxRedirections: 0,
    }
    const answer = await undiciRequest(url, options as Parameters<typeof undiciRequest>[1])
    const relayed = new Map<string, string>()
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value !== undefined) relayed.set(name, Array.isArray(value) ? value.join(', ') : value)
    }
    return { status: answer.statusCode, headers: relayed, body: answer.body, encoded: true }
  } catch (cause) {
    throw new ConnectionsError('provider_error', `${provider.name} did not answer the API call.`, { cause })
  } finally {
    clearTimeout(timer)
  }
}

async function send(
  provider: Provider,
  record: ConnectionRecord,
  path: string,
  request: ProxyRequest,
  token: AccessToken,
  timeoutMs: number,
): Promise<Response> {
  const { url, headers } = prepare(provider, record, path, request, token)
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
