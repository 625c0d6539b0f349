import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import request from 'supertest'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { providers } from '../../src/index.js'
import { dump, startTestApp, type TestApp } from '../support/app.js'
import { storedSecrets } from '../support/as-client.js'

// Bot API: https://core.telegram.org/bots/api#getme ; Twilio: https://www.twilio.com/docs/iam/api/account#fetch-an-account-resource
const GOOD_BOT = '123456789:AAE-CANARY-bot-token-0123456789abcdefghij'
const OTHER_BOT = '987654321:AAF-CANARY-bot-token-9876543210zyxwvutsrq'
const BAD_BOT = '111111111:AAA-CANARY-not-a-real-bot-token-000000000'
const SID = `AC${'a'.repeat(32)}`
const AUTH_TOKEN = 'CANARYTwilioAuthToken0123456789a'

let fakeUrl: string
const calls: Array<{ url: string; authorization: string | undefined }> = []
let server: ReturnType<typeof createServer>

beforeAll(async () => {
  server = createServer((req, res) => {
    calls.push({ url: req.url ?? '', authorization: req.headers.authorization })
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    const bot = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? '')
    if (bot) {
      const username = bot[1] === GOOD_BOT ? 'ana_helper_bot' : bot[1] === OTHER_BOT ? 'ana_second_bot' : null
      if (!username) return json(401, { ok: false, error_code: 401, description: 'Unauthorized' })
      const id = Number(bot[1]?.split(':')[0])
      if (bot[2] === 'getMe')
        return json(200, { ok: true, result: { id, is_bot: true, first_name: 'Helper', username } })
      return json(200, { ok: true, result: { method: bot[2] } })
    }
    if (req.url === `/2010-04-01/Accounts/${SID}.json`) {
      const expected = `Basic ${Buffer.from(`${SID}:${AUTH_TOKEN}`).toString('base64')}`
      if (req.headers.authorization !== expected)
        return json(401, { code: 20003, message: 'Authenticate', status: 401 })
      return json(200, { sid: SID, friendly_name: 'Ana Main', status: 'active', type: 'Full' })
    }
    if (req.url === '/keys/whoami') {
      if (req.headers['x-api-key'] !== 'sk_CANARY_good_key') return json(401, { error: 'bad key' })
      return json(200, { id: 'acct_7', email: 'ana@vendor.example' })
    }
    json(404, {})
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  fakeUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

const apps: TestApp[] = []
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()))
})

async function appWithCredentials(): Promise<TestApp> {
  const app = await startTestApp(null, {
    authorize: () => true,
    providers: [
      providers.telegram({ baseUrl: fakeUrl }),
      providers.twilio({ baseUrl: fakeUrl }),
      providers.oauth2({
        id: 'acme',
        authorizationUrl: 'https://acme.example/authorize',
        tokenUrl: 'https://acme.example/token',
        clientId: 'id',
        clientSecret: 'secret-CANARY',
      }),
      providers.apiKey({
        id: 'vendor',
        name: 'Vendor',
        apiBaseUrl: `${fakeUrl}/keys`,
        header: 'x-api-key',
        validate: async (key) => {
          const response = await fetch(`${fakeUrl}/keys/whoami`, { headers: { 'x-api-key': key } })
          if (response.status === 401) return false
          const me = (await response.json()) as { id: string; email: string }
          return { accountId: me.id, accountEmail: me.email }
        },
      }),
    ],
  })
  apps.push(app)
  return app
}

const post = (app: TestApp, body: unknown) =>
  request(app.url)
    .post('/integrations/connections')
    .set('x-user', 'ana')
    .send(body as object)

