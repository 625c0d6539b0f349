/**
 * The secret canary. Every secret the tests make carries MARKER (test tokens, refresh tokens, client
 * secrets, API keys, bot tokens), and the secrets the tests cannot mark (oidc-provider's own opaque
 * tokens, a fake's unmarked token) are known by their exact values. Everything the suite sees leave the
 * router (response headers and bodies, log lines, events, errors and results of `router.connections`,
 * the raw store) is scanned for them; a hit is kept here and fails the test that produced it (the
 * afterEach in test/support/cleanup.ts). Only the places that hand a secret out by design are not
 * scanned: the body of a successful `GET …/connections/:id/token`, the body the proxy relays from
 * the provider's API, and the answer that shows an agent key once (`POST /agents`,
 * `POST /agents/:id/rotate-key`), whose key is looked for by value from then on.
 */

import type { KeyObject } from 'node:crypto'
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http'

/** The substring every test secret carries. Upper case: no word of the router's own prose has it. */
export const MARKER = 'CANARY'

/** `value` with the marker appended (a no-op when it is already there). */
export function marked(value: string): string {
  return value.includes(MARKER) ? value : `${value}-${MARKER}`
}

export type Channel = 'response' | 'log' | 'event' | 'error' | 'api result' | 'store'

export interface CanaryHit {
  channel: Channel
  /** Where it was seen: `GET /integrations/x (body)`, a logger level, an api method, a store key. */
  where: string
  /** Which secret: `marker`, or the label of an exact value (`oidc access_token`, …). */
  secret: string
  /** A few characters around the secret, the secret itself replaced by «secret». */
  excerpt: string
}

export interface Finding {
  index: number
  length: number
  secret: string
}

// --- what is looked for ------------------------------------------------------------------------

/** Secrets known by their exact value (ones without the marker), with a label for the report. */
const exactValues = new Map<string, string>()
/** Token responses of the authorization servers the tests use (`oauth.issued`), read as they grow. */
const issuedLists = new Map<ReadonlyArray<Record<string, unknown>>, number>()
const TOKEN_FIELDS = ['access_token', 'refresh_token', 'id_token', 'token']
/** Shorter values ('b', 'at') would match ordinary text: they must carry the marker to be seen. */
const MIN_EXACT_LENGTH = 8

/** Adds a secret that cannot carry the marker (or may not): it is then looked for by value. */
export function registerSecret(value: unknown, label: string): void {
  if (typeof value !== 'string' || value.length < MIN_EXACT_LENGTH || value.includes(MARKER)) return
  if (!exactValues.has(value)) exactValues.set(value, label)
}

/**
 * Registers a private key (which cannot carry the marker) as a leak would show it: its PEM lines and
 * its JWK's private parts. Returns those pieces, for the test's own "not in here" checks.
 */
export function registerPrivateKey(key: KeyObject, label: string): string[] {
  const pem = key.export({ format: 'pem', type: 'pkcs8' }).toString()
  const jwk = key.export({ format: 'jwk' })
  const parts = [...pem.split('\n').filter((line) => line.length === 64), jwk.d, jwk.p, jwk.q]
  const material = parts.filter((part): part is string => typeof part === 'string')
  for (const part of material) registerSecret(part, label)
  return material
}

/** Registers the token fields of a token endpoint's answer (nested ones too: Slack's authed_user). */
export function registerTokenResponse(body: unknown, label: string, depth = 0): void {
  if (typeof body !== 'object' || body === null || depth > 3) return
  for (const [field, value] of Object.entries(body)) {
    if (TOKEN_FIELDS.includes(field)) registerSecret(value, `${label} ${field}`)
    else if (typeof value === 'object') registerTokenResponse(value, label, depth + 1)
  }
}

/** Watches an authorization server's `issued` list: every token it hands out becomes a canary value. */
export function watchOAuthServer(oauth: { issued: ReadonlyArray<Record<string, unknown>> }): void {
  if (!issuedLists.has(oauth.issued)) issuedLists.set(oauth.issued, 0)
}

function readIssued(): void {
  for (const [list, seen] of issuedLists) {
    if (list.length === seen) continue
    for (const response of list.slice(seen)) registerTokenResponse(response, 'oidc-provider')
    issuedLists.set(list, list.length)
  }
}

// --- the detector ------------------------------------------------------------------------------

const TOKEN_CHAR = /[\w.~+/=:!%-]/

