/**
 * The generator of whole requests: a route's method (sometimes any method), path, query string, body
 * and headers (owner, Host, content type and encoding, Origin, cookies, oversized ones), put on the wire
 * as generated. Only one thing is adjusted afterwards: requests stay below Node's 16 KiB header limit,
 * past which Node answers a bare 431 before any app code runs.
 */
import fc from 'fast-check'
import { bodies, contentTypes } from './bodies.js'
import { describeRequest, type FuzzRequest, METHODS } from './http.js'
import { type QueryPair, type QueryShape, queryPairs, queryString } from './queries.js'
import { pathFor, ROUTES, type Route } from './routes.js'
import { ADMIN_HEADER, ADMIN_VALUE, SENT_SECRET_PREFIX, type Targets } from './targets.js'
import { repeat, sometimes, utf8Bytes } from './values.js'

// ---------------------------------------------------------------------------------------------
// Requests

/** Requests aimed at `routes` (names from GROUPS), with everything around them fuzzed. */
export function requests(t: Targets, routes: readonly string[]): fc.Arbitrary<FuzzRequest> {
  const chosen = routes.map((name) => {
    const r = ROUTES.get(name)
    if (!r) throw new Error(`no route ${name}`)
    return requestFor(t, r)
  })
  return fc
    .oneof(...chosen)
    .map((request) => ({ ...request, [fc.toStringMethod]: () => `\n${describeRequest(request)}` }))
}

function requestFor(t: Targets, r: Route): fc.Arbitrary<FuzzRequest> {
  const method = fc.oneof(
    { arbitrary: fc.constantFrom(...r.methods), weight: 9 },
    { arbitrary: fc.constantFrom(...METHODS), weight: 1 },
  )
  const query = fc.oneof(
    { arbitrary: queryPairs(t, r.query ?? 'any'), weight: 6 },
    {
      arbitrary: fc
        .constantFrom<QueryShape>('connect', 'callback', 'audit', 'list')
        .chain((s) => queryPairs(t, s)),
      weight: 1,
    },
    { arbitrary: fc.constant<QueryPair[]>([]), weight: r.query ? 1 : 6 },
  )
  const body = fc.oneof(
    { arbitrary: bodies(t, r.body ?? 'none'), weight: r.body && r.body !== 'none' ? 10 : 1 },
    { arbitrary: fc.constant(undefined), weight: r.body && r.body !== 'none' ? 1 : 4 },
  )
  const wire = fc.record({
    bytes: fc.constantFrom<'utf8' | 'latin1'>('utf8', 'utf8', 'utf8', 'utf8', 'latin1'),
    chunked: fc.boolean(),
    /** Whether bytes sent with a gzip/deflate/br content-encoding really are compressed that way. */
    matching: fc.boolean(),
  })
  return fc
    .tuple(method, pathFor(t, r), query, body, wire)
    .chain(([m, path, pairs, b, w]) =>
      headersArb(t, b?.type, b !== undefined).map((headers): FuzzRequest => {
        const encoding = headers['content-encoding']
        const named = typeof encoding === 'string' ? encoding.toLowerCase() : ''
        const compress =
          (named === 'gzip' || named === 'deflate' || named === 'br') && w.matching ? named : null
        return {
          route: r.name,
          method: m,
          path: `${path}${queryString(pairs)}`,
          headers,
          body:
            b === undefined
              ? null
              : {
                  text: b.text,
                  bytes: w.bytes,
                  compress,
                  chunked: w.chunked,
                },
          sentSecrets: b === undefined ? [] : (b.text.match(SENT_SECRETS) ?? []),
        }
      }),
    )
    .map(withinHeaderLimit)
}

const SENT_SECRETS = new RegExp(`${SENT_SECRET_PREFIX}[a-z0-9]+`, 'g')

/**
 * Node answers a request whose line and headers exceed its limit (16 KiB) with a bare 431 before any
 * app code runs: keep every request below it (the filler header goes first, then the path is cut).
 */