describe('POST /connections/telegram (the shape agents send)', () => {
  const postBot = (app: TestApp, body: object) =>
    request(app.url).post('/integrations/connections/telegram').set('x-user', 'ana').send(body)

  it('answers 201 with the connection, the bot and a message; the label defaults to "Telegram @username"', async () => {
    const app = await appWithCredentials()
    const response = await postBot(app, { botToken: GOOD_BOT })
    expect(response.status).toBe(201)
    expect(response.body.data).toEqual({
      connection: expect.objectContaining({
        provider: 'telegram',
        label: 'Telegram @ana_helper_bot',
        accountId: '123456789',
        status: 'active',
      }),
      botInfo: { id: 123456789, username: 'ana_helper_bot', firstName: 'Helper' },
      message: 'Telegram bot @ana_helper_bot connected as "Telegram @ana_helper_bot".',
    })
    expect(response.text).not.toContain(GOOD_BOT)
    expect(storedSecrets(app.raw, response.body.data.connection.id)?.accessToken).toBe(GOOD_BOT)
  })

  it('keeps a label given, and refuses a token Telegram refuses (422) or a body of another shape (400)', async () => {
    const app = await appWithCredentials()
    const labelled = await postBot(app, { botToken: GOOD_BOT, label: 'Support bot' })
    expect(labelled.body.data.connection.label).toBe('Support bot')
    const refused = await postBot(app, { botToken: BAD_BOT })
    expect(refused.status).toBe(422)
    expect(refused.body.error.code).toBe('invalid_credentials')
    const wrong = await postBot(app, { token: GOOD_BOT })
    expect(wrong.status).toBe(400)
    expect(wrong.text).not.toContain(GOOD_BOT)
  })
})

describe('a singleton provider id in place of the connection id', () => {
  it("vends the token and proxies for the owner's one connection of a singleton provider", async () => {
    const app = await appWithCredentials()
    await post(app, { provider: 'telegram', credentials: { botToken: GOOD_BOT } })
    const token = await request(app.url).get('/integrations/connections/telegram/token').set('x-user', 'ana')
    expect(token.status).toBe(200)
    expect(token.body.data).toMatchObject({ accessToken: GOOD_BOT, tokenType: 'Bot' })

    const sent = await request(app.url)
      .post('/integrations/connections/telegram/proxy/sendMessage')
      .set('x-user', 'ana')
      .send({ chat_id: 1, text: 'hi' })
    expect(sent.status).toBe(200)
    expect(calls.at(-1)?.url).toBe(`/bot${GOOD_BOT}/sendMessage`)

    // Another owner has no connection of it: 404, as for another owner's connection id.
    const other = await request(app.url).get('/integrations/connections/telegram/token').set('x-user', 'bob')
    expect(other.status).toBe(404)
  })

  it('refuses a provider that allows several connections with 404 and says to use the connection id', async () => {
    const app = await appWithCredentials()
    const created = await post(app, { provider: 'vendor', credentials: { apiKey: 'sk_CANARY_good_key' } })
    expect(created.status).toBe(201)
    for (const path of ['token', 'proxy/whoami']) {
      const response = await request(app.url)
        .get(`/integrations/connections/vendor/${path}`)
        .set('x-user', 'ana')
      expect(response.status).toBe(404)
      expect(response.body.error.message).toContain('GET /connections?provider=vendor')
    }
    // Neither a connection id nor a provider: the usual 400.
    const unknown = await request(app.url).get('/integrations/connections/nope/token').set('x-user', 'ana')
    expect(unknown.status).toBe(400)
  })
})

