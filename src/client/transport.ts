import { ConnectionsClientError } from './errors.js'
import type { Approval, Gated } from './types.js'

type Headers_ = Record<string, string>
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>

export interface TransportOptions {
  /** Where the router is mounted, e.g. `https://app.example/integrations` (or `/integrations` in a page). */
  baseUrl: string
  /** Default: the global `fetch`. */
  fetch?: FetchLike | undefined
  /** Sent with every request; a function is called for each (a fresh CSRF or bearer token). */
  headers?: Headers_ | (() => Headers_ | Promise<Headers_>) | undefined
  credentials?: 'include' | 'same-origin' | 'omit' | undefined
}

export interface Call {
  method?: string
  query?: object | undefined
  /** Sent as JSON. */
  body?: unknown
  /** Sent as is (the proxy's passthrough). */
  rawBody?: RequestInit['body']
  headers?: Headers_
  /** Anything else fetch takes (`signal`, `redirect`, …): the proxy passes its caller's on. */
  init?: Omit<RequestInit, 'method' | 'headers' | 'body'>
  /** `x-approval-id`: the approved repeat of a call that answered 202. */
  approvalId?: string | undefined
}

export type Send = (path: string, call?: Call) => Promise<Response>

/** Builds a URL under the mount; undefined query values are left out, `params` objects spread out. */
export function urlOf(baseUrl: string, path: string, query: object = {}): string {
  const search = new URLSearchParams()
  const add = (key: string, value: unknown) => {
    if (value === undefined || value === null) return
    if (typeof value === 'object') for (const [k, v] of Object.entries(value)) add(k, v)
    else search.append(key, String(value))
  }
  for (const [key, value] of Object.entries(query)) add(key, value)
  const qs = search.toString()
  return `${baseUrl.replace(/\/+$/, '')}/${path}${qs ? `?${qs}` : ''}`
}

export const segment = encodeURIComponent

export function transport(options: TransportOptions): Send {
  return async (path, call = {}) => {
    const { method = 'GET', query, body, rawBody, approvalId } = call
    const extra = typeof options.headers === 'function' ? await options.headers() : options.headers
    const headers: Headers_ = { accept: 'application/json', ...extra, ...call.headers }
    if (approvalId) headers['x-approval-id'] = approvalId
    const init: RequestInit = { ...call.init, method, headers }
    if (options.credentials) init.credentials = options.credentials
    if (body !== undefined) {
      headers['content-type'] = 'application/json'
      init.body = JSON.stringify(body)
    } else if (rawBody != null) init.body = rawBody
    try {
      return await (options.fetch ?? fetch)(urlOf(options.baseUrl, path, query), init)
    } catch (cause) {
      throw new ConnectionsClientError(
        'network_error',
        `${method} ${path}: no answer`,
        0,
        undefined,
        undefined,
        {
          cause,
        },
      )
    }
  }
}

async function jsonOf(response: Response): Promise<Record<string, unknown> | undefined> {
  try {
    const value: unknown = await response.json()
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** The router's error answer as the client's error; anything else as `invalid_response`. */
export async function errorOf(response: Response): Promise<ConnectionsClientError> {
  const error = (await jsonOf(response))?.error as
    | { code?: unknown; message?: unknown; details?: unknown }
    | undefined
  const retry = Number(response.headers.get('retry-after') ?? Number.NaN)
  if (typeof error?.code !== 'string') {
    return new ConnectionsClientError('invalid_response', `HTTP ${response.status}`, response.status)
  }
  return new ConnectionsClientError(
    error.code as ConnectionsClientError['code'],
    typeof error.message === 'string' ? error.message : error.code,
    response.status,
    Array.isArray(error.details) ? error.details : undefined,
    Number.isFinite(retry) ? retry : undefined,
  )
}

/** A successful answer's body (`{ data, ... }`); an error answer is thrown. */
export async function bodyOf<T>(response: Response): Promise<{ data: T; [key: string]: unknown }> {
  if (!response.ok) throw await errorOf(response)
  const body = await jsonOf(response)
  if (!body || !('data' in body)) {
    throw new ConnectionsClientError('invalid_response', `HTTP ${response.status}`, response.status)
  }
  return body as { data: T }
}

export const dataOf = async <T>(response: Response): Promise<T> => (await bodyOf<T>(response)).data

/** The `data` of an answer a policy may hold: 202 is the pending approval. */
export async function gated<T>(response: Response): Promise<Gated<T>> {
  const data = await dataOf<T & { approval: Approval }>(response)
  return response.status === 202 ? { kind: 'approval', approval: data.approval } : { kind: 'done', data }
}
