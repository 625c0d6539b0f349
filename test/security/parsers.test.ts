/**
 * P14, the internal parsers on their own: property tests (fast-check) of the three functions that
 * stand between untrusted text and a security decision. resolveProxyUrl decides where a proxied call
 * goes, checkReturnUrl where a browser is sent back to, Keyring.decrypt whether a stored blob is
 * genuine.
 *
 * Reproducible: FUZZ_SEED (default below, the HTTP fuzzer's) picks the inputs; each property runs
 * PARSER_RUNS times. A failure prints the seed, the path and the shrunk counterexample.
 */
import { randomBytes } from 'node:crypto'
import type { Request } from 'express'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ConnectionsError } from '../../src/core/errors.js'
import { resolveProxyUrl } from '../../src/core/proxy-url.js'
import { DecryptionError, Keyring } from '../../src/crypto/keyring.js'
import type { HttpContext } from '../../src/http/context.js'
import { checkReturnUrl, withParams } from '../../src/http/return-url.js'

const SEED = Number(process.env.FUZZ_SEED ?? 20_260_522)
const PARSER_RUNS = 1000
if (!Number.isSafeInteger(SEED)) throw new Error('FUZZ_SEED must be an integer.')
const runs = { seed: SEED, numRuns: PARSER_RUNS }

/** The error every refusal must be: the contract's 400, never a TypeError or a URIError. */
function expectRefusal(error: unknown): void {
  expect(error).toBeInstanceOf(ConnectionsError)
  expect((error as ConnectionsError).code).toBe('invalid_request')
}

/** Joins 0 to `max` pieces drawn from `pieces` or short random text. */
function joined(pieces: readonly string[], max: number): fc.Arbitrary<string> {
  const piece = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...pieces) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 4 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 2 }) },
  )
  return fc.array(piece, { maxLength: max }).map((parts) => parts.join(''))
}

// --- resolveProxyUrl ---------------------------------------------------------------------------

/** Base URLs as providers configure them: bare hosts, a path prefix (with and without its slash), a port, a token in the path. */
const API_BASES = [
  'https://api.example.com',
  'https://api.example.com/',
  'https://api.example.com/v1',
  'https://api.example.com/v1/',
  'https://api.example.com:8443/a/b',
  'http://127.0.0.1:8081/bot123456:AAE-token_part',
]

/** What could move a request elsewhere: dot segments plain and encoded, slashes and backslashes, schemes, user@host, controls. */
const PATH_PIECES = [
  '/',
  '//',
  '.',
  '..',
  '..;',
  ';x',
  '%2e',
  '%2E',
  '%2f',
  '%2F',
  '%5c',
  '%25',
  '%00',
  '%',
  '%zz',
  '%3b',
  '\\',
  '@',
  ':',
  '?',
  '#',
  '&',
  '=',
  ' ',
  '\t',
  '\n',
  '\r',
  '\u0000',
  '\u007f',
  'a',
  'v1',
  'items',
  'api.example.com',
  'evil.example',
  'user@evil.example',
  'http:',
  'https:',
  'javascript:',
  'HTTP://evil.example',
  '//evil.example',
  '\\\\evil.example',
  '\u3002',
  '\uff0e',
  '%c0%ae',
  'é',
  '\u202e',
]

const proxyPath = fc.oneof(
  { weight: 6, arbitrary: joined(PATH_PIECES, 12) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.webPath(), fc.webQueryParameters())
      .map(([path, query]) => (query ? `${path}?${query}` : path)),
  },
)