function withinHeaderLimit(request: FuzzRequest): FuzzRequest {
  const budget = 14_000
  const headerSize = (headers: FuzzRequest['headers']) =>
    Object.entries(headers).reduce((sum, [name, value]) => sum + name.length + String(value).length + 4, 0)
  let headers = request.headers
  if (request.path.length + headerSize(headers) > budget) {
    const { 'x-filler': _filler, ...rest } = headers
    headers = rest
  }
  const over = request.path.length + headerSize(headers) - budget
  const path =
    over > 0 ? request.path.slice(0, request.path.length - over).replace(/%[0-9A-Fa-f]?$/, '') : request.path
  return { ...request, path, headers }
}

// ---------------------------------------------------------------------------------------------
// Headers

function owners(t: Targets): fc.Arbitrary<string | string[] | undefined> {
  return fc.oneof(
    { arbitrary: fc.constant(t.fuzzOwner), weight: 14 },
    { arbitrary: fc.constant(t.otherOwner), weight: 3 },
    { arbitrary: fc.constant(undefined), weight: 3 },
    {
      arbitrary: fc.constantFrom(
        'stranger',
        '',
        ' ',
        '0',
        '__proto__',
        'constructor',
        t.fuzzOwner.toUpperCase(),
        ` ${t.fuzzOwner}`,
        utf8Bytes('ünïcødé-öwner-😀'),
        'o'.repeat(4000),
      ),
      weight: 2,
    },
    { arbitrary: fc.constant<string[]>([t.fuzzOwner, t.otherOwner]), weight: 1 },
  )
}

function hosts(t: Targets): fc.Arbitrary<string | undefined> {
  const port = new URL(t.origin).port
  return fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 14 },
    {
      arbitrary: fc.constantFrom(`localhost:${port}`, 'evil.example', '127.0.0.1', `127.0.0.1:${port}`),
      weight: 2,
    },
    // Hosts that are no valid URL host (FUZZ-3).
    {
      arbitrary: fc.constantFrom(`127.0.0.1:${port}.evil.example`, 'a b', '[', '[::1', 'x:99999', '', 'a^b'),
      weight: 2,
    },
  )
}

function headersArb(t: Targets, bodyType: string | undefined, hasBody: boolean) {
  const cookie = fc.constantFrom(
    t.sessionCookie,
    t.sessionCookie,
    t.sessionCookie,
    'connections.sid=garbage',
    'connections.sid=s%3Aabc.def',
    'connections.sid=s:',
    `${t.sessionCookie}; ${t.sessionCookie}`,
    '%',
    'a=b; connections.sid',
    `x=${'c'.repeat(3000)}`,
  )
  return fc
    .record({
      'x-user': owners(t),
      host: hosts(t),
      'content-type': fc.oneof(
        { arbitrary: fc.constant(bodyType), weight: 12 },
        { arbitrary: contentTypes, weight: 1 },
        { arbitrary: fc.constant(undefined), weight: 1 },
      ),
      // Named apart from the body: bytes it does not describe (see `matching` in requestFor), or no
      // body at all (FUZZ-2).
      'content-encoding': sometimes(
        fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'compress', 'GZIP', 'x-bogus'),
        hasBody ? 10 : 3,
      ),
      origin: sometimes(
        fc.constantFrom(t.origin, t.origin, 'https://evil.example', 'null', `${t.origin}.evil.example`),
        10,
      ),
      'sec-fetch-site': sometimes(
        fc.constantFrom('same-origin', 'same-origin', 'same-site', 'cross-site', 'none', 'CROSS-SITE'),
        10,
      ),
      cookie: sometimes(cookie, 20),
      accept: sometimes(fc.constantFrom('text/html', '*/*', 'application/json', 'image/png', ''), 15),
      [ADMIN_HEADER]: sometimes(fc.constant(ADMIN_VALUE), 20),
      'x-forwarded-host': sometimes(fc.constant('evil.example'), 5),
      'x-forwarded-proto': sometimes(fc.constant('https'), 5),
      authorization: sometimes(fc.constantFrom('Bearer junk', 'Basic Zm9vOmJhcg==', ''), 5),
      'accept-charset': sometimes(fc.constant('utf-16'), 3),
      'x-filler': sometimes(repeat('f', 1000, 8000), 5),
      'user-agent': sometimes(fc.constant(utf8Bytes('fuzz/1 ☃')), 5),
    })
    .map((record) => {
      const headers: Record<string, string | string[]> = {}
      for (const [name, value] of Object.entries(record)) if (value !== undefined) headers[name] = value
      return headers
    })
}