/** Where the secrets are in `text`: each marker with the token around it, and each exact value. */
export function detect(text: string): Finding[] {
  readIssued()
  const findings: Finding[] = []
  for (let at = text.indexOf(MARKER); at !== -1; at = text.indexOf(MARKER, at + MARKER.length)) {
    let start = at
    let end = at + MARKER.length
    while (start > 0 && TOKEN_CHAR.test(text[start - 1] ?? '')) start -= 1
    while (end < text.length && TOKEN_CHAR.test(text[end] ?? '')) end += 1
    findings.push({ index: start, length: end - start, secret: 'marker' })
    at = Math.max(at, end - MARKER.length)
  }
  for (const [value, label] of exactValues) {
    for (let at = text.indexOf(value); at !== -1; at = text.indexOf(value, at + value.length)) {
      findings.push({ index: at, length: value.length, secret: label })
    }
  }
  return findings
}

/** `text` with every secret replaced by «secret». */
export function redact(text: string): string {
  const findings = detect(text).sort((a, b) => b.index - a.index)
  let out = text
  let limit = Number.POSITIVE_INFINITY
  for (const { index, length } of findings) {
    if (index + length > limit) continue
    out = `${out.slice(0, index)}«secret»${out.slice(index + length)}`
    limit = index
  }
  return out
}

const AROUND = 6

function excerpt(text: string, finding: Finding): string {
  const before = text.slice(Math.max(0, finding.index - AROUND), finding.index)
  const after = text.slice(finding.index + finding.length, finding.index + finding.length + AROUND)
  // The characters around may hold another secret's tail: redact them too.
  return `…${redact(before)}«secret»${redact(after)}…`.replace(/\s+/g, ' ')
}

// --- the registry ------------------------------------------------------------------------------

const hits: CanaryHit[] = []

/** Scans `text` seen on `channel` at `where`; records (and returns) a hit per distinct secret found. */
export function scan(channel: Channel, where: string, text: string): CanaryHit[] {
  const seen = new Set<string>()
  const found: CanaryHit[] = []
  for (const finding of detect(text)) {
    // An error's message is also in its stack: one hit per secret.
    const secret = text.slice(finding.index, finding.index + finding.length)
    if (seen.has(secret)) continue
    seen.add(secret)
    found.push({ channel, where: redact(where), secret: finding.secret, excerpt: excerpt(text, finding) })
  }
  hits.push(...found)
  return found
}

/** Every hit recorded since the last call, which empties the registry. */
export function takeHits(): CanaryHit[] {
  return hits.splice(0)
}

export function formatHits(list: readonly CanaryHit[]): string {
  const lines = list.map((hit) => `  - ${hit.channel} of ${hit.where}: ${hit.secret} in "${hit.excerpt}"`)
  return `The secret canary saw a secret where none may be (${list.length}):\n${lines.join('\n')}`
}

// --- channels ----------------------------------------------------------------------------------

/** Text of a value as a reader of a log or an error report would get it, Errors included. */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value
  try {
    return (
      JSON.stringify(value, (_key, v: unknown) =>
        v instanceof Error ? { name: v.name, message: v.message, stack: v.stack, cause: v.cause } : v,
      ) ?? String(value)
    )
  } catch {
    return String(value)
  }
}

/** Scans an error as a test (or a log reader) sees it: message, stack, details and its cause chain. */
export function scanError(where: string, error: unknown): void {
  const parts: string[] = []
  let current: unknown = error
  for (let depth = 0; depth < 6 && current !== undefined && current !== null; depth += 1) {
    if (current instanceof Error) {
      parts.push(`${current.name}: ${current.message}`, current.stack ?? '')
      const { details, errors } = current as Error & { details?: unknown; errors?: unknown }
      if (details !== undefined) parts.push(textOf(details))
      if (Array.isArray(errors)) parts.push(...errors.map(textOf))
      current = current.cause
    } else {
      parts.push(textOf(current))
      current = undefined
    }
  }
  scan('error', where, parts.join('\n'))
}

export interface LoggerLike {
  warn(message: string, meta?: Record<string, unknown>): void
  error(message: string, meta?: Record<string, unknown>): void
}

/** A logger that scans each line before handing it to `logger`. */
export function scannedLogger(logger: LoggerLike): LoggerLike {
  const line =
    (level: 'warn' | 'error') =>
    (message: string, meta?: Record<string, unknown>): void => {
      scan('log', `logger.${level}`, `${message} ${textOf(meta ?? {})}`)
      logger[level](message, meta)
    }
  return { ...logger, warn: line('warn'), error: line('error') }
}

