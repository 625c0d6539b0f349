import express from 'express'
import { afterAll, afterEach } from 'vitest'
import { formatHits, scan, scanOpenStores, takeHits, textOf, watchResponse } from './canary.js'
import { closeOpenFakes } from './fake-provider.js'
import { closeOpenRuns } from './preset-flow.js'

// The secret canary watches the responses of every Express app of the test process, also the ones a
// test builds itself around the router (startTestApp's apps watch theirs with a middleware as well).
const { handle } = express.application as unknown as {
  handle: (
    req: Parameters<typeof watchResponse>[0],
    res: Parameters<typeof watchResponse>[1],
    ...rest: unknown[]
  ) => unknown
}
Object.assign(express.application, {
  handle(this: unknown, ...args: Parameters<typeof handle>) {
    watchResponse(args[0], args[1])
    return handle.apply(this, args)
  },
})

// Routers built without a logger print to the console: its warnings and errors are log lines too.
for (const level of ['warn', 'error'] as const) {
  const print = console[level]
  console[level] = (...args: unknown[]) => {
    scan('log', `console.${level}`, args.map(textOf).join(' '))
    print(...args)
  }
}

/** Fails the test (or, from afterAll, the file) in which the canary saw a secret. */
function failOnCanaryHits(): void {
  scanOpenStores()
  const hits = takeHits()
  if (hits.length > 0) throw new Error(formatHits(hits))
}

// Provider tests start fakes and apps inside the test; whatever they leave open is closed here.
// Setup-file hooks run after the test file's own afterEach (vitest's "stack" order): apps a file
// closes in its afterEach have had their stores scanned by then.
afterEach(async () => {
  await closeOpenRuns()
  await closeOpenFakes()
  failOnCanaryHits()
})

afterAll(() => {
  failOnCanaryHits()
})
