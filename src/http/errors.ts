import type { NextFunction, Request, Response } from 'express'
import { z } from 'zod'
import { ConnectionsError } from '../core/errors.js'
import type { Logger } from '../logger.js'

/** Maps anything thrown on a request to a ConnectionsError; unknown errors become a bare 500. */
export function toConnectionsError(error: unknown): ConnectionsError {
  if (error instanceof ConnectionsError) return error
  if (error instanceof z.ZodError) return invalidRequest(error)
  const bodyError = bodyParserError(error) ?? clientError(error)
  if (bodyError) return bodyError
  return new ConnectionsError('internal_error', 'Something went wrong.', { cause: error })
}

export function invalidRequest(error: z.ZodError): ConnectionsError {
  const details = error.issues.map((issue) => ({
    path: issue.path,
    code: issue.code,
    message: issue.message,
  }))
  const first = error.issues[0]
  const where = first?.path.length ? `${first.path.join('.')}: ` : ''
  return new ConnectionsError(
    'invalid_request',
    `Invalid request: ${where}${first?.message ?? 'bad input'}`,
    {
      details,
    },
  )
}

/** What a caller may read of an error: its message where it is meant for them, else a generic one. */
export function publicMessage(error: ConnectionsError): string {
  return error.expose ? error.message : 'Something went wrong.'
}

export function sendError(res: Response, error: ConnectionsError): void {
  if (res.headersSent) return
  const body: { code: string; message: string; details?: unknown[] } = {
    code: error.code,
    message: publicMessage(error),
  }
  if (error.details) body.details = error.details
  if (error.retryAfterSeconds !== undefined) res.set('retry-after', String(error.retryAfterSeconds))
  res.status(error.status).set('cache-control', 'no-store').json({ error: body })
}

/** The router's last handler: whatever reached it is answered in the contract's error shape. */
export function errorHandler(logger: Logger) {
  return (error: unknown, _req: Request, res: Response, _next: NextFunction): void => {
    const mapped = toConnectionsError(error)
    if (mapped.status >= 500) logFailure(logger, mapped)
    sendError(res, mapped)
  }
}

/** Logs what failed without the messages of causes, which may quote a provider's or store's reply. */
export function logFailure(logger: Logger, error: ConnectionsError): void {
  const cause = error.cause instanceof Error ? error.cause.name : typeof error.cause
  logger.error(`express-connections: ${error.code}`, { message: error.message, cause })
}

function bodyParserError(error: unknown): ConnectionsError | undefined {
  if (typeof error !== 'object' || error === null || !('type' in error)) return undefined
  switch ((error as { type: unknown }).type) {
    case 'entity.parse.failed':
      return new ConnectionsError('invalid_request', 'The request body is not valid JSON.')
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ConnectionsError('invalid_request', 'The request body encoding is not supported.')
    default:
      return undefined
  }
}

/**
 * What Express and body-parser report as the client's fault (a path segment that is not valid
 * percent-encoding, a body that does not match its Content-Encoding): a 4xx `status`, never a 500.
 */
function clientError(error: unknown): ConnectionsError | undefined {
  if (error instanceof URIError) {
    return new ConnectionsError('invalid_request', 'Invalid request: the URL is not valid percent-encoding.')
  }
  const status =
    typeof error === 'object' && error !== null ? (error as { status?: unknown }).status : undefined
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined
  // An http-errors error thrown by the host's own hooks (getOwner, authorize, rateLimit) keeps its meaning.
  const code = CLIENT_ERROR_CODES[status]
  if (code === 'rate_limited') {
    const retryAfterSeconds = retryAfterOf(error)
    return new ConnectionsError(
      code,
      CLIENT_ERROR_MESSAGES[code],
      retryAfterSeconds ? { retryAfterSeconds } : {},
    )
  }
  if (code) return new ConnectionsError(code, CLIENT_ERROR_MESSAGES[code])
  return new ConnectionsError('invalid_request', 'Invalid request: the request could not be read.')
}

type ClientErrorCode = 'unauthenticated' | 'forbidden' | 'not_found' | 'payload_too_large' | 'rate_limited'

const CLIENT_ERROR_CODES: Partial<Record<number, ClientErrorCode>> = {
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  413: 'payload_too_large',
  429: 'rate_limited',
}

const CLIENT_ERROR_MESSAGES: Record<ClientErrorCode, string> = {
  unauthenticated: 'Sign in first.',
  forbidden: 'Not allowed here.',
  not_found: 'Not found.',
  payload_too_large: 'The request body is too large.',
  rate_limited: 'Too many requests; try again later.',
}

/** A host's 429 (http-errors' `headers: { 'Retry-After': '30' }`) keeps its delay, in whole seconds. */
function retryAfterOf(error: unknown): number | undefined {
  const headers = (error as { headers?: unknown }).headers
  if (typeof headers !== 'object' || headers === null) return undefined
  const entry = Object.entries(headers).find(([name]) => name.toLowerCase() === 'retry-after')
  const seconds = Number(entry?.[1])
  return Number.isInteger(seconds) && seconds > 0 ? seconds : undefined
}
