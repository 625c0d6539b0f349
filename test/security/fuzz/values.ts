/**
 * The values the generators are made of: hostile strings, JSON values of any type, JSON objects built
 * field by field (a good value, hostile ones, how often the field is there), and the good and hostile
 * values of the fields the routes read (return URLs, scopes, labels, providers, metadata, secrets,
 * endpoint URLs).
 *
 * JSON is generated as text, so keys such as `__proto__`, duplicate keys and malformed encodings reach
 * the server as written. Objects come in three mixes: valid (to reach deep code: a 201, a 302, a code
 * exchange), valid with one field broken (each check in turn), and chaos.
 */
import fc from 'fast-check'
import { GOOD_KEY_PREFIX, POLLUTION_MARKER, SENT_SECRET_PREFIX, type Targets } from './targets.js'

// ---------------------------------------------------------------------------------------------
// Small helpers

/** `arb` in `percent`% of the cases, else undefined. */
export function sometimes<T>(arb: fc.Arbitrary<T>, percent: number): fc.Arbitrary<T | undefined> {
  return fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 100 - percent },
    { arbitrary: arb, weight: percent },
  )
}

export const repeat = (text: string, min: number, max: number) =>
  fc.integer({ min, max }).map((n) => text.repeat(n))

export const json = (value: unknown) => JSON.stringify(value) ?? 'null'

/**
 * Percent-encodes the UTF-8 bytes of any string (a lone surrogate becomes U+FFFD, where
 * encodeURIComponent would throw), keeping the unreserved characters.
 */
export function encode(value: string): string {
  let out = ''
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte)
    out += /[A-Za-z0-9\-._~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}

/** Latin1 form of a UTF-8 string: how a client puts UTF-8 bytes into a header. */
export const utf8Bytes = (value: string) => Buffer.from(value, 'utf8').toString('latin1')

// ---------------------------------------------------------------------------------------------
// Strings and JSON values

const SPECIAL_STRINGS = [
  '',
  ' ',
  '   ',
  '\u0000',
  // Lone surrogates: a scope, a label or a value that no UTF-8 holds (FUZZ-7).
  '\ud800',
  '\udfff',
  'null',
  'undefined',
  'true',
  '0',
  '-1',
  '<script>alert(1)</script>',
  '$' + '{7*7}',
  '{{7*7}}',
  "' OR 1=1 --",
  '../../etc/passwd',
  '%00',
  '%2e%2e%2f',
  '\u202e',
  'ǅ',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  'a\nb',
  '\r\n',
  '\t',
  '\ufeff',
]

export const texts: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ maxLength: 40 }), weight: 4 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 20 }), weight: 1 },
  { arbitrary: fc.constantFrom(...SPECIAL_STRINGS), weight: 3 },
  { arbitrary: repeat('l', 95, 105), weight: 1 },
  { arbitrary: repeat('long-', 100, 900), weight: 1 },
)

const objectKeys = fc.oneof(
  { arbitrary: fc.string({ maxLength: 12 }), weight: 3 },
  {
    arbitrary: fc.constantFrom(
      '__proto__',
      'constructor',
      'prototype',
      'toString',
      'valueOf',
      'hasOwnProperty',
      '__defineGetter__',
      'evil',
      'provider',
      'label',
      'scopes',
      '',
    ),
    weight: 2,
  },
)

const POLLUTION = [
  `{"__proto__":{"${POLLUTION_MARKER}":"yes","admin":true}}`,
  `{"constructor":{"prototype":{"${POLLUTION_MARKER}":"yes"}}}`,
]

/** JSON text of a small value of any type. */
export const anyJson: fc.Arbitrary<string> = fc.oneof(
  fc.integer().map(json),
  fc.double().map(json),
  fc.boolean().map(json),
  fc.constant('null'),
  texts.map(json),
  fc.array(texts, { maxLength: 4 }).map(json),
  fc.constant('{}'),
  fc.constant('[]'),
  fc.jsonValue({ maxDepth: 3 }).map(json),
  fc.constantFrom(...POLLUTION),
)

/** A value nested `depth` levels deep: arrays (2 bytes a level) or objects (6 bytes a level). */
export function deepJson(maxDepth: number): fc.Arbitrary<string> {
  return fc
    .tuple(fc.integer({ min: 1, max: maxDepth }), fc.boolean())
    .map(([depth, arrays]) =>
      arrays ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
    )
}

const secretSuffix = fc.string({
  unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'),
  minLength: 16,
  maxLength: 24,
})
export const sentSecret = secretSuffix.map((s) => `${SENT_SECRET_PREFIX}${s}`)