describe('POST /connections (credentials providers)', () => {
  it('connects a Telegram bot checked with getMe, labelled "Telegram @username"', async () => {
    const app = await appWithCredentials()
    const response = await post(app, { provider: 'telegram', credentials: { botToken: GOOD_BOT } })
    expect(response.status).toBe(201)
    expect(response.body.data).toMatchObject({
      provider: 'telegram',
      label: 'Telegram @ana_helper_bot',
      accountId: '123456789',
      status: 'active',
      singleton: true,
      expiresAt: null,
    })
    expect(response.text).not.toContain(GOOD_BOT)
    expect(dump(app.raw)).not.toContain(GOOD_BOT)
    expect(storedSecrets(app.raw, response.body.data.id)).toMatchObject({
      accessToken: GOOD_BOT,
      tokenType: 'Bot',
    })

    // The proxy puts the token in the Bot API path; the caller never sees it.
    const sent = await request(app.url)
      .post(`/integrations/connections/${response.body.data.id}/proxy/sendMessage`)
      .set('x-user', 'ana')
      .send({ chat_id: 1, text: 'hi' })
    expect(sent.status).toBe(200)
    expect(calls.at(-1)?.url).toBe(`/bot${GOOD_BOT}/sendMessage`)
    expect(sent.text).not.toContain(GOOD_BOT)
  })

  it('replaces the bot of a singleton provider instead of adding a second connection', async () => {
    const app = await appWithCredentials()
    const first = await post(app, { provider: 'telegram', credentials: { botToken: GOOD_BOT } })
    const second = await post(app, {
      provider: 'telegram',
      credentials: { botToken: OTHER_BOT },
      label: 'Second',
    })
    expect(second.status).toBe(201)
    expect(second.body.data.id).toBe(first.body.data.id)
    expect(second.body.data).toMatchObject({ label: 'Second', accountId: '987654321' })
    expect(await app.router.connections.list('ana')).toHaveLength(1)
    expect(storedSecrets(app.raw, first.body.data.id)?.accessToken).toBe(OTHER_BOT)
    expect(app.events.map((e) => e.type)).toEqual(['connection.created', 'connection.reauthorized'])
  })

  it('connects Twilio with Account SID and Auth Token, calling the API with HTTP Basic', async () => {
    const app = await appWithCredentials()
    const response = await post(app, {
      provider: 'twilio',
      credentials: { accountSid: SID, authToken: AUTH_TOKEN },
    })
    expect(response.status).toBe(201)
    expect(response.body.data).toMatchObject({ accountId: SID, label: 'Ana Main' })
    const token = await app.router.connections.getAccessToken('ana', 'twilio')
    expect(token.tokenType).toBe('Basic')
    await app.router.connections.fetch('ana', 'twilio', `/2010-04-01/Accounts/${SID}.json`)
    expect(calls.at(-1)?.authorization).toBe(
      `Basic ${Buffer.from(`${SID}:${AUTH_TOKEN}`).toString('base64')}`,
    )
  })

  it('connects a generic API key validated by the host, sent in its header', async () => {
    const app = await appWithCredentials()
    const response = await post(app, { provider: 'vendor', credentials: { apiKey: 'sk_CANARY_good_key' } })
    expect(response.status).toBe(201)
    expect(response.body.data).toMatchObject({ accountId: 'acct_7', accountEmail: 'ana@vendor.example' })
    const called = await app.router.connections.fetch('ana', 'vendor', '/whoami')
    expect(called.status).toBe(200)
  })

  it.each([
    ['a Telegram token the Bot API refuses', { provider: 'telegram', credentials: { botToken: BAD_BOT } }],
    [
      'a wrong Twilio auth token',
      { provider: 'twilio', credentials: { accountSid: SID, authToken: 'x'.repeat(32) } },
    ],
    [
      'an API key the validator refuses',
      { provider: 'vendor', credentials: { apiKey: 'sk_wrong_key_123-CANARY' } },
    ],
  ])('answers 422 invalid_credentials for %s, storing nothing', async (_name, body) => {
    const app = await appWithCredentials()
    const before = dump(app.raw)
    const response = await post(app, body)
    expect(response.status).toBe(422)
    expect(response.body.error.code).toBe('invalid_credentials')
    expect(response.text).not.toContain('x'.repeat(32))
    expect(dump(app.raw)).toBe(before)
  })

  it.each([
    ['a malformed bot token', { provider: 'telegram', credentials: { botToken: 'nope' } }, /botToken/],
    ['a missing field', { provider: 'twilio', credentials: { accountSid: SID } }, /authToken is required/],
    [
      'an unknown field',
      { provider: 'vendor', credentials: { apiKey: 'sk_CANARY_good_key', extra: 'x' } },
      /extra/,
    ],
    ['an OAuth provider', { provider: 'acme', credentials: {} }, /connected through OAuth/],
    ['an unknown provider', { provider: 'vendor2', credentials: {} }, /not found/i],
    ['no credentials object', { provider: 'telegram' }, /credentials/],
  ])('answers 4xx for %s without calling the provider', async (_name, body, message) => {
    const app = await appWithCredentials()
    const before = calls.length
    const response = await post(app, body)
    expect([400, 404]).toContain(response.status)
    expect(response.body.error.message).toMatch(message)
    expect(response.text).not.toContain('nope"')
    expect(calls.length).toBe(before)
  })

  it('refuses re-authorization of a credentials connection: connect again instead', async () => {
    const app = await appWithCredentials()
    const created = await post(app, { provider: 'telegram', credentials: { botToken: GOOD_BOT } })
    const reauth = await request(app.url)
      .post(`/integrations/connections/${created.body.data.id}/reauth`)
      .set('x-user', 'ana')
      .send({})
    expect(reauth.status).toBe(400)
  })
})
