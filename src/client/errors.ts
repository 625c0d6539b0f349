import type { ServerErrorCode } from './types.js'

/**
 * `network_error`: no answer (status 0); `invalid_response`: an answer that is not the router's JSON
 * (a proxy's HTML error page, say).
 */
export type ClientErrorCode = ServerErrorCode | 'network_error' | 'invalid_response'

/**
 * The one error the client throws: the router's `{ error: { code, message, details } }` with the
 * HTTP status, or a failure to reach it. Messages are the router's, which never carry a secret.
 */
export class ConnectionsClientError extends Error {
  override name = 'ConnectionsClientError'
  readonly code: ClientErrorCode
  /** The HTTP status; 0 when no answer came. */
  readonly status: number
  /** Validation issues (`invalid_request`), the refusing rule (`policy_denied`), JSON pointers (`invalid_input`). */
  readonly details: unknown[] | undefined
  /** Seconds to wait before trying again (`Retry-After` of a `rate_limited` answer). */
  readonly retryAfter: number | undefined

  constructor(
    code: ClientErrorCode,
    message: string,
    status: number,
    details?: unknown[],
    retryAfter?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.code = code
    this.status = status
    this.details = details
    this.retryAfter = retryAfter
  }
}
