/**
 * Property-based fuzzing of every endpoint (fast-check): thousands of generated requests against a
 * real app with seeded data, each checked for
 *   1. no 5xx (the store is healthy; the one 5xx the contract allows here is a 502 `provider_error` at
 *      the callback of a live flow, whose made-up code the authorization server refuses) and no hang;
 *   2. no stack trace, file path, error class or known secret in the response (body and headers) or in
 *      the router's logs;
 *   3. a refused request (4xx, or a redirect back to the return URL with an error) changes nothing in
 *      the store — except that the flow its `state` names is consumed — and emits no event; no
 *      request at all logs an error (the store is healthy);
 *   4. 4xx answers are the contract's `{ error: { code, message } }` with a code from the README's
 *      error table; redirects go only to the authorization server or the app's own origin;
 * plus: no other owner's connection id in any answer, and no prototype pollution.
 *
 * The app's `authorize` is the default one (token and proxy refused, so no response may carry an
 * access token), plus the `admin` action for requests with the x-fuzz-admin header, so that
 * custom-provider registration is fuzzed past authorization.
 *
 * Reproducible: FUZZ_SEED (default below) and FUZZ_RUNS (total over all blocks); FUZZ_VERBOSE=1 adds
 * the full failing request to the report. The store is reset to the seeded snapshot before every
 * request, so a failure replays from the printed seed and path.
 *
 * The pieces, in fuzz/: seed.ts (the app and its data), checks.ts (the properties), requests.ts (the
 * generator, built from routes.ts, queries.ts, bodies.ts and values.ts), http.ts (the raw client).
 *
 * Bugs this fuzzer found, now fixed, with regression coverage here (their inputs are generated):
 *   FUZZ-1 an undecodable path segment (`GET /connections/%`) → 400.
 *   FUZZ-2 a body whose bytes do not match its Content-Encoding → 400.
 *   FUZZ-3 an unparseable Host (`a b`, `[`) → 400, before any work.
 *   FUZZ-4 deeply nested `metadata` on POST /connections/start → 400.
 *   FUZZ-5 `code` or `error` in the query of /connect, /connections/start or .../reauth is ignored.
 *   FUZZ-6 an empty `error_description` at a live flow's callback → the default message.
 *   FUZZ-7 a lone surrogate or a scope outside RFC 6749's syntax → 400, and a throw in passport's
 *          callback no longer crashes the process (an unhandled rejection).
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useOAuthSuite } from '../support/suite.js'
import { checker, ERROR_TABLE, LEAK_MARKERS } from './fuzz/checks.js'
import { requests } from './fuzz/requests.js'
import { GROUPS } from './fuzz/routes.js'
import { FUZZ_OWNER, type FuzzApp, OTHER_OWNER, seedFuzzApp } from './fuzz/seed.js'

const SEED = Number(process.env.FUZZ_SEED ?? 20_260_522)
const TOTAL_RUNS = Number(process.env.FUZZ_RUNS ?? 3000)
if (!Number.isSafeInteger(SEED) || !Number.isSafeInteger(TOTAL_RUNS) || TOTAL_RUNS < 1) {
  throw new Error('FUZZ_SEED must be an integer and FUZZ_RUNS a positive integer.')
}
/** Per block, shrinking included; a block that runs out of time fails (it did not check everything). */
const BLOCK_TIME_LIMIT_MS = 100_000

const suite = useOAuthSuite()
let fuzz: FuzzApp
/** How often each status was answered, over all blocks: the generators must reach deep code. */
const statuses = new Map<number, number>()

beforeAll(async () => {
  expect(ERROR_TABLE.get('invalid_request')).toBe(400)
  fuzz = await seedFuzzApp(suite)
}, 60_000)

afterAll(async () => {
  await fuzz?.app.close()
})

const BLOCKS: ReadonlyArray<readonly [string, readonly string[], number]> = [
  ['the catalogue, lists, reads, audit, openapi and unknown paths', GROUPS.read, 0.2],
  ['relabel, token, revoke, reauth and the proxy', GROUPS.actions, 0.25],
  ['connect, start and the callback', GROUPS.flows, 0.25],
  ['credentials and custom providers', GROUPS.admin, 0.15],
  ['any route, any method', GROUPS.all, 0.15],
]

describe(`fuzzing every endpoint (seed ${SEED}, ${TOTAL_RUNS} requests; FUZZ_SEED / FUZZ_RUNS to change)`, () => {
  for (const [name, routes, share] of BLOCKS) {
    it(
      name,
      async () => {
        await fc.assert(fc.asyncProperty(requests(fuzz.targets, routes), checker(fuzz, statuses)), {
          seed: SEED,
          numRuns: Math.max(1, Math.round(TOTAL_RUNS * share)),
          plugins: [fc.interruptAfterTimeLimit(BLOCK_TIME_LIMIT_MS, { failOnInterrupt: true })],
        })
      },
      BLOCK_TIME_LIMIT_MS + 30_000,
    )
  }

  it('reached every kind of answer, with checks that see what they look for', async () => {
    const seen = [...statuses].sort(([a], [b]) => a - b)
    console.info(
      `fuzz: seed ${SEED}, ${TOTAL_RUNS} requests, statuses ${JSON.stringify(Object.fromEntries(seen))}`,
    )
    if (TOTAL_RUNS >= 2000) {
      for (const status of [200, 201, 302, 400, 401, 403, 404, 409, 413, 502]) {
        expect(statuses.get(status) ?? 0, `answers with status ${status}`).toBeGreaterThan(0)
      }
    }
    // The detectors detect: a real stack trace is one, and a token the router vends is a known secret.
    expect(LEAK_MARKERS.some(([, pattern]) => pattern.test(String(new TypeError('x').stack)))).toBe(true)
    fuzz.restore()
    const { accessToken } = await fuzz.app.router.connections.getAccessToken(
      FUZZ_OWNER,
      fuzz.activeOwnIds[0] ?? '',
    )
    expect(fuzz.knownSecrets()).toContain(accessToken)
    // Every request ran on a restored store, so the seeded data is as it was.
    fuzz.restore()
    expect((await fuzz.app.router.connections.list(FUZZ_OWNER)).map((c) => c.id).sort()).toEqual(
      [...fuzz.activeOwnIds].sort(),
    )
    expect((await fuzz.app.router.connections.list(OTHER_OWNER)).map((c) => c.id)).toEqual(
      fuzz.targets.otherIds,
    )
  })
})
