import request from 'supertest'
import { afterEach, describe, expect, it } from 'vitest'
import type { PolicyInput } from '../../../src/agents/policies.js'
import { providers } from '../../../src/index.js'
import { teams } from '../../../src/providers/presets/microsoft.js'
import { slack } from '../../../src/providers/presets/slack.js'
import {
  bearer,
  bindPolicy,
  createAgent,
  owner,
  startTelegramFake,
  TELEGRAM_BOT,
} from '../../support/agent-policy.js'
import { startTestApp, type TestApp } from '../../support/app.js'
import { type FakeProvider, startFakeProvider } from '../../support/fake-provider.js'
import { connectThroughFake } from '../../support/preset-flow.js'

const apps: TestApp[] = []
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()))
})

const writer = { defaultMode: 'read_write', stepUpApproval: 'never' } as const

/** An agent of Ana's bound to `connectionId` with `constraints`; sends calls through the proxy. */
async function agentOn(app: TestApp, connectionId: string, constraints: PolicyInput['providerConstraints']) {
  const agent = await createAgent(app)
  await bindPolicy(app, agent, connectionId, { ...writer, providerConstraints: constraints })
  return (path: string, body: object | string, type = 'application/json') =>
    request(app.url)
      .post(`/integrations/connections/${connectionId}/proxy${path}`)
      .set(bearer(agent.key))
      .set('content-type', type)
      .send(body)
}

const hits = (fake: FakeProvider, path: string) => fake.requests.filter((r) => r.path.endsWith(path))

function expectConstraintRefusal(res: request.Response): void {
  expect(res.status).toBe(403)
  expect(res.body.error).toMatchObject({ code: 'policy_denied', details: [{ rule: 'provider_constraint' }] })
}

describe('provider constraints through the proxy, against the providers’ fakes', () => {
  it('Telegram: the allowed chat passes, another (JSON or form body) is refused and never reaches the Bot API', async () => {
    const fake = await startTelegramFake()
    const app = await startTestApp(null, { providers: [providers.telegram({ baseUrl: fake.url })] })
    apps.push(app)
    const created = await request(app.url)
      .post('/integrations/connections/telegram')
      .set(owner)
      .send({ botToken: TELEGRAM_BOT })
    expect(created.status).toBe(201)
    const send = await agentOn(app, created.body.data.connection.id, { telegram: { chatIds: [42] } })

    expect((await send('/sendMessage', { chat_id: 42, text: 'hi' })).status).toBe(200)
    expectConstraintRefusal(await send('/sendMessage', { chat_id: 43, text: 'hi' }))
    expectConstraintRefusal(
      await send('/sendMessage', 'chat_id=43&text=hi', 'application/x-www-form-urlencoded'),
    )
    expect(hits(fake, '/sendMessage').map((r) => r.form.chat_id)).toEqual(['42'])
  })

  it('Slack: the allowed channel passes, another is refused and never reaches the Web API', async () => {
    // https://docs.slack.dev/reference/methods/oauth.v2.access and chat.postMessage
    const fake = await startFakeProvider({
      token: () => ({
        ok: true,
        access_token: 'xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy-CANARY',
        token_type: 'bot',
        scope: 'chat:write',
        bot_user_id: 'U0KRQLJ9H',
        app_id: 'A0KRD7HC3',
        team: { name: 'Slack Softball Team', id: 'T9TK3CUKW' },
        authed_user: { id: 'U1234' },
      }),
      routes: {
        '/auth.test': () => ({ ok: true, team_id: 'T9TK3CUKW' }),
        '/chat.postMessage': (r) => ({ ok: true, channel: r.form.channel, ts: '1503435956.000247' }),
      },
    })
    const provider = slack({
      clientId: '3336676.569200954261',
      clientSecret: 'slack-secret-CANARY',
      endpoints: {
        authorizationUrl: fake.endpoints.authorizationUrl,
        tokenUrl: fake.endpoints.tokenUrl,
        apiBaseUrl: fake.url,
      },
    })
    const app = await startTestApp(null, { providers: [provider] })
    apps.push(app)
    const { connection } = await connectThroughFake(provider, fake, { app })
    const send = await agentOn(app, connection.id, { slack: { channels: ['C123ABC456'] } })

    expect((await send('/chat.postMessage', { channel: 'C123ABC456', text: 'hi' })).status).toBe(200)
    expectConstraintRefusal(await send('/chat.postMessage', { channel: 'C999ZZZ999', text: 'hi' }))
    expect(hits(fake, '/chat.postMessage').map((r) => r.form.channel)).toEqual(['C123ABC456'])
  })

  it('Microsoft Graph (Teams): the allowed chat passes, another is refused and never reaches Graph', async () => {
    const tenantId = '72f988bf-86f1-41af-91ab-2d7cd011db47'
    const idToken = `eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ tid: tenantId })).toString('base64url')}.sig-CANARY`
    const allowed = '19:2da4c29f6d7041eca70b638b43d45437@thread.v2'
    const other = '19:8b081ef6-4792-4def-b2c9-c363a1bf41d5_5031bb31@unq.gbl.spaces'
    // https://learn.microsoft.com/en-us/graph/api/chat-post-messages?view=graph-rest-1.0
    const fake = await startFakeProvider({
      token: () => ({
        token_type: 'Bearer',
        scope: 'ChatMessage.Send User.Read profile openid email',
        expires_in: 4493,
        access_token: 'EwBwA8l6BAAU-CANARY',
        refresh_token: 'M.C107_BAY.0.U-CANARY',
        id_token: idToken,
      }),
      userInfo: () => ({ id: '87d349ed-44d7-43e1-9a83-5f2406dee5bd', mail: 'AdeleV@contoso.com' }),
      routes: {
        [`/chats/${allowed}/messages`]: () => ({ id: '1616990032035', messageType: 'message' }),
        [`/chats/${other}/messages`]: () => ({ id: '1616990032036', messageType: 'message' }),
      },
    })
    const { revocationUrl: _none, ...endpoints } = fake.endpoints
    const provider = teams({
      clientId: '6731de76-14a6-49ae-97bc-6eba6914391e',
      clientSecret: 'ms-secret-CANARY',
      endpoints: { ...endpoints, apiBaseUrl: fake.url },
    })
    const app = await startTestApp(null, { providers: [provider] })
    apps.push(app)
    const { connection } = await connectThroughFake(provider, fake, { app })
    const send = await agentOn(app, connection.id, { teams: { chatIds: [allowed] } })
    const message = { body: { content: 'Hello world' } }

    expect((await send(`/chats/${allowed}/messages`, message)).status).toBe(200)
    expectConstraintRefusal(await send(`/chats/${other}/messages`, message))
    expect(hits(fake, '/messages').map((r) => r.path)).toEqual([`/chats/${allowed}/messages`])
  })
})