// ---------------------------------------------------------------------------------------------
// Fields: a good value, hostile ones, and how often the field is there when the input is valid

export type Entry = readonly [string, string]

export interface Field {
  name: string
  good: fc.Arbitrary<string>
  bad: fc.Arbitrary<string>
  /** Percent of valid inputs that carry the field (100: required). */
  presence: number
}

export const field = (
  name: string,
  good: fc.Arbitrary<string>,
  bad: fc.Arbitrary<string>,
  presence = 100,
): Field => ({
  name,
  good,
  bad,
  presence,
})

/** A JSON field: values are JSON text; anything of another type is among the bad ones. */
export const jsonField = (
  name: string,
  good: fc.Arbitrary<unknown>,
  bad: fc.Arbitrary<unknown>,
  presence = 100,
) =>
  field(
    name,
    good.map(json),
    fc.oneof({ arbitrary: bad.map(json), weight: 3 }, { arbitrary: anyJson, weight: 1 }),
    presence,
  )

/** Entries of an input: all valid, valid but one field broken, or every field anything. */
export function entries(fields: readonly Field[]): fc.Arbitrary<Entry[]> {
  const present = (f: Field) => f.good.map((value): Entry => [f.name, value])
  const valid = fc.tuple(
    ...fields.map((f) => (f.presence >= 100 ? present(f) : sometimes(present(f), f.presence))),
  )
  const broken = fc
    .tuple(valid, fc.tuple(...fields.map((f) => f.bad)), fc.nat({ max: fields.length - 1 }), fc.boolean())
    .map(([values, bads, index, drop]) =>
      values.map((entry, i): Entry | undefined => {
        const f = fields[i]
        if (i !== index || !f) return entry
        return drop && f.presence >= 100 ? undefined : [f.name, bads[i] ?? '']
      }),
    )
  const chaos = fc.tuple(
    ...fields.map((f) =>
      fc.oneof(
        { arbitrary: present(f), weight: 5 },
        { arbitrary: f.bad.map((value): Entry => [f.name, value]), weight: 2 },
        { arbitrary: fc.constant(undefined), weight: 3 },
      ),
    ),
  )
  return fc
    .oneof({ arbitrary: valid, weight: 3 }, { arbitrary: broken, weight: 4 }, { arbitrary: chaos, weight: 3 })
    .map((list) => list.filter((entry): entry is Entry => entry !== undefined))
}

/** Extra keys: unknown ones, duplicates of known ones, prototype-pollution payloads. */
const extraKeys: fc.Arbitrary<Entry[]> = fc.oneof(
  { arbitrary: fc.constant<Entry[]>([]), weight: 8 },
  {
    arbitrary: fc.array(
      fc.tuple(objectKeys, anyJson).map(([key, value]): Entry => [key, value]),
      { minLength: 1, maxLength: 3 },
    ),
    weight: 2,
  },
  {
    arbitrary: fc.constantFrom<Entry[]>(
      [['__proto__', `{"${POLLUTION_MARKER}":"yes","admin":true}`]],
      [['constructor', `{"prototype":{"${POLLUTION_MARKER}":"yes"}}`]],
      [['__proto__', 'null']],
    ),
    weight: 1,
  },
)

/** An object's JSON text from its fields, in order (duplicates and `__proto__` kept as written). */
export function objectOf(fields: readonly Field[], extras = extraKeys): fc.Arbitrary<string> {
  return fc.tuple(entries(fields), extras, fc.boolean()).map(([known, extra, extraFirst]) => {
    const all = extraFirst ? [...extra, ...known] : [...known, ...extra]
    return `{${all.map(([key, value]) => `${json(key)}:${value}`).join(',')}}`
  })
}

// ---------------------------------------------------------------------------------------------
// Values the routes care about

export function returnUrls(t: Targets) {
  const good = fc.constantFrom(
    '/settings',
    `${t.origin}/settings`,
    `${t.origin}/settings?tab=1#x`,
    'settings',
  )
  const bad = fc.oneof(
    {
      arbitrary: fc.constantFrom(
        '?x=1',
        '#frag',
        'https://evil.example/steal',
        'http://evil.example',
        '//evil.example/x',
        '///evil.example/x',
        '/\\evil.example/x',
        '\\\\evil.example',
        'https:evil.example',
        'HTTPS://EVIL.EXAMPLE/',
        'javascript:alert(1)',
        'JaVaScRiPt:alert(1)',
        ' javascript:alert(1)',
        'data:text/html,<script>alert(1)</script>',
        'vbscript:msgbox(1)',
        'file:///etc/passwd',
        `http://user:pw@${new URL(t.origin).host}/`,
        `${t.origin}@evil.example/`,
        `${t.origin}.evil.example/`,
        'http://[::1]/',
        'http://[',
        'http://0x7f.1/',
        '\t/settings',
        '',
        ' ',
      ),
      weight: 6,
    },
    { arbitrary: texts, weight: 2 },
    { arbitrary: repeat('/x', 1020, 1030), weight: 1 },
  )
  return { good, bad }
}

