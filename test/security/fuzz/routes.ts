/**
 * The router's routes, as the fuzzer aims at them (template, methods, body and query shape), their
 * groups (one property each), and their paths: real segments (own and other owners' ids, providers)
 * mixed with junk ones (traversal, encodings that do not decode, unicode, very long ones) and with
 * spellings that routers and proxies have been known to read differently.
 */
import fc from 'fast-check'
import type { BodyShape } from './bodies.js'
import { METHODS, type Method } from './http.js'
import type { QueryShape } from './queries.js'
import { MOUNT, type Targets } from './targets.js'
import { encode, providerIds, repeat } from './values.js'

// ---------------------------------------------------------------------------------------------
// Routes

export interface Route {
  name: string
  template: string
  methods: readonly Method[]
  body: BodyShape | null
  query: QueryShape | null
}

const ROUTE_LIST: readonly Route[] = [
  { name: 'providers', template: '/providers', methods: ['GET'], body: null, query: 'list' },
  { name: 'list', template: '/connections', methods: ['GET'], body: null, query: 'list' },
  { name: 'get', template: '/connections/{id}', methods: ['GET'], body: null, query: null },
  { name: 'audit', template: '/audit', methods: ['GET'], body: null, query: 'audit' },
  { name: 'openapi', template: '/openapi.json', methods: ['GET'], body: null, query: null },
  { name: 'unknown', template: '/{junk}', methods: METHODS, body: 'none', query: null },
  { name: 'mount', template: '', methods: METHODS, body: 'none', query: null },
  { name: 'nested', template: '/connections/{id}/{junk}', methods: METHODS, body: 'none', query: null },
  { name: 'label', template: '/connections/{id}/label', methods: ['PUT'], body: 'label', query: null },
  { name: 'token', template: '/connections/{id}/token', methods: ['GET'], body: null, query: null },
  { name: 'revoke', template: '/connections/{id}/revoke', methods: ['POST'], body: 'none', query: null },
  { name: 'reauth', template: '/connections/{id}/reauth', methods: ['POST'], body: 'reauth', query: null },
  { name: 'proxy', template: '/connections/{id}/proxy{rest}', methods: METHODS, body: 'none', query: 'any' },
  { name: 'connect', template: '/connect/{provider}', methods: ['GET'], body: null, query: 'connect' },
  { name: 'start', template: '/connections/start', methods: ['POST'], body: 'start', query: null },
  { name: 'callback', template: '/callback/{provider}', methods: ['GET'], body: null, query: 'callback' },
  { name: 'credentials', template: '/connections', methods: ['POST'], body: 'credentials', query: null },
  {
    name: 'customList',
    template: '/custom-providers',
    methods: ['GET', 'POST'],
    body: 'custom',
    query: null,
  },
  {
    name: 'customDelete',
    template: '/custom-providers/{slug}',
    methods: ['DELETE'],
    body: null,
    query: null,
  },
]
export const ROUTES = new Map(ROUTE_LIST.map((r) => [r.name, r]))

/** The endpoint groups, one `it` each. */
export const GROUPS = {
  read: ['providers', 'list', 'get', 'audit', 'openapi', 'unknown', 'mount'],
  actions: ['label', 'token', 'revoke', 'reauth', 'proxy', 'nested'],
  flows: ['connect', 'start', 'callback'],
  admin: ['credentials', 'customList', 'customDelete'],
  all: ROUTE_LIST.map((r) => r.name),
} as const

// ---------------------------------------------------------------------------------------------
// Paths

/** Segments that are not what the route expects: traversal, encodings, unicode, very long ones. */
const junkSegments: fc.Arbitrary<string> = fc.oneof(
  {
    arbitrary: fc.constantFrom(
      '..',
      '.',
      '%2e%2e',
      '%2E%2E%2F',
      '.%2e',
      '%2F',
      'a%2Fb',
      '%5C',
      '..%5C..%5C',
      '%00',
      'a%00b',
      '%20',
      '%09',
      '%EF%BB%BF',
      '%F0%9F%98%80',
      'null',
      'undefined',
      '0',
      '-1',
      '__proto__',
      'constructor',
      'prototype',
      'hasOwnProperty',
      ';',
      'a;b=c',
      '~',
      '*',
      '(.*)',
      ':id',
      '%3Aid',
      '$',
      '@',
      'start',
      'token',
      'proxy',
    ),
    weight: 6,
  },
  // Escapes that do not decode: %, %zz, a cut or overlong UTF-8 sequence, an encoded surrogate (FUZZ-1).
  {
    arbitrary: fc.constantFrom(
      '%',
      '%zz',
      '%E0%A4%A',
      'a%',
      '%%',
      '%u0041',
      '%C0%AE%C0%AE',
      '%ED%A0%80',
      '%FF',
    ),
    weight: 2,
  },
  { arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).map(encode), weight: 2 },
  {
    arbitrary: fc.string({
      unit: fc.constantFrom(..."abcXYZ019-._~!$&'()*+,;=:@"),
      minLength: 1,
      maxLength: 20,
    }),
    weight: 2,
  },
  { arbitrary: repeat('s', 200, 3000), weight: 1 },
)