/** An onEvent hook that scans each event before handing it to `hook` (whose result it returns). */
export function scannedOnEvent<E extends { type: string }, R>(hook: (event: E) => R): (event: E) => R {
  return (event) => {
    scan('event', `event ${event.type}`, textOf(event))
    return hook(event)
  }
}

/** The methods of `router.connections` that hand a credential out by design: their results are not scanned. */
const VENDING = new Set(['getAccessToken', 'fetch'])

/**
 * `router.connections` with every call watched: a rejection (or throw) is scanned as an error, and
 * the result of every method but the vending ones is scanned as an api result.
 */
export function scannedApi<T extends object>(api: T, path = 'router.connections'): T {
  const wrapped: Record<string, unknown> = {}
  for (const [name, member] of Object.entries(api)) {
    const where = `${path}.${name}`
    if (typeof member === 'function') {
      wrapped[name] = (...args: unknown[]) => {
        const observe = (result: unknown) => {
          if (!VENDING.has(name)) scan('api result', where, textOf(result))
          return result
        }
        const fail = (error: unknown): never => {
          scanError(where, error)
          throw error
        }
        // A secret passed in (a custom provider's clientSecret) is looked for by value from now on.
        for (const arg of args) registerSubmitted(arg)
        let result: unknown
        try {
          result = (member as (...a: unknown[]) => unknown).apply(api, args)
        } catch (error) {
          fail(error)
        }
        return result instanceof Promise ? result.then(observe, fail) : observe(result)
      }
    } else if (typeof member === 'object' && member !== null) {
      wrapped[name] = scannedApi(member, where)
    } else {
      wrapped[name] = member
    }
  }
  return wrapped as T
}

/** Per store, the (key, secret) pairs already reported: a store that outlives a test is reported once. */
const reportedStoreHits = new WeakMap<object, Set<string>>()

/** Scans a store's raw entries (what a dump of the database shows) for plaintext secrets. */
export function scanStore(raw: Map<string, unknown>, label = 'store'): CanaryHit[] {
  let reported = reportedStoreHits.get(raw)
  if (!reported) {
    reported = new Set()
    reportedStoreHits.set(raw, reported)
  }
  const found: CanaryHit[] = []
  for (const [key, value] of raw) {
    const text = `${key} ${textOf(value)}`
    for (const finding of detect(text)) {
      const id = `${key}\u0000${finding.secret}\u0000${finding.index}`
      if (reported.has(id)) continue
      reported.add(id)
      found.push({
        channel: 'store',
        where: `${label} key ${redact(key)}`,
        secret: finding.secret,
        excerpt: excerpt(text, finding),
      })
    }
  }
  hits.push(...found)
  return found
}

/** The Map behind a Keyv store, when there is one: a Map itself, or a test adapter's `data`. */
export function backingMap(keyv: { store?: unknown } | undefined): Map<string, unknown> | undefined {
  const store = keyv?.store
  if (store instanceof Map) return store as Map<string, unknown>
  const data = (store as { data?: unknown } | undefined)?.data
  return data instanceof Map ? (data as Map<string, unknown>) : undefined
}

/** Stores to scan when the test ends, for apps that are never closed. */
const openStores = new Map<Map<string, unknown>, string>()

export function watchStore(raw: Map<string, unknown>, label: string): void {
  openStores.set(raw, label)
}

/** Scans a watched store now and stops watching it (an app closes). */
export function releaseStore(raw: Map<string, unknown>): void {
  const label = openStores.get(raw)
  openStores.delete(raw)
  scanStore(raw, label)
}

/** Scans every store still watched (after each test). */
export function scanOpenStores(): void {
  for (const [raw, label] of openStores) scanStore(raw, label)
}

// --- responses ---------------------------------------------------------------------------------

const MAX_BODY = 4 * 1024 * 1024
const watched = new WeakSet<ServerResponse>()
const PROXY_PATH = /\/connections\/[^/?]+\/proxy(?:[/?]|$)/i
const VENDING_ROUTE = '/connections/:id/token'
/** Where an agent key is shown, once, by design: creating an agent and rotating its key. */
const AGENT_KEY_ROUTES = new Set(['/agents', '/agents/:id/rotate-key'])

