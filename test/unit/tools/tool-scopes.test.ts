import { describe, expect, it } from 'vitest'
import { gmail, googleCalendar, googleDrive } from '../../../src/providers/presets/google.js'
import { outlook, teams } from '../../../src/providers/presets/microsoft.js'
import type { ToolDefinition } from '../../../src/providers/tool-definition.js'
import { checkToolDefinitions } from '../../../src/tools/definition-check.js'

const app = { clientId: 'client-id', clientSecret: 'client-secret' }
const listChats: ToolDefinition = {
  slug: 'list_chats',
  displayName: 'List chats',
  description: 'List the user’s chats.',
  inputSchema: { type: 'object', properties: {}, additionalProperties: false },
  request: { method: 'GET', path: '/me/chats' },
  responseSchema: null,
  responseFieldMap: {},
  annotations: { readOnly: true },
  scopes: ['Chat.Read'],
  docsUrl: 'https://learn.microsoft.com/en-us/graph/api/chat-list',
}

describe('ToolDefinition.scopes', () => {
  it('is optional, and a list of scope names when present', () => {
    expect(checkToolDefinitions('teams', [listChats])).toEqual([])
    const { scopes: _, ...without } = listChats
    expect(checkToolDefinitions('teams', [without])).toEqual([])
  })

  it.each<[string, unknown]>([
    ['a string', 'Chat.Read'],
    ['a number in the list', ['Chat.Read', 7]],
    ['an empty list', []],
    ['a scope with a space', ['Chat.Read Mail.Send']],
    ['a scope twice', ['Chat.Read', 'Chat.Read']],
  ])('refuses %s', (_, scopes) => {
    const problems = checkToolDefinitions('teams', [{ ...listChats, scopes } as ToolDefinition])
    expect(
      problems.some((line) => line.startsWith('teams/list_chats: /scopes')),
      problems.join('\n'),
    ).toBe(true)
  })

  const presets = [googleCalendar, gmail, googleDrive, outlook, teams].map((preset) => preset(app))
  it.each(presets.map((provider) => [provider.id, provider] as const))(
    '%s: every tool names its scopes; every write needs one the read-only defaults lack',
    (_, provider) => {
      for (const tool of provider.tools) {
        expect(tool.scopes?.length, tool.slug).toBeGreaterThan(0)
        if (!tool.annotations.readOnly)
          expect(
            tool.scopes?.some((scope) => !provider.scopes.includes(scope)),
            tool.slug,
          ).toBe(true)
      }
    },
  )

  it('leaves the presets’ default scopes as they were (read only)', () => {
    expect(Object.fromEntries(presets.map((provider) => [provider.id, provider.scopes]))).toEqual({
      google_calendar: ['openid', 'email', 'profile', 'https://www.googleapis.com/auth/calendar.readonly'],
      gmail: ['openid', 'email', 'profile', 'https://www.googleapis.com/auth/gmail.readonly'],
      google_drive: ['openid', 'email', 'profile', 'https://www.googleapis.com/auth/drive.readonly'],
      outlook: ['openid', 'profile', 'email', 'offline_access', 'User.Read', 'Mail.Read'],
      teams: ['openid', 'profile', 'email', 'offline_access', 'User.Read', 'Team.ReadBasic.All', 'Chat.Read'],
    })
  })
})
