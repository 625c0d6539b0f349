/**
 * The checks of fuzz.test.ts's properties (numbered as there) on one request: it is sent to a store
 * freshly restored to the seeded snapshot, and every property the answer, the store, the events or
 * the logs break is listed.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { parse as parseQuery } from 'node:querystring'
import { type FuzzRequest, type FuzzResponse, requestText, send } from './http.js'
import type { FuzzApp } from './seed.js'
import { MOUNT, POLLUTION_MARKER } from './targets.js'

/** Longer than this without a complete answer is a hang. */
const REQUEST_TIMEOUT_MS = 8000

/** The README's error table: code → status. Codes outside it are a contract violation. */
export const ERROR_TABLE: ReadonlyMap<string, number> = new Map(
  [
    ...(readFileSync(new URL('../../../README.md', import.meta.url), 'utf8')
      .split('### Errors')[1]
      ?.split('\n## ')[0]
      ?.matchAll(/^\| (\d{3}) \| `([a-z_]+)` \|/gm) ?? []),
  ].map((match): [string, number] => [match[2] ?? '', Number(match[1])]),
)

/** Stack frames, source paths and error class names: what a leaked exception looks like. */
export const LEAK_MARKERS: ReadonlyArray<readonly [string, RegExp]> = [
  [
    'a stack frame',
    /\n\s*at \S|\bat [^\s()]+ \([^)]*:\d+:\d+\)|\bat (?:async )?[^\s()]*\.(?:ts|js|mjs|cjs):\d+/,
  ],
  ['a source path', /\/src\/|node_modules|file:\/\/\/|\.ts:\d+/],
  [
    'an error class',
    /\b(?:TypeError|RangeError|SyntaxError|ReferenceError|URIError|EvalError|AggregateError|ZodError|ConnectionsError|InternalOAuthError|TokenError|CodeRefusedError|MissingRecordError|HttpError)\b/,
  ],
  ['an error dump', /"stack"\s*:|\bError: |\[object Object\]|Maximum call stack/],
]

/** The store key of the flow behind a `state` (src/storage/keys.ts, under Keyv's `keyv:` namespace). */
function flowKey(state: string): string {
  return `keyv:flow:${createHash('sha256').update(state).digest('base64url')}`
}

function stateOf(request: FuzzRequest): string | undefined {
  const query = request.path.split('?')[1] ?? ''
  const state = parseQuery(query).state
  return typeof state === 'string' ? state : undefined
}

function isCallback(request: FuzzRequest): boolean {
  const pathname = request.path.split('?')[0] ?? ''
  return new RegExp(`^${MOUNT}/+callback/`, 'i').test(pathname)
}

function originOf(location: string, base: string): string {
  try {
    return new URL(location, base).origin
  } catch {
    return 'an unparseable Location'
  }
}

function cut(text: string, max = 400): string {
  return text.length > max ? `${text.slice(0, max)}…(${text.length} chars)` : text
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; details?: unknown }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/**
 * Sends one request to a freshly restored store and lists every property it breaks; counts the
 * answer's status in `statuses`.
 */
