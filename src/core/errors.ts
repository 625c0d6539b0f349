import type { AuditRule } from './audit.js'

/** Stable error codes of the HTTP contract; each maps to one status. */
export const ERROR_STATUS = {
  invalid_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  /** An agent's policy refused the call; `details: [{ rule, message }]`. */
  policy_denied: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  invalid_credentials: 422,
  /** Input that parses but does not fit its schema (a tool's input); `details` holds JSON pointers. */
  invalid_input: 422,
  rate_limited: 429,
  provider_error: 502,
  store_unavailable: 503,
  internal_error: 500,
} as const

export type ErrorCode = keyof typeof ERROR_STATUS

/**
 * The one error type the package throws. `code` is stable and safe to branch on; `message` never
 * contains a token or secret; `details` carries validation issues for `invalid_request`.
 *
 * @example
 * try { await router.connections.get(owner, id) }
 * catch (err) { if (err instanceof ConnectionsError && err.code === 'not_found') … }
 */
export class ConnectionsError extends Error {
  readonly code: ErrorCode
  readonly status: number
  readonly details: unknown[] | undefined
  /** Whether `message` may be shown to the caller as is. */
  readonly expose: boolean
  /** When trying again may help, in whole seconds: sent as `Retry-After`. */
  readonly retryAfterSeconds: number | undefined

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: unknown[]; cause?: unknown; retryAfterSeconds?: number } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'ConnectionsError'
    this.code = code
    this.status = ERROR_STATUS[code]
    this.details = options.details
    this.retryAfterSeconds = options.retryAfterSeconds
    this.expose = this.status < 500 || code === 'provider_error' || code === 'store_unavailable'
  }
}

export function storeUnavailable(cause: unknown): ConnectionsError {
  return new ConnectionsError(
    'store_unavailable',
    'The connection store is unavailable; nothing was changed.',
    {
      cause,
    },
  )
}

/** 403 `policy_denied`: the rule that refused, for the caller to read (`details: [{ rule, message }]`). */
export function policyDenied(rule: Exclude<AuditRule, 'rate_limit'>, message: string): ConnectionsError {
  return new ConnectionsError('policy_denied', message, { details: [{ rule, message }] })
}

/** 429 `rate_limited` with the seconds until a call may succeed again, sent as `Retry-After`. */
export function rateLimited(retryAfterSeconds: number, message = 'Too many requests; try again later.') {
  return new ConnectionsError('rate_limited', message, {
    retryAfterSeconds: Math.max(1, Math.ceil(retryAfterSeconds)),
  })
}

export function notFound(what: string): ConnectionsError {
  return new ConnectionsError('not_found', `${what} was not found.`)
}

/**
 * Thrown by a credentials provider's check when the provider says the credentials are wrong; the
 * request answers 422 `invalid_credentials` and nothing is stored.
 */
export class InvalidCredentialsError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'InvalidCredentialsError'
  }
}