/** A path segment as a server that percent-decodes once would read it. */
function decodedOnce(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

// --- checkReturnUrl ----------------------------------------------------------------------------

const APP = 'https://app.example.com'
/** Two policies: the default (the app's own origin, from baseUrl) and an explicit list. */
const POLICIES: Array<{ name: string; returnUrls: string[] | null; allowed: string[] }> = [
  { name: 'default', returnUrls: null, allowed: [APP] },
  { name: 'list', returnUrls: [APP, 'http://localhost:3000'], allowed: [APP, 'http://localhost:3000'] },
]

function contextFor(returnUrls: string[] | null): HttpContext {
  // checkReturnUrl reads baseUrl and returnUrls; the rest of the context plays no part.
  return { baseUrl: APP, returnUrls } as unknown as HttpContext
}
const REQUEST = { protocol: 'https', get: () => 'evil.example' } as unknown as Request

const returnUrlFromParts = fc
  .tuple(
    fc.constantFrom(
      '',
      'https:',
      'http:',
      'HTTPS:',
      'javascript:',
      'data:',
      'file:',
      'ftp:',
      'blob:https:',
      ' https:',
      '\thttps:',
      'ht\ntps:',
      'https;',
    ),
    fc.constantFrom('', '/', '//', '///', '\\\\', '/\\', '\\/', '\t//', '/ /'),
    fc.constantFrom('', 'user@', 'user:pw@', ':@', '@', `app.example.com@`, 'app.example.com:443@', '%40@'),
    fc.constantFrom(
      'app.example.com',
      'APP.example.com',
      'app.example.com.',
      'evil.example',
      'app.example.com.evil.example',
      'evil.example\\app.example.com',
      'evil.example#app.example.com',
      'evil.example?app.example.com',
      'localhost',
      '127.0.0.1',
      '[::1]',
      'app\u3002example.com',
      'app%2eexample.com',
      '0x7f.1',
      '',
    ),
    fc.constantFrom('', ':443', ':80', ':3000', ':8443', ':', ':0443'),
    fc.constantFrom(
      '',
      '/',
      '/settings',
      '/a/../b',
      '//evil.example',
      '/\\evil.example',
      '?x=1',
      '#f',
      '/%2f%2fevil.example',
      '/@evil.example',
    ),
  )
  .map((parts) => parts.join(''))

/** A string with `inserted` put in at `at` (modulo its length + 1). */
function insertAt(text: string, at: number, inserted: string): string {
  const index = at % (text.length + 1)
  return `${text.slice(0, index)}${inserted}${text.slice(index)}`
}

const returnUrl = fc.oneof(
  { weight: 5, arbitrary: returnUrlFromParts },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        returnUrlFromParts,
        fc.nat(),
        fc.constantFrom('\t', '\n', '\r', ' ', '\u0000', '\\', '@', '//', '%'),
      )
      .map(([url, at, inserted]) => insertAt(url, at, inserted)),
  },
  {
    // An allowed origin, or a near miss, followed by whatever the path pieces make.
    weight: 4,
    arbitrary: fc
      .tuple(
        fc.constantFrom(
          APP,
          'http://localhost:3000',
          'http://app.example.com',
          'http://localhost:3001',
          'https://app.example.com.evil.example',
        ),
        fc.oneof(joined(PATH_PIECES, 6), fc.webPath()),
      )
      .map(([origin, rest]) => `${origin}${rest}`),
  },
  { weight: 1, arbitrary: fc.webUrl({ withQueryParameters: true, withFragments: true }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: joined(PATH_PIECES, 8) },
)

// --- Keyring.decrypt ---------------------------------------------------------------------------

const key = () => randomBytes(32).toString('base64')
const [KEY_NEW, KEY_OLD] = [key(), key()]
/** Two keys, as during a rotation: a blob under either one opens. */
const keyring = new Keyring([KEY_NEW, KEY_OLD])
const oldKeyring = new Keyring([KEY_OLD])
/** A key this keyring does not hold. */
const stranger = new Keyring([key()])

type Tampering =
  | { kind: 'flip bit'; bit: number }
  | { kind: 'truncate bytes'; keep: number }
  | { kind: 'truncate text'; keep: number }
  | { kind: 'append bytes'; extra: Uint8Array }
  | { kind: 'wrong associated data'; associatedData: string }
  | { kind: 'swap nonce'; other: string }
  | { kind: 'another key under our id' }
  | { kind: 'random sealed part'; bytes: Uint8Array }
  | { kind: 'random text'; text: string }
  | { kind: 'edit text'; at: number; text: string }

