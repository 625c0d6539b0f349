import { describe, expect, it } from 'vitest'
import { checkTeams } from '../../../src/policy/teams.js'
import { gmail, googleCalendar, googleDrive } from '../../../src/providers/presets/google.js'
import { microsoft, onedrive, outlook, sharepoint, teams } from '../../../src/providers/presets/microsoft.js'
import type { JsonValue, ToolDefinition } from '../../../src/providers/tool-definition.js'
import { checkToolDefinitions } from '../../../src/tools/definition-check.js'
import { buildRequest } from '../../../src/tools/request.js'
import { mapResponse, staleFieldPaths } from '../../../src/tools/response.js'
import { ToolValidator } from '../../../src/tools/validate.js'
import { gmailSamples } from '../../providers/tools/gmail.samples.js'
import { googleCalendarSamples } from '../../providers/tools/google-calendar.samples.js'
import { googleDriveSamples } from '../../providers/tools/google-drive.samples.js'
import { microsoftSamples } from '../../providers/tools/microsoft.samples.js'
import type { ToolSample, ToolSamples } from '../../providers/tools/sample.js'

const app = { clientId: 'client-id', clientSecret: 'client-secret' }
const presets = [googleCalendar, gmail, googleDrive, microsoft, outlook, teams].map((preset) => preset(app))
const samples: ToolSamples = {
  ...googleCalendarSamples,
  ...gmailSamples,
  ...googleDriveSamples,
  ...microsoftSamples,
}

const validator = new ToolValidator()

function queryOf(query: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const [name, value] of new URLSearchParams(query)) {
    const seen = out[name]
    out[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value]
  }
  return out
}

function sent(tool: ToolDefinition, sample: ToolSample) {
  const built = buildRequest(tool, sample.input)
  const text = built.body ? new TextDecoder().decode(built.body) : null
  return {
    method: built.method,
    path: built.path,
    query: queryOf(built.query),
    json: text === null ? undefined : (JSON.parse(text) as JsonValue),
  }
}

describe.each(presets.map((provider) => [provider.id, provider] as const))('%s tools', (id, provider) => {
  const tools = provider.tools as ToolDefinition[]
  const mine = samples[id] ?? []
  const toolOf = (slug: string) => {
    const tool = tools.find((t) => t.slug === slug)
    if (!tool) throw new Error(`${id} has no tool ${slug}`)
    return tool
  }

  it('has at least six, each a valid definition with a sample, reads and writes mixed', () => {
    expect(tools.length).toBeGreaterThanOrEqual(6)
    expect(checkToolDefinitions(id, tools)).toEqual([])
    expect(tools.filter((t) => !t.annotations.readOnly).length).toBeGreaterThan(0)
    expect(tools.filter((t) => t.annotations.readOnly).length).toBeGreaterThan(0)
    expect(tools.map((t) => t.slug).filter((slug) => !mine.some((s) => s.slug === slug))).toEqual([])
    for (const tool of tools) expect(staleFieldPaths(tool), tool.slug).toEqual([])
  })

  it.each(
    mine.map((sample) => [sample.name ? `${sample.slug} (${sample.name})` : sample.slug, sample] as const),
  )('%s: input valid, request and output as the sample says', (_, sample) => {
    const tool = toolOf(sample.slug)
    expect(validator.check(tool.inputSchema, sample.input)).toEqual({ ok: true })
    if (tool.responseSchema && sample.response.body !== null)
      expect(validator.check(tool.responseSchema, sample.response.body, { limits: false })).toEqual({
        ok: true,
      })
    expect(sent(tool, sample)).toEqual({
      method: sample.request.method,
      path: sample.request.path,
      query: sample.request.query ?? {},
      json: sample.request.json,
    })
    expect(mapResponse(tool, sample.response.body)).toEqual(sample.output)
  })
})

describe('presets without tools', () => {
  it('onedrive and sharepoint have none yet', () => {
    expect(onedrive(app).tools).toEqual([])
    expect(sharepoint(app).tools).toEqual([])
  })
})

describe('teams tools under a teams constraint', () => {
  const tools = teams(app).tools as ToolDefinition[]
  const request = (slug: string, input: Record<string, JsonValue>) => {
    const tool = tools.find((t) => t.slug === slug)
    if (!tool) throw new Error(slug)
    return buildRequest(tool, input)
  }
  const team = '172b0cce-e65d-44ce-9a49-91d9f2e8493a'
  const channel = '19:4a95f7d8db4c4e7fae857bcebe0623e6@thread.tacv2'
  const chat = '19:2da4c29f6d7041eca70b638b43d45437@thread.v2'

  it('reads the team, channel and chat ids the tools put in the path', () => {
    const post = request('send_channel_message', { teamId: team, channelId: channel, content: 'Hi' })
    expect(checkTeams({ teamIds: [team] }, post, null)).toBeNull()
    expect(checkTeams({ channelIds: [channel] }, post, null)).toBeNull()
    expect(checkTeams({ teamIds: ['another-team'] }, post, null)).toMatch(/team/)
    expect(checkTeams({ channelIds: ['19:other@thread.tacv2'] }, post, null)).toMatch(/channel/)
    const reply = request('reply_to_channel_message', {
      teamId: team,
      channelId: channel,
      messageId: '1',
      content: 'Hi',
    })
    expect(checkTeams({ teamIds: [team] }, reply, null)).toBeNull()
    const chatPost = request('send_chat_message', { chatId: chat, content: 'Hi' })
    expect(checkTeams({ chatIds: [chat] }, chatPost, null)).toBeNull()
    expect(checkTeams({ chatIds: ['19:other@thread.v2'] }, chatPost, null)).toMatch(/chat/)
  })
})
