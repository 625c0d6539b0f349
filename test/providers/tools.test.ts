import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkToolDefinitions } from '../../src/tools/definition-check.js'
import { owner } from '../support/agent-policy.js'
import { startTestApp, type TestApp } from '../support/app.js'
import { trackerSamples } from '../support/tool-fixture.js'
import {
  expectedRequest,
  providersWithTools,
  receivedRequest,
  type SampleApi,
  seedConnection,
  startSampleApi,
} from '../support/tool-samples.js'
import type { ToolSample, ToolSamples } from './tools/sample.js'

/** Every `*.samples.ts` beside sample.ts, merged by preset id (no index file to forget to extend). */
async function loadSamples(): Promise<ToolSamples> {
  const dir = join(import.meta.dirname, 'tools')
  const merged: ToolSamples = {}
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.samples.ts'))) {
    const module = (await import(join(dir, file))) as Record<string, unknown>
    for (const exported of Object.values(module)) {
      if (typeof exported !== 'object' || exported === null) continue
      for (const [id, samples] of Object.entries(exported as ToolSamples)) {
        if (Array.isArray(samples)) merged[id] = [...(merged[id] ?? []), ...samples]
      }
    }
  }
  return merged
}

const withTools = providersWithTools()
const samples: ToolSamples = { ...(await loadSamples()), ...trackerSamples }

describe('preset tools', () => {
  it('covers the fixture and every preset with tools (the table is never empty)', () => {
    expect(withTools.map((p) => p.id)).toContain('tracker')
  })

  it('every tool of every provider has at least one sample, and every sample names a tool', () => {
    const missing = withTools.flatMap((p) =>
      p.tools
        .filter((tool) => !(samples[p.id] ?? []).some((s) => s.slug === tool.slug))
        .map((tool) => `${p.id}/${tool.slug}`),
    )
    expect(missing, 'tools without a sample in test/providers/tools/*.samples.ts').toEqual([])
    const orphans = Object.entries(samples).flatMap(([id, list]) =>
      list
        .filter((s) => !withTools.find((p) => p.id === id)?.tools.some((t) => t.slug === s.slug))
        .map((s) => `${id}/${s.slug}`),
    )
    expect(orphans, 'samples naming no tool of a provider').toEqual([])
  })

  it.each(withTools.map((p) => [p.id, p] as const))(
    '%s: its tool definitions pass checkToolDefinitions',
    (id, p) => {
      expect(checkToolDefinitions(id, p.tools)).toEqual([])
    },
  )
})

describe.each(withTools.map((p) => [p.id, p] as const))('%s tools through the router', (id, entry) => {
  const token = `${id}-sample-token-CANARY`
  let api: SampleApi
  let app: TestApp
  let connectionId: string
  let prefix = ''
  beforeAll(async () => {
    api = await startSampleApi()
    const built = entry.against(api.url)
    prefix = built.prefix(token)
    app = await startTestApp(null, { providers: [built.provider], authorize: () => true })
    // Providers with per-account URLs (GitHub Enterprise Cloud's enterprise) get their params' examples.
    const specs = built.provider.kind === 'oauth2' ? built.provider.connectionParams : {}
    const params = Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, spec.example]))
    connectionId = await seedConnection(app, 'ana', id, token, params)
  })
  afterAll(async () => {
    await app?.close()
    await api?.close()
  })

  const cases: Array<[string, ToolSample]> = (samples[id] ?? []).map((s) => [s.name ?? s.slug, s])
  it.each(cases)('%s', async (_name, sample) => {
    api.answer(sample.response)
    const before = api.seen.length
    const res = await request(app.url)
      .post(`/integrations/connections/${connectionId}/tools/${sample.slug}/run`)
      .set(owner)
      .send({ input: sample.input })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(api.seen.length).toBe(before + 1)
    const seen = api.seen.at(-1)
    if (!seen) throw new Error('The provider received nothing.')
    expect(receivedRequest(seen)).toEqual(expectedRequest(sample, prefix))
    expect(res.body.data.output).toEqual(sample.output)
  })
})
