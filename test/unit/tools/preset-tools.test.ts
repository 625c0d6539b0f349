import { describe, expect, it } from 'vitest'
import { connectionFacts } from '../../../src/agents/connection-facts.js'
import { isRead } from '../../../src/policy/mode.js'
import { checkSlack } from '../../../src/policy/slack.js'
import { checkTelegram } from '../../../src/policy/telegram.js'
import { telegram } from '../../../src/providers/credentials/telegram.js'
import { github, githubEnterpriseCloud } from '../../../src/providers/presets/github.js'
import { linear } from '../../../src/providers/presets/linear.js'
import { notion } from '../../../src/providers/presets/notion.js'
import { slack } from '../../../src/providers/presets/slack.js'
import type { JsonValue, ToolDefinition } from '../../../src/providers/tool-definition.js'
import type { Provider } from '../../../src/providers/types.js'
import { checkToolDefinitions } from '../../../src/tools/definition-check.js'
import { type BuiltRequest, buildRequest } from '../../../src/tools/request.js'
import { checkSuccess, mapResponse, staleFieldPaths } from '../../../src/tools/response.js'
import { ToolValidator } from '../../../src/tools/validate.js'
import { presetSamples } from '../../providers/tools/index.js'
import type { ToolSample } from '../../providers/tools/sample.js'

const app = { clientId: 'id', clientSecret: 'secret' }
const presets: Provider[] = [
  github(app),
  githubEnterpriseCloud(app),
  slack(app),
  linear(app),
  notion(app),
  telegram(),
]

/** What the provider receives, in the sample's terms: repeated query parameters as arrays. */
function received(request: BuiltRequest): ToolSample['request'] {
  const query: Record<string, string | string[]> = {}
  for (const [name, value] of new URLSearchParams(request.query)) {
    const seen = query[name]
    query[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value]
  }
  const text = request.body ? new TextDecoder().decode(request.body) : null
  return {
    method: request.method,
    path: request.path,
    ...(Object.keys(query).length > 0 ? { query } : {}),
    ...(text === null
      ? {}
      : request.contentType === 'application/x-www-form-urlencoded'
        ? { form: Object.fromEntries(new URLSearchParams(text)) }
        : { json: JSON.parse(text) as JsonValue }),
  }
}

const expected = (sample: ToolSample): ToolSample['request'] => {
  const { query, ...rest } = sample.request
  return { ...rest, ...(query && Object.keys(query).length > 0 ? { query } : {}) }
}

describe.each(presets.map((provider) => [provider.id, provider] as const))('%s tools', (id, provider) => {
  const validator = new ToolValidator()
  const tools = provider.tools
  const samples = presetSamples[id] ?? []
  const toolOf = (slug: string): ToolDefinition => {
    const tool = tools.find((candidate) => candidate.slug === slug)
    if (!tool) throw new Error(`${id} has no tool ${slug}`)
    return tool
  }

  it('passes the definition check', () => {
    expect(checkToolDefinitions(id, tools)).toEqual([])
  })

  it('has at least six, each unique, described, documented and with a sample', () => {
    expect(tools.length).toBeGreaterThanOrEqual(6)
    expect(new Set(tools.map((tool) => tool.slug)).size).toBe(tools.length)
    for (const tool of tools) {
      expect(tool.slug).toMatch(/^[a-z][a-z0-9_]{0,63}$/)
      expect(tool.docsUrl).toMatch(/^https:\/\//)
      expect(tool.description.length).toBeGreaterThan(20)
      expect(
        samples.some((sample) => sample.slug === tool.slug),
        `${tool.slug} has no sample`,
      ).toBe(true)
    }
    expect(tools.some((tool) => tool.annotations.readOnly)).toBe(true)
    expect(tools.some((tool) => !tool.annotations.readOnly)).toBe(true)
  })

  it.each(tools.map((tool) => [tool.slug, tool] as const))(
    '%s: schemas compile strictly, the map matches the response schema',
    (_, tool) => {
      expect(tool.inputSchema).toMatchObject({ type: 'object', additionalProperties: false })
      expect(validator.compiles(tool.inputSchema)).toBeNull()
      if (tool.responseSchema) expect(validator.compiles(tool.responseSchema)).toBeNull()
      expect(staleFieldPaths(tool)).toEqual([])
      const properties = Object.keys((tool.inputSchema.properties ?? {}) as Record<string, JsonValue>)
      for (const property of properties)
        expect(
          (tool.inputSchema.properties as Record<string, { description?: string }>)[property]?.description,
        ).toBeTruthy()
    },
  )

  it.each(
    samples.map((sample) => [`${sample.slug}${sample.name ? ` (${sample.name})` : ''}`, sample] as const),
  )('%s: input → request, response → output', (_, sample) => {
    const tool = toolOf(sample.slug)
    expect(validator.check(tool.inputSchema, sample.input)).toEqual({ ok: true })
    expect(received(buildRequest(tool, sample.input))).toEqual(expected(sample))
    if (tool.responseSchema)
      expect(validator.check(tool.responseSchema, sample.response.body)).toEqual({ ok: true })
    expect(checkSuccess(tool, sample.response.body)).toBeNull()
    expect(mapResponse(tool, sample.response.body)).toEqual(sample.output)
  })
})

describe('tools on RPC APIs, as agent policies see their requests', () => {
  const rpc = [slack(app), telegram()]
  const cases = rpc.flatMap((provider) =>
    (presetSamples[provider.id] ?? []).map((sample) => [provider, sample] as const),
  )

  it.each(cases.map(([provider, sample]) => [`${provider.id} ${sample.slug}`, provider, sample] as const))(
    '%s: read-only exactly when the preset declares the method a read',
    (_, provider, sample) => {
      const tool = provider.tools.find((candidate) => candidate.slug === sample.slug) as ToolDefinition
      const request = buildRequest(tool, sample.input)
      const connection = connectionFacts(provider, { provider: provider.id, grantedScopes: [], metadata: {} })
      expect(isRead({ model: 'B', kind: 'http', request, connection })).toBe(tool.annotations.readOnly)
    },
  )

  it('a Slack tool naming a channel passes a policy limited to it, and fails one limited to another', () => {
    const tools = slack(app).tools
    for (const sample of presetSamples.slack ?? []) {
      const channel = sample.input.channel ?? sample.input.user
      if (typeof channel !== 'string') continue
      const request = buildRequest(
        tools.find((tool) => tool.slug === sample.slug) as ToolDefinition,
        sample.input,
      )
      const allowed =
        channel.startsWith('U') || channel.startsWith('W') ? { users: [channel] } : { channels: [channel] }
      expect(checkSlack(allowed, request), sample.slug).toBeNull()
      expect(checkSlack({ channels: ['C0OTHER'], users: ['U0OTHER'] }, request), sample.slug).not.toBeNull()
    }
  })

  it('a Telegram tool naming chats passes a policy allowing them all, and fails one allowing another', () => {
    const tools = telegram().tools
    for (const sample of presetSamples.telegram ?? []) {
      const chats = [sample.input.chat_id, sample.input.from_chat_id].filter((chat) => chat !== undefined)
      if (chats.length === 0) continue
      const request = buildRequest(
        tools.find((tool) => tool.slug === sample.slug) as ToolDefinition,
        sample.input,
      )
      expect(checkTelegram({ chatIds: chats.map(String) }, request), sample.slug).toBeNull()
      expect(checkTelegram({ chatIds: ['42'] }, request), sample.slug).not.toBeNull()
    }
  })
})