const tampering: fc.Arbitrary<Tampering> = fc.oneof(
  fc.record({ kind: fc.constant('flip bit' as const), bit: fc.nat() }),
  fc.record({ kind: fc.constant('truncate bytes' as const), keep: fc.nat() }),
  fc.record({ kind: fc.constant('truncate text' as const), keep: fc.nat() }),
  fc.record({
    kind: fc.constant('append bytes' as const),
    extra: fc.uint8Array({ minLength: 1, maxLength: 32 }),
  }),
  fc.record({
    kind: fc.constant('wrong associated data' as const),
    associatedData: fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 60 }),
      fc.uuid().map((id) => `connection:${id}`),
    ),
  }),
  fc.record({ kind: fc.constant('swap nonce' as const), other: fc.string({ maxLength: 20 }) }),
  fc.record({ kind: fc.constant('another key under our id' as const) }),
  fc.record({
    kind: fc.constant('random sealed part' as const),
    bytes: fc.uint8Array({ maxLength: 120 }),
  }),
  fc.record({
    kind: fc.constant('random text' as const),
    text: fc.oneof(
      fc.string({ unit: 'binary', maxLength: 120 }),
      joined(['v1', '.', keyring.currentKeyId], 6),
    ),
  }),
  fc.record({
    kind: fc.constant('edit text' as const),
    at: fc.nat(),
    text: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 3 }),
  }),
)

/** Tampering that must always fail: everything but the text edits, which base64 decoding may not even see. */
const MUST_FAIL = new Set<Tampering['kind']>([
  'flip bit',
  'truncate bytes',
  'truncate text',
  'append bytes',
  'wrong associated data',
  'swap nonce',
  'another key under our id',
  'random sealed part',
  'random text',
])

function parts(blob: string): { head: string; raw: Buffer } {
  const at = blob.lastIndexOf('.')
  return { head: blob.slice(0, at), raw: Buffer.from(blob.slice(at + 1), 'base64url') }
}
const reseal = (head: string, raw: Uint8Array) => `${head}.${Buffer.from(raw).toString('base64url')}`

/** The blob and associated data a tampering hands to decrypt. */
function tamper(
  blob: string,
  associatedData: string,
  plaintext: string,
  t: Tampering,
): { blob: string; associatedData: string } {
  const { head, raw } = parts(blob)
  switch (t.kind) {
    case 'flip bit': {
      const flipped = Buffer.from(raw)
      const bit = t.bit % (flipped.length * 8)
      flipped[bit >> 3] = (flipped[bit >> 3] ?? 0) ^ (1 << (bit & 7))
      return { blob: reseal(head, flipped), associatedData }
    }
    case 'truncate bytes':
      return { blob: reseal(head, raw.subarray(0, t.keep % raw.length)), associatedData }
    case 'truncate text':
      return { blob: blob.slice(0, t.keep % blob.length), associatedData }
    case 'append bytes':
      return { blob: reseal(head, Buffer.concat([raw, t.extra])), associatedData }
    case 'wrong associated data':
      return {
        blob,
        associatedData: t.associatedData === associatedData ? `${associatedData} ` : t.associatedData,
      }
    case 'swap nonce': {
      // The nonce of another blob of the same plaintext and record, with this blob's body and tag.
      const other = parts(keyring.encrypt(plaintext, associatedData)).raw
      return { blob: reseal(head, Buffer.concat([other.subarray(0, 12), raw.subarray(12)])), associatedData }
    }
    case 'another key under our id': {
      const foreign = parts(stranger.encrypt(plaintext, associatedData)).raw
      return { blob: reseal(head, foreign), associatedData }
    }
    case 'random sealed part':
      return { blob: reseal(head, t.bytes), associatedData }
    case 'random text':
      return { blob: t.text, associatedData }
    case 'edit text': {
      const at = t.at % blob.length
      return { blob: `${blob.slice(0, at)}${t.text}${blob.slice(at + t.text.length)}`, associatedData }
    }
  }
}

