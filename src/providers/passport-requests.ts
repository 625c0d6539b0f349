import https from 'node:https'
import { PROVIDER_ANSWER_LIMIT, readLimited } from '../oauth/read-limited.js'

/** How long a strategy's own request (its profile, GitHub's e-mails) may take; node-oauth has no limit. */
export const STRATEGY_REQUEST_TIMEOUT_MS = 15_000

/** node-oauth's request options, as its `_request` builds them for `_executeRequest`. */
interface NodeOAuthRequest {
  host: string
  port?: number | string
  path: string
  method: string
  headers: Record<string, string | number>
}

type NodeOAuthCallback = (
  error: { statusCode: number; data: string } | Error | null,
  body?: string,
  response?: { statusCode: number; headers: Record<string, string> },
) => void

/** The part of node-oauth's OAuth2 client (a passport-oauth2 strategy's `_oauth2`) replaced here. */
export interface NodeOAuthClient {
  _executeRequest: (
    library: unknown,
    options: NodeOAuthRequest,
    body: unknown,
    callback: NodeOAuthCallback,
  ) => void
}

/**
 * Sends the requests a passport strategy makes itself (its user profile, extra lookups) through
 * `fetch` instead of node-oauth's `http.request`, which buffers any answer whole and never times out:
 * answers past {@link PROVIDER_ANSWER_LIMIT} are refused and the transfer cancelled, and each request
 * gives up after {@link STRATEGY_REQUEST_TIMEOUT_MS}. The strategy sees node-oauth's callback as before
 * (an error `{ statusCode, data }` outside 2xx, 301 and 302).
 */
export function capStrategyRequests(client: NodeOAuthClient): void {
  client._executeRequest = (library, options, body, callback) => {
    const scheme = library === https ? 'https' : 'http'
    const host = options.host.includes(':') ? `[${options.host}]` : options.host
    const port = options.port ? `:${options.port}` : ''
    // fetch sets these itself; node-oauth's own values would conflict with what it sends.
    const headers = Object.fromEntries(
      Object.entries(options.headers)
        .filter(([name]) => !/^(host|content-length)$/i.test(name))
        .map(([name, value]) => [name, String(value)]),
    )
    const send = typeof body === 'string' || Buffer.isBuffer(body) ? body : undefined
    void (async () => {
      try {
        const response = await fetch(`${scheme}://${host}${port}${options.path}`, {
          method: options.method,
          headers,
          ...(send && send.length > 0 ? { body: send } : {}),
          redirect: 'manual',
          signal: AbortSignal.timeout(STRATEGY_REQUEST_TIMEOUT_MS),
        })
        const text = await readLimited(response, 'The provider')
        const status = response.status
        if ((status < 200 || status > 299) && status !== 301 && status !== 302) {
          return callback({ statusCode: status, data: text })
        }
        callback(null, text, { statusCode: status, headers: Object.fromEntries(response.headers) })
      } catch (error) {
        callback(error instanceof Error ? error : new Error(String(error)))
      }
    })()
  }
}