function idSegments(t: Targets): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...t.ownIds), weight: 10 },
    { arbitrary: fc.constantFrom(...t.otherIds), weight: 3 },
    { arbitrary: fc.uuid(), weight: 2 },
    { arbitrary: fc.constantFrom(...t.ownIds).map((id) => id.toUpperCase()), weight: 1 },
    {
      arbitrary: fc
        .tuple(
          fc.constantFrom(...t.ownIds, ...t.otherIds),
          fc.constantFrom('%00', '.json', '%20', 'x', '%2F..'),
        )
        .map(([id, suffix]) => `${id}${suffix}`),
      weight: 1,
    },
    { arbitrary: fc.constantFrom(...t.ownIds).map((id) => id.replace(/-/g, '%2D')), weight: 1 },
    { arbitrary: fc.constantFrom('local', 'vendor', t.customSlug), weight: 1 },
    { arbitrary: junkSegments, weight: 3 },
  )
}

function providerSegments(t: Targets): fc.Arbitrary<string> {
  const providers = providerIds(t)
  return fc.oneof(
    { arbitrary: providers.good, weight: 10 },
    { arbitrary: providers.bad.map(encode), weight: 2 },
    { arbitrary: fc.constantFrom('Local', 'LOCAL', 'local%20', 'loc%61l', 'vendor'), weight: 1 },
    { arbitrary: junkSegments, weight: 2 },
  )
}

const proxyRests = fc.constantFrom(
  '',
  '/',
  '/me',
  '/userinfo',
  '//evil.example/x',
  '/%2F%2Fevil.example',
  '/../../x',
  '/%2e%2e/%2e%2e/x',
  '/..%2F..%2Fx',
  '/a/./b',
  'x',
  '/http://evil.example/',
  '/@evil.example',
  '/%00',
)

/** Spellings of a path that routers and proxies have been known to read differently. */
const mutations = fc.constantFrom<(path: string) => string>(
  (p) => `${p}/`,
  (p) => `${p}//`,
  (p) => p.replace(/^\//, '//'),
  (p) => p.replace('/connections', '/Connections'),
  (p) => p.replace('/connections', '/connections/.'),
  (p) => p.replace(/\/([^/]*)$/, '/../$1'),
  (p) => `${p};jsessionid=1`,
  (p) => `${p}%2F`,
)

export function pathFor(t: Targets, r: Route): fc.Arbitrary<string> {
  const parts = r.template.split(/(\{\w+\})/).filter((part) => part !== '')
  const filled = parts.map((part): fc.Arbitrary<string> => {
    switch (part) {
      case '{id}':
        return idSegments(t)
      case '{provider}':
        // The live flows are all the `local` provider's: their callbacks name it most of the time.
        return r.name === 'callback'
          ? fc.oneof(
              { arbitrary: fc.constant('local'), weight: 3 },
              { arbitrary: providerSegments(t), weight: 2 },
            )
          : providerSegments(t)
      case '{slug}':
        return fc.oneof(fc.constantFrom(t.customSlug, 'acme-sso'), providerSegments(t))
      case '{junk}':
        return junkSegments
      case '{rest}':
        return proxyRests
      default:
        return fc.constant(part)
    }
  })
  const same = (p: string) => p
  const mutation = fc.oneof({ arbitrary: fc.constant(same), weight: 12 }, { arbitrary: mutations, weight: 3 })
  // The mount path itself only takes suffixes that keep the request inside the router.
  const mountOnly = fc.constantFrom('', '/', '//', '/.', '/%2e')
  return fc.tuple(fc.tuple(...filled), mutation, mountOnly).map(([segments, mutate, suffix]) => {
    const path = segments.join('')
    return `${MOUNT}${path === '' ? suffix : mutate(path)}`
  })
}