describe(`P14: the internal parsers under property tests (seed ${SEED}, ${PARSER_RUNS} runs each; FUZZ_SEED to change)`, () => {
  it('P14: resolveProxyUrl never returns a URL outside the API base’s origin and path prefix, whatever the path: anything else is a 400', () => {
    let resolved = 0
    let refused = 0
    fc.assert(
      fc.property(fc.constantFrom(...API_BASES), proxyPath, (apiBaseUrl, path) => {
        let target: URL
        try {
          target = resolveProxyUrl(apiBaseUrl, path)
        } catch (error) {
          expectRefusal(error)
          refused += 1
          return
        }
        resolved += 1
        const base = new URL(apiBaseUrl)
        const prefix = `${base.pathname.replace(/\/+$/, '')}/`
        expect(target.origin).toBe(base.origin)
        expect(target.username).toBe('')
        expect(target.password).toBe('')
        expect(target.pathname.startsWith(prefix), `${target.pathname} under ${prefix}`).toBe(true)
        // What the provider's server reads is under the prefix too: no segment decodes to a dot segment.
        const below = target.pathname.slice(prefix.length).split('/').map(decodedOnce)
        expect(below.filter((segment) => segment === '.' || segment === '..')).toEqual([])
      }),
      runs,
    )
    // The property saw both sides: paths that resolve, and paths that are refused.
    expect(resolved).toBeGreaterThan(PARSER_RUNS / 10)
    expect(refused).toBeGreaterThan(PARSER_RUNS / 10)
  })

  it('P14: checkReturnUrl never returns a URL with another scheme than http(s), with credentials, or on an origin the policy does not allow: anything else is a 400', async () => {
    const accepted = new Map<string, number>()
    let refused = 0
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...POLICIES), returnUrl, async (policy, value) => {
        let checked: string
        try {
          checked = await checkReturnUrl(contextFor(policy.returnUrls), REQUEST, value)
        } catch (error) {
          expectRefusal(error)
          refused += 1
          return
        }
        const url = new URL(checked)
        expect(['http:', 'https:']).toContain(url.protocol)
        expect(url.username).toBe('')
        expect(url.password).toBe('')
        expect(policy.allowed).toContain(url.origin)
        // Where the callback then sends the browser: the same origin with connection_id added.
        expect(new URL(withParams(checked, { connection_id: 'c-1' })).origin).toBe(url.origin)
        accepted.set(url.origin, (accepted.get(url.origin) ?? 0) + 1)
      }),
      runs,
    )
    expect(refused).toBeGreaterThan(PARSER_RUNS / 10)
    expect(accepted.get(APP) ?? 0).toBeGreaterThan(PARSER_RUNS / 20)
    expect(accepted.get('http://localhost:3000') ?? 0).toBeGreaterThan(0)
  })

  it('P14: Keyring.decrypt on random or tampered blobs (bit flips, truncations, appended bytes, wrong associated data, another nonce or key) throws DecryptionError and never returns another plaintext', () => {
    const seen = new Map<Tampering['kind'], number>()
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        fc.uuid().map((id) => `connection:${id}`),
        fc.boolean(),
        tampering,
        (plaintext, associatedData, underOldKey, t) => {
          const blob = (underOldKey ? oldKeyring : keyring).encrypt(plaintext, associatedData)
          expect(keyring.decrypt(blob, associatedData)).toBe(plaintext)
          const tampered = tamper(blob, associatedData, plaintext, t)
          seen.set(t.kind, (seen.get(t.kind) ?? 0) + 1)
          let opened: string
          try {
            opened = keyring.decrypt(tampered.blob, tampered.associatedData)
          } catch (error) {
            expect(error).toBeInstanceOf(DecryptionError)
            return
          }
          // Only an edit that leaves the same bytes (base64url skips what it cannot read) may open,
          // and then to the same plaintext, on the same record.
          expect(MUST_FAIL.has(t.kind), `${t.kind} opened`).toBe(false)
          expect(tampered.associatedData).toBe(associatedData)
          expect(opened).toBe(plaintext)
        },
      ),
      runs,
    )
    expect([...seen.keys()].sort()).toEqual([...MUST_FAIL, 'edit text'].sort())
  })
})