async function violations(
  fuzz: FuzzApp,
  request: FuzzRequest,
  statuses: Map<number, number>,
): Promise<{ problems: string[]; response?: FuzzResponse }> {
  const { app, targets } = fuzz
  fuzz.restore()
  app.events.length = 0
  const logStart = app.logs.length
  const before = fuzz.snapshot()
  let response: FuzzResponse
  try {
    response = await send(app.url, request, REQUEST_TIMEOUT_MS)
  } catch (error) {
    return { problems: [`1. no answer: ${error instanceof Error ? error.message : String(error)}`] }
  }
  // Give event hooks (a microtask after the change) their turn before counting them.
  await new Promise((resolve) => setImmediate(resolve))
  const after = fuzz.snapshot()
  const logs = app.logs.slice(logStart)
  const events = app.events.map((event) => event.type)
  statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1)

  const problems: string[] = []
  const { status } = response
  const body = parseJson(response.body)
  const errorCode = (body as ErrorBody | undefined)?.error?.code
  const state = stateOf(request)
  const liveCallback = isCallback(request) && state !== undefined && targets.liveStates.includes(state)

  // 1. Never a 5xx: only the provider's refusal of a made-up code at a live flow's callback.
  const providerRefusal =
    errorCode === 'provider_error' || (request.method === 'HEAD' && response.body === '')
  if (status >= 500 && !(status === 502 && providerRefusal && liveCallback)) {
    problems.push(`1. answered ${status} (${String(errorCode)})`)
  }

  // 2. No stack trace, no secret: in the body, the headers, and the logs.
  const sentText = requestText(request)
  const answer = `${response.rawHeaders.join('\n')}\n${response.body}`
  for (const [what, pattern] of LEAK_MARKERS) {
    if (pattern.test(answer) && !pattern.test(sentText)) {
      problems.push(`2. the response contains ${what}: ${cut(pattern.exec(answer)?.[0] ?? '', 80)}`)
    }
  }
  for (const secret of fuzz.knownSecrets()) {
    if (answer.includes(secret)) problems.push(`2. the response contains a secret (${cut(secret, 12)}…)`)
    if (logs.some((line) => line.includes(secret)))
      problems.push(`2. a log line contains a secret (${cut(secret, 12)}…)`)
  }
  for (const secret of request.sentSecrets) {
    if (answer.includes(secret)) problems.push(`2. the response echoes the secret it was sent (${secret})`)
  }

  // 3. A refused request changes nothing: the store (but the flow its state consumed), events, logs.
  const location = response.headers.location
  const toAuthorization =
    typeof location === 'string' && fuzz.authorizationUrls.some((url) => location.startsWith(`${url}?`))
  const refused = status >= 400 || (status >= 300 && status < 400 && !toAuthorization)
  if (refused) {
    const consumable = state !== undefined && isCallback(request) ? flowKey(state) : undefined
    for (const key of new Set([...before.keys(), ...after.keys()])) {
      if (!after.has(key)) {
        if (key !== consumable) problems.push(`3. refused (${status}) but deleted ${key}`)
      } else if (!before.has(key)) problems.push(`3. refused (${status}) but created ${key}`)
      else if (before.get(key) !== after.get(key)) problems.push(`3. refused (${status}) but changed ${key}`)
    }
    if (events.length > 0) problems.push(`3. refused (${status}) but emitted ${events.join(', ')}`)
  }
  const errorLines = logs.filter((line) => line.startsWith('error '))
  if (errorLines.length > 0) problems.push(`3. logged an error: ${cut(errorLines.join(' | '), 300)}`)

  // 4. The contract's shapes: JSON errors with a code of the README's table; redirects that stay home.
  const contentType = String(response.headers['content-type'] ?? '')
  if (status >= 400) {
    if (!/^application\/json\b/.test(contentType))
      problems.push(`4. ${status} with content-type "${contentType}"`)
    if (request.method !== 'HEAD') {
      const error = (body as ErrorBody | undefined)?.error
      const keys = body && typeof body === 'object' ? Object.keys(body) : []
      if (!error || keys.join() !== 'error')
        problems.push(`4. ${status} is not { error }: ${cut(response.body, 200)}`)
      else {
        const code = String(error.code)
        if (!ERROR_TABLE.has(code)) problems.push(`4. error code "${code}" is not in the README's table`)
        else if (ERROR_TABLE.get(code) !== status) problems.push(`4. "${code}" answered with ${status}`)
        if (typeof error.message !== 'string' || error.message === '')
          problems.push('4. an error without a message')
        if (error.details !== undefined && !Array.isArray(error.details))
          problems.push('4. details is not an array')
      }
    }
  } else if (status >= 300) {
    if (typeof location !== 'string') problems.push(`4. ${status} without a Location`)
    else if (!toAuthorization && originOf(location, app.url) !== app.url) {
      problems.push(`4. redirects off the app to ${cut(location, 200)}`)
    }
  } else if (request.method !== 'HEAD' && !/\/openapi\.json/i.test(request.path)) {
    if (!body || typeof body !== 'object' || !('data' in body)) problems.push(`4. ${status} is not { data }`)
  }

  // Isolation: no answer names a seeded connection of someone other than the caller.
  // Who the app sees: HTTP trims a header value's surrounding whitespace and joins repeated ones.
  const sentUser = request.headers['x-user']
  const caller = Array.isArray(sentUser) ? sentUser.join(', ') : sentUser?.trim()
  for (const [id, owner] of fuzz.ownerOf) {
    if (owner !== caller && response.body.includes(id) && !sentText.includes(id)) {
      problems.push(`isolation: the answer names ${owner}'s connection ${id}`)
    }
  }
  // Prototype pollution: the request must not have reached Object.prototype.
  if (Object.hasOwn(Object.prototype, POLLUTION_MARKER) || Object.hasOwn(Object.prototype, 'admin')) {
    problems.push('prototype pollution: Object.prototype was changed')
  }
  return { problems, response }
}

/**
 * The property: sends the request and throws, listing every problem with the answer, if it breaks
 * any. Each answer's status is counted in `statuses`, over all the calls.
 */
export function checker(
  fuzz: FuzzApp,
  statuses: Map<number, number>,
): (request: FuzzRequest) => Promise<void> {
  return async (request) => {
    const { problems, response } = await violations(fuzz, request, statuses)
    if (problems.length === 0) return
    const answer = response
      ? `\nanswer: ${response.status} ${cut(response.body)}${
          response.headers.location ? `\nlocation: ${cut(response.headers.location, 200)}` : ''
        }`
      : ''
    const full = process.env.FUZZ_VERBOSE === '1' ? `\nfull request: ${JSON.stringify(request)}` : ''
    throw new Error(`${problems.join('\n')}${answer}${full}`)
  }
}
