/**
 * Property-based fuzzing of tool runs (fast-check): arbitrary JSON as a tool's input, by an agent
 * (read_write, no approval) on the fixture's tools and by the owner on every preset tool, each checked
 * for: no 5xx but a 502 `provider_error`; a 4xx is the contract's `{ error: { code, message } }` and
 * nothing reached the provider; no prototype pollution. Keys the schemas name are mixed with
 * `__proto__`, `constructor` and junk, and sent as raw JSON so that they arrive as own properties.
 *
 * Reproducible: TOOL_FUZZ_SEED and TOOL_FUZZ_RUNS (per block).
 */
import fc from 'fast-check'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JsonSchema, ToolDefinition } from '../../src/providers/tool-definition.js'
import { bearer, bindPolicy, createAgent, owner } from '../support/agent-policy.js'
import { startTestApp, type TestApp } from '../support/app.js'
import { apiCalls, closeTrackerApps, connectTracker, type TrackerSetup } from '../support/tool-fixture.js'
import {
  providersWithTools,
  type SampleApi,
  seedConnection,
  startSampleApi,
} from '../support/tool-samples.js'

const SEED = Number(process.env.TOOL_FUZZ_SEED ?? 20_261_207)
const RUNS = Number(process.env.TOOL_FUZZ_RUNS ?? 150)
const ERROR_CODES = [
  'invalid_request',
  'invalid_input',
  'not_found',
  'conflict',
  'forbidden',
  'policy_denied',
  'payload_too_large',
]

/** Raw JSON for an object with these entries: `__proto__` stays an own key, as JSON.parse makes it. */
function objectText(entries: Array<[string, unknown]>): string {
  return `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`).join(',')}}`
}

/** Inputs for a tool: mostly objects over its own field names (and hostile ones), sometimes anything. */
function inputs(tool: ToolDefinition): fc.Arbitrary<string> {
  const properties = Object.keys((tool.inputSchema.properties ?? {}) as JsonSchema)
  const key = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...(properties.length > 0 ? properties : ['x'])) },
    { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', '', 'a.b', '../x') },
    { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
  )
  const value = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.constantFrom('acme', '..', '%2e%2e', 'a/b', '?x=1', '#', '\r\nX-Injected: 1', 'x'.repeat(3000)),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.string({ maxLength: 10 }), { maxLength: 8 }),
    fc.jsonValue({ maxDepth: 3 }),
  )
  const object = fc.array(fc.tuple(key, value), { maxLength: 6 }).map(objectText)
  // Every field, each with a value of roughly its type: inputs that pass the schema and reach the builder.
  const shaped = fc
    .tuple(...properties.map((name) => fc.tuple(fc.constant(name), typed(propertyOf(tool, name)))))
    .map((entries) => objectText(entries))
  return fc.oneof(
    { weight: 4, arbitrary: object },
    { weight: 3, arbitrary: shaped },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)) },
  )
}

function propertyOf(tool: ToolDefinition, name: string): JsonSchema {
  return ((tool.inputSchema.properties ?? {}) as Record<string, JsonSchema>)[name] ?? {}
}

/** A value of the property's type, often an awkward one (path tricks, bounds, unicode). */
function typed(schema: JsonSchema): fc.Arbitrary<unknown> {
  const awkward = fc.constantFrom('acme', '..', '.', 'a/b', '%2e%2e', '?x=1#y', 'ü', '\r\nX: 1', '')
  switch (schema.type) {
    case 'string':
      return Array.isArray(schema.enum)
        ? fc.constantFrom(...schema.enum)
        : fc.oneof(awkward, fc.string({ maxLength: 30 }))
    case 'integer':
      return fc.oneof(fc.integer({ min: 1, max: 100 }), fc.integer())
    case 'number':
      return fc.double({ noNaN: true })
    case 'boolean':
      return fc.boolean()
    case 'array':
      return fc.array(fc.oneof(awkward, fc.string({ maxLength: 10 })), { maxLength: 4 })
    default:
      return fc.jsonValue({ maxDepth: 2 })
  }
}

interface Answer {
  status: number
  body: { error?: { code?: unknown; message?: unknown } }
}

/** The properties every answer must have, given how many requests the provider saw during it. */
function check(res: Answer, sent: number): void {
  if (res.status >= 500) {
    expect(res.status, JSON.stringify(res.body)).toBe(502)
    expect(res.body.error?.code).toBe('provider_error')
  }
  if (res.status >= 400 && res.status < 500) {
    expect(ERROR_CODES, JSON.stringify(res.body)).toContain(res.body.error?.code)
    expect(typeof res.body.error?.message).toBe('string')
    expect(sent, 'a refused run reached the provider').toBe(0)
  }
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
}

describe('tool runs under arbitrary input', () => {
  let s: TrackerSetup
  let key: string
  beforeAll(async () => {
    s = await connectTracker()
    const agent = await createAgent(s.app)
    await bindPolicy(s.app, agent, s.id, { defaultMode: 'read_write', stepUpApproval: 'never' })
    key = agent.key
  })
  afterAll(closeTrackerApps)

  it('the fixture’s tools, by an agent: never a 5xx but provider_error, nothing sent on a 4xx', async () => {
    const { fixtureTools } = await import('../support/tool-fixture.js')
    const run = fc
      .constantFrom(...fixtureTools)
      .chain((tool) => fc.tuple(fc.constant(tool.slug), inputs(tool)))
    await fc.assert(
      fc.asyncProperty(run, async ([slug, input]) => {
        const before = apiCalls(s.fake).length
        const res = await request(s.app.url)
          .post(`/integrations/connections/${s.id}/tools/${slug}/run`)
          .set(bearer(key))
          .set('content-type', 'application/json')
          .send(`{"input":${input}}`)
        check(res, apiCalls(s.fake).length - before)
      }),
      { seed: SEED, numRuns: RUNS },
    )
  })
})

describe.each(providersWithTools().map((p) => [p.id, p] as const))(
  '%s tools under arbitrary input',
  (id, entry) => {
    let api: SampleApi
    let app: TestApp
    let connectionId: string
    beforeAll(async () => {
      api = await startSampleApi()
      api.answer({ body: {} })
      const built = entry.against(api.url)
      app = await startTestApp(null, { providers: [built.provider], authorize: () => true })
      const specs = built.provider.kind === 'oauth2' ? built.provider.connectionParams : {}
      const params = Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, spec.example]))
      connectionId = await seedConnection(app, 'ana', id, `${id}-fuzz-token-CANARY`, params)
    })
    afterAll(async () => {
      await app?.close()
      await api?.close()
    })

    it('never a 5xx but provider_error; nothing sent on a 4xx', async () => {
      const run = fc
        .constantFrom(...entry.tools)
        .chain((tool) => fc.tuple(fc.constant(tool.slug), inputs(tool)))
      await fc.assert(
        fc.asyncProperty(run, async ([slug, input]) => {
          const before = api.seen.length
          const res = await request(app.url)
            .post(`/integrations/connections/${connectionId}/tools/${slug}/run`)
            .set(owner)
            .set('content-type', 'application/json')
            .send(`{"input":${input}}`)
          check(res, api.seen.length - before)
        }),
        { seed: SEED, numRuns: Math.max(20, Math.round(RUNS / 5)) },
      )
    })
  },
)