export const goodScopes = fc.array(fc.constantFrom('openid', 'email', 'offline_access', 'profile'), {
  maxLength: 3,
})
export const badScopes = fc.oneof(
  fc.array(
    fc.oneof(
      fc.constantFrom('', ' ', 'a,b c', '*', 'openid email', '"quoted"', 'a\\b'),
      texts,
      repeat('s', 199, 202),
    ),
    { minLength: 1, maxLength: 4 },
  ),
  fc.constant(Array(51).fill('s')),
  texts,
)

export const goodLabels = fc.oneof(
  fc.constantFrom('Work', 'Personal', 'ünïcødé 😀', '<b>bold</b>', 'l'.repeat(100)),
  fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim() !== ''),
)

export function providerIds(t: Targets) {
  const good = fc.constantFrom('local', t.customSlug)
  const bad = fc.oneof(
    {
      arbitrary: fc.constantFrom(
        'vendor',
        'nope',
        'github',
        'LOCAL',
        'local ',
        '-local',
        'constructor',
        'prototype',
        'tostring',
        'hasownproperty',
        '__proto__',
        'a'.repeat(63),
        'a'.repeat(64),
        '',
      ),
      weight: 3,
    },
    { arbitrary: texts, weight: 1 },
  )
  return { good, bad, any: fc.oneof({ arbitrary: good, weight: 2 }, { arbitrary: bad, weight: 1 }) }
}

export const goodMetadata = fc.dictionary(
  fc.string({ maxLength: 8 }),
  fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean()),
  { maxKeys: 3 },
)
export const badMetadata: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...POLLUTION), weight: 1 },
  { arbitrary: fc.constant(`{"k":"${'m'.repeat(4100)}"}`), weight: 1 },
  { arbitrary: fc.constant(`{"${'k'.repeat(65)}":1}`), weight: 1 },
  { arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), texts, { maxKeys: 4 }).map(json), weight: 2 },
  // Nesting up to 8,000 levels, within the 16 KiB body limit: deep enough to overflow a recursive walk
  // of the value (FUZZ-4).
  { arbitrary: deepJson(8000).map((deep) => `{"a":${deep}}`), weight: 1 },
  { arbitrary: anyJson, weight: 1 },
)

/**
 * Values of secret fields (API keys, bot tokens, client secrets) are JSON text, and each string is a
 * fresh `fzsec…` value or too short to be taken for a secret: the response checks, and the suite's
 * secret canary (test/support/canary.ts), look for every submitted secret everywhere afterwards, so a
 * submitted secret must never also be sent as a label, a scope or a query value.
 */
export const secretValues = {
  good: sentSecret.map((s) => json(`${GOOD_KEY_PREFIX}${s}`)),
  bad: fc.oneof(
    { arbitrary: sentSecret.map(json), weight: 3 },
    { arbitrary: sentSecret.map((s) => json(`${s} with spaces`)), weight: 1 },
    { arbitrary: sentSecret.map((s) => json(s.repeat(200))), weight: 1 },
    { arbitrary: fc.constantFrom('""', '"short"', '7', 'null', '[]', '{}', 'true'), weight: 2 },
  ),
}

/** Extra credential fields: unknown names, inherited ones (`constructor`), pollution payloads. */
export const credentialExtras = fc.constantFrom<Entry[]>(
  [],
  [],
  [],
  [['extra', '"x"']],
  [['constructor', '"x"']],
  [['toString', '"x"']],
  [['__proto__', '{"apiKey":"x"}']],
  [['hasOwnProperty', '1']],
)

export const endpointUrls = {
  good: fc.constantFrom('https://sso.example.com/oauth/authorize', 'https://sso.example.com/oauth/token'),
  bad: fc.constantFrom(
    'http://sso.example.com/token',
    'https://127.0.0.1/token',
    'https://localhost/token',
    'https://10.0.0.1/token',
    'https://169.254.169.254/latest',
    'https://[::1]/token',
    'https://metadata.google.internal/x',
    'javascript:alert(1)',
    'file:///etc/passwd',
    'not a url',
    `https://x.example/${'p'.repeat(2048)}`,
  ),
}
