import { describe, expect, it } from 'vitest'
import { connectionFacts } from '../../src/agents/connection-facts.js'
import { isRead } from '../../src/policy/mode.js'
import type { AgentCall, ConnectionFacts } from '../../src/policy/model.js'
import { providers } from '../../src/providers/index.js'
import type { Provider } from '../../src/providers/types.js'

const app = { clientId: 'id', clientSecret: 'secret' }

function facts(provider: Provider, grantedScopes = provider.scopes, metadata = {}): ConnectionFacts {
  return connectionFacts(provider, { provider: provider.id, grantedScopes, metadata })
}

function http(connection: ConnectionFacts, method: string, path: string): AgentCall {
  return { model: 'B', kind: 'http', request: { method, path }, connection }
}

const token = (connection: ConnectionFacts): AgentCall => ({ model: 'A', connection })

describe('the facts presets give agent policies', () => {
  it('Slack: only its declared read methods read, whatever the HTTP method (GET runs writes too)', () => {
    const slack = facts(providers.slack(app))
    expect(slack.family).toBe('slack')
    expect(isRead(http(slack, 'POST', '/conversations.history'))).toBe(true)
    expect(isRead(http(slack, 'GET', '/users.info'))).toBe(true)
    expect(isRead(http(slack, 'GET', '/chat.postMessage'))).toBe(false)
    expect(isRead(http(slack, 'GET', '/conversations.archive'))).toBe(false)
    expect(isRead(token(facts(providers.slack(app), ['channels:read', 'channels:history'])))).toBe(true)
    expect(isRead(token(slack))).toBe(false) // the default scopes include chat:write
  })

  it('Telegram: only get* methods read, and sendMessage by GET is a write', () => {
    const telegram = facts(providers.telegram(), [])
    expect(telegram.family).toBe('telegram')
    expect(isRead(http(telegram, 'GET', '/getChat'))).toBe(true)
    expect(isRead(http(telegram, 'GET', '/sendMessage'))).toBe(false)
    expect(isRead(http(telegram, 'GET', '/getUpdates'))).toBe(false)
    expect(isRead(token(telegram))).toBe(false)
  })

  it('Microsoft Graph presets are the teams family, carry the tenant, and read with GET and search', () => {
    for (const preset of [providers.teams(app), providers.outlook(app), providers.microsoft(app)]) {
      const graph = facts(preset, preset.scopes, { tenantId: 'tenant-1' })
      expect(graph).toMatchObject({ family: 'teams', tenantId: 'tenant-1', readsOnlyDeclared: false })
      expect(isRead(token(graph))).toBe(true) // every default scope only reads
      expect(isRead(http(graph, 'POST', '/search/query'))).toBe(true)
      expect(isRead(http(graph, 'POST', '/teams/t1/channels/c1/messages'))).toBe(false)
      expect(isRead(token(facts(preset, [...preset.scopes, 'ChannelMessage.Send'])))).toBe(false)
    }
  })

  it('GitHub and the Google family declare their read-only scopes, and no constraint family', () => {
    const github = providers.github(app)
    expect(github.family).toBeNull()
    expect(isRead(token(facts(github)))).toBe(true)
    expect(isRead(token(facts(github, ['read:user', 'repo'])))).toBe(false)
    for (const preset of [providers.gmail(app), providers.googleDrive(app), providers.googleCalendar(app)]) {
      expect(preset.family).toBeNull()
      expect(isRead(token(facts(preset)))).toBe(true)
      expect(
        isRead(token(facts(preset, [...preset.scopes, 'https://www.googleapis.com/auth/gmail.send']))),
      ).toBe(false)
    }
  })

  it('any other provider states nothing: no family, no read-only scope, GET and HEAD read', () => {
    const notion = facts(providers.notion(app))
    expect(notion).toMatchObject({ family: null, readOnlyScopes: [], reads: [], readsOnlyDeclared: false })
  })
})
