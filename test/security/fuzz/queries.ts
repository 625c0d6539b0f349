/**
 * Query strings: for each kind of route (lists, audit, connect, callback, anything else), its known
 * parameters (valid, valid with one broken, or chaos), plus unknown, array-style and duplicate names,
 * and raw values that are sent without percent-encoding (`%`, `%zz`, CRLF).
 */
import fc from 'fast-check'
import type { Targets } from './targets.js'
import {
  encode,
  entries,
  type Field,
  field,
  goodLabels,
  providerIds,
  repeat,
  returnUrls,
  texts,
} from './values.js'

export type QueryShape = 'list' | 'audit' | 'connect' | 'callback' | 'any'

export interface QueryPair {
  name: string
  value: string
  /** Sent as is (a wire-level oddity) instead of percent-encoded. */
  raw: boolean
}

const rawValues = fc.constantFrom(
  '%2F%2Fevil.example',
  'a+b',
  '%00',
  '%20',
  'a%26b%3Dc',
  '%0d%0aSet-Cookie:%20x=1',
  '%',
  '%zz',
  '%E0%A4%A',
)

function queryFields(t: Targets, shape: QueryShape): Field[] {
  const urls = returnUrls(t)
  const providers = providerIds(t)
  const ids = fc.oneof(fc.constantFrom(...t.otherIds), fc.uuid(), texts)
  switch (shape) {
    case 'list':
      return [
        field('provider', fc.constantFrom('local', 'vendor', t.customSlug), providers.bad, 40),
        field(
          'status',
          fc.constantFrom('active', 'revoked', 'needs_reauth'),
          fc.oneof(fc.constantFrom('Active', 'broken', ''), texts),
          40,
        ),
      ]
    case 'audit':
      return [
        field('connectionId', fc.constantFrom(...t.ownIds), ids, 40),
        field(
          'limit',
          fc.constantFrom('1', '2', '50', '200'),
          fc.oneof(
            fc.constantFrom(
              '0',
              '201',
              '-1',
              '1e2',
              '1.5',
              ' 5',
              '0x10',
              'abc',
              '',
              'Infinity',
              '9'.repeat(400),
            ),
            texts,
          ),
          50,
        ),
        field(
          'cursor',
          fc.constantFrom('0', '1', '3', '9'.repeat(15)),
          fc.oneof(fc.constantFrom('9'.repeat(16), '-1', 'abc', ''), texts),
          30,
        ),
      ]
    case 'connect':
      return [
        field('return_url', urls.good, urls.bad, 40),
        field(
          'scopes',
          fc.constantFrom('openid email', 'openid,email', 'email'),
          fc.oneof(texts, repeat('s,', 1000, 1001)),
          40,
        ),
        field('label', goodLabels, texts, 40),
      ]
    case 'callback':
      return [
        field('state', fc.constantFrom(...t.liveStates), fc.oneof(texts, repeat('s', 510, 515)), 95),
        field(
          'code',
          fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 40 }),
          fc.oneof(texts, repeat('c', 4095, 4098)),
          85,
        ),
        field(
          'iss',
          fc.constant(t.issuer),
          fc.oneof(fc.constantFrom(`${t.issuer}/`, 'https://evil.example'), texts),
          85,
        ),
        field('error', fc.constantFrom('access_denied', 'server_error'), texts, 15),
        // `texts` includes '': an empty description (FUZZ-6).
        field('error_description', fc.constant('The user said no.'), texts, 15),
      ]
    case 'any':
      return [field('q', texts, texts, 30)]
  }
}

export function queryPairs(t: Targets, shape: QueryShape): fc.Arbitrary<QueryPair[]> {
  // Parameters of other routes, on any route: `code` or `state` on a start as well (FUZZ-5).
  const extra = fc.oneof(
    { arbitrary: fc.constant<QueryPair[]>([]), weight: 6 },
    {
      arbitrary: fc.array(
        fc.oneof(
          fc
            .tuple(
              fc.constantFrom('return_url', 'state', 'code', 'label', 'scopes', 'limit', 'provider', 'iss'),
              texts,
            )
            .map(([name, value]): QueryPair => ({ name, value, raw: false })),
          fc
            .tuple(fc.constantFrom('return_url[]', 'a[b]', 'state[]', '__proto__', 'constructor', ''), texts)
            .map(([name, value]): QueryPair => ({ name, value, raw: false })),
          fc
            .tuple(fc.constantFrom('return_url', 'state', 'code', 'x'), rawValues)
            .map(([name, value]): QueryPair => ({ name, value, raw: true })),
        ),
        { minLength: 1, maxLength: 3 },
      ),
      weight: 2,
    },
  )
  return fc
    .tuple(entries(queryFields(t, shape)), extra)
    .map(([known, more]) => [
      ...known.map(([name, value]): QueryPair => ({ name, value, raw: false })),
      ...more,
    ])
}

export function queryString(pairs: readonly QueryPair[]): string {
  if (pairs.length === 0) return ''
  return `?${pairs.map(({ name, value, raw }) => `${encode(name)}=${raw ? value : encode(value)}`).join('&')}`
}