type Req = IncomingMessage & { originalUrl?: string; route?: { path?: unknown }; body?: unknown }

const SECRET_FIELD = /token|key|secret|password/i

/**
 * What a caller sent the router as a secret (a credentials provider's API key or bot token, a custom
 * provider's client secret) is looked for by value from then on, marked or not: read from the body
 * the router parsed, when the response ends.
 */
function registerSubmitted(body: unknown): void {
  if (typeof body !== 'object' || body === null) return
  const { credentials, clientSecret } = body as { credentials?: unknown; clientSecret?: unknown }
  registerSecret(clientSecret, 'submitted clientSecret')
  if (typeof credentials !== 'object' || credentials === null) return
  for (const [field, value] of Object.entries(credentials)) {
    if (SECRET_FIELD.test(field)) registerSecret(value, `submitted credentials.${field}`)
  }
}

function headerText(headers: OutgoingHttpHeaders | readonly unknown[]): string {
  if (Array.isArray(headers)) return headers.map(String).join('\n')
  return Object.entries(headers)
    .map(([name, value]) => `${name}: ${Array.isArray(value) ? value.join(', ') : String(value)}`)
    .join('\n')
}

/**
 * Watches one response of a host app: its headers and body are scanned when it ends. Not scanned by
 * design: the body of a successful token vending (`GET …/connections/:id/token`), and the body the
 * proxy relays from the provider's API. The relay streams it (`write`, then `end()`), where the router's
 * own answers on a proxy URL (refusals, errors) are sent whole by `res.json` in one `end(body)`, and
 * are scanned.
 */
export function watchResponse(req: IncomingMessage, res: ServerResponse): void {
  if (watched.has(res)) return
  watched.add(res)
  const request = req as Req
  const where = `${req.method ?? 'GET'} ${(request.originalUrl ?? req.url ?? '').split('?')[0]}`
  const chunks: Buffer[] = []
  let size = 0
  let explicitHeaders = ''
  let streamed = false
  let done = false
  const collect = (chunk: unknown, encoding?: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function' || size > MAX_BODY) return
    const buffer =
      typeof chunk === 'string'
        ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
        : Buffer.from(chunk as Uint8Array)
    size += buffer.length
    chunks.push(buffer)
  }
  const { writeHead, write, end } = res
  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    for (const arg of args.slice(1)) {
      if (typeof arg === 'object' && arg !== null)
        explicitHeaders += `\n${headerText(arg as OutgoingHttpHeaders)}`
    }
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args)
  } as ServerResponse['writeHead']
  res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    streamed = true
    collect(chunk, rest[0])
    return (write as (...a: unknown[]) => boolean).apply(this, [chunk, ...rest])
  } as ServerResponse['write']
  res.end = function (this: ServerResponse, ...args: unknown[]) {
    if (!done) {
      done = true
      collect(args[0], args[1])
      registerSubmitted(request.body)
      const headers = `${headerText(res.getHeaders())}${explicitHeaders}`
      scan('response', `${where} (headers)`, headers)
      const ok = res.statusCode >= 200 && res.statusCode < 300
      const vending = ok && request.route?.path === VENDING_ROUTE && /^(GET|HEAD)$/.test(req.method ?? '')
      const relayed = PROXY_PATH.test(where) && streamed
      const body = Buffer.concat(chunks).toString('utf8')
      const agentKey = ok && req.method === 'POST' && AGENT_KEY_ROUTES.has(String(request.route?.path))
      // The key is looked for by value everywhere else from now on (it cannot carry the marker).
      if (agentKey) registerSecret(agentKeyIn(body), 'agent key')
      else if (!vending && !relayed) scan('response', `${where} → ${res.statusCode} (body)`, body)
    }
    return (end as (...a: unknown[]) => ServerResponse).apply(this, args)
  } as ServerResponse['end']
}

function agentKeyIn(body: string): unknown {
  try {
    return (JSON.parse(body) as { data?: { key?: unknown } }).data?.key
  } catch {
    return undefined
  }
}

/**
 * Leaves a response unscanned: an authorization server's own (the local Express ones in
 * test/support) hands tokens out by design. Call it before the app sees the request.
 */
export function exemptResponse(res: ServerResponse): void {
  watched.add(res)
}

/** Express middleware form of watchResponse: the first middleware of a host app. */
export function canaryMiddleware(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  watchResponse(req, res)
  next()
}
