/**
 * The secret canary bites: a secret planted on purpose in each channel it watches is seen (the hits
 * are taken here, so that this file passes), and a clean connect → token → proxy → revoke is not.
 */
import type { AddressInfo } from 'node:net'
import express from 'express'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { providers } from '../../src/index.js'
import { github } from '../../src/providers/presets/github.js'
import { localProvider, startTestApp, type TestApp } from '../support/app.js'
import { storedSecrets } from '../support/as-client.js'
import {
  type CanaryHit,
  detect,
  formatHits,
  MARKER,
  marked,
  redact,
  registerSecret,
  scan,
  scannedApi,
  scannedLogger,
  scannedOnEvent,
  scanStore,
  takeHits,
} from '../support/canary.js'
import { startFakeProvider } from '../support/fake-provider.js'
import { connect } from '../support/flows.js'
import { startEchoApi } from '../support/http-fakes.js'
import { connectThroughFake } from '../support/preset-flow.js'
import { useOAuthSuite } from '../support/suite.js'

const suite = useOAuthSuite()
const SECRET = 'tok_live_9f8e7d6c-CANARY-5b4a3'

let echo: Awaited<ReturnType<typeof startEchoApi>>
beforeAll(async () => {
  echo = await startEchoApi()
})
afterAll(async () => {
  await echo.close()
})

/** Asserts that no hit shows the secret, and returns them. */
function taken(): CanaryHit[] {
  const hits = takeHits()
  const report = formatHits(hits)
  expect(report).not.toContain(SECRET)
  expect(report).not.toContain(MARKER)
  return hits
}

/** A host app with an API-key provider: the simplest connection to make over HTTP. */
function keyApp(options: Parameters<typeof startTestApp>[1] = {}): Promise<TestApp> {
  return startTestApp(null, {
    authorize: () => true,
    providers: [providers.apiKey({ id: 'vendor', validate: async () => ({ accountId: 'acct-1' }) })],
    ...options,
  })
}

describe('the detector', () => {
  it('finds the marker with the token around it, and redacts it in reports', () => {
    const text = `{"data":{"accessToken":"${SECRET}","tokenType":"Bearer"}}`
    const [finding, ...rest] = detect(text)
    expect(rest).toEqual([])
    expect(text.slice(finding?.index, (finding?.index ?? 0) + (finding?.length ?? 0))).toBe(SECRET)
    expect(redact(text)).toBe('{"data":{"accessToken":"«secret»","tokenType":"Bearer"}}')
    const [hit] = scan('response', 'GET /somewhere', text)
    expect(hit).toMatchObject({ excerpt: '…ken":"«secret»","tok…', secret: 'marker' })
    expect(taken()).toHaveLength(1)
    // The marker is upper case: a lower-case "canary" in prose is not one.
    expect(detect('ordinary text about a canary')).toEqual([])
    expect(detect(`a bare ${MARKER} is one`)).toHaveLength(1)
    expect(detect('nothing here')).toEqual([])
  })

  it('finds a registered exact value (an issued opaque token), but not values too short to be sure of', () => {
    registerSecret('Zx0paqueT0kenWithoutAnyMark', 'opaque test token')
    registerSecret('b', 'too short')
    expect(detect('Bearer Zx0paqueT0kenWithoutAnyMark, b')).toMatchObject([{ secret: 'opaque test token' }])
    expect(marked('abc')).toBe(`abc-${MARKER}`)
    expect(marked(SECRET)).toBe(SECRET)
  })
})

describe('the channels', () => {
  it('a response of a test app: body and headers', async () => {
    const app = await keyApp()
    try {
      const created = await request(app.url)
        .post('/integrations/connections')
        .set('x-user', 'ana')
        .send({ provider: 'vendor', credentials: { apiKey: 'k-12345678' }, label: SECRET })
      expect(created.status).toBe(201)
      const hits = taken()
      expect(hits).toContainEqual(
        expect.objectContaining({
          channel: 'response',
          where: 'POST /integrations/connections → 201 (body)',
        }),
      )
      // The same label also went out in the event, the store gets it at close: taken below.
    } finally {
      await app.close()
      taken()
    }
  })

  it('a response of any Express app, also one that mounts a router without startTestApp', async () => {
    const app = express()
    const router = express.Router()
    router.get('/connections/:id/token', (_req, res) => {
      res.json({ data: { accessToken: SECRET } })
    })
    router.use('/connections/:id/proxy', (req, res) => {
      if (req.path === '/refused') {
        res.status(403).json({ error: { message: `no, ${SECRET}` } })
        return
      }
      res.setHeader('content-type', 'application/json')
      res.write(`{"echo":"Bearer ${SECRET}"`)
      res.end('}')
    })
    router.get('/leak', (_req, res) => {
      res.set('x-debug', SECRET).send('ok')
    })
    app.use('/integrations', router)
    const server = app.listen(0, '127.0.0.1')
    await new Promise((resolve) => server.once('listening', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/integrations`
    try {
      // Vending and the relayed proxy body carry the token by design: not scanned.
      expect((await fetch(`${url}/connections/c1/token`)).status).toBe(200)
      expect(await (await fetch(`${url}/connections/c1/proxy/me`)).text()).toContain(SECRET)
      expect(taken()).toEqual([])
      // The router's own answer on a proxy URL, and any other response, are.
      expect((await fetch(`${url}/connections/c1/proxy/refused`)).status).toBe(403)
      expect((await fetch(`${url}/leak`)).status).toBe(200)
      expect(taken()).toEqual([
        expect.objectContaining({
          channel: 'response',
          where: 'GET /integrations/connections/c1/proxy/refused → 403 (body)',
        }),
        expect.objectContaining({ channel: 'response', where: 'GET /integrations/leak (headers)' }),
      ])
    } finally {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('a log line of a test app', async () => {
    const leaky = new Error('hook failed')
    leaky.name = `Leak${SECRET}`
    const app = await keyApp({
      onEvent: () => {
        throw leaky
      },
    })
    try {
      await request(app.url)
        .post('/integrations/connections')
        .set('x-user', 'ana')
        .send({ provider: 'vendor', credentials: { apiKey: 'k-12345678' } })
      await vi.waitFor(() => expect(app.logs).toHaveLength(1))
      expect(app.logs[0]).toContain('onEvent failed')
      expect(taken()).toMatchObject([{ channel: 'log', where: 'logger.warn' }])
    } finally {
      await app.close()
    }
  })

  it('a log line, through the logger wrapper, with an Error in its meta', () => {
    const lines: string[] = []
    const logger = scannedLogger({
      warn: (message: string) => lines.push(message),
      error: (message: string) => lines.push(message),
    })
    logger.error('express-connections: provider_error', { cause: new Error(`upstream said ${SECRET}`) })
    expect(lines).toEqual(['express-connections: provider_error'])
    expect(taken()).toMatchObject([{ channel: 'log', where: 'logger.error' }])
  })

  it('a console line (what a router built without a logger prints)', () => {
    console.warn('express-connections: planted', { token: SECRET })
    expect(taken()).toMatchObject([{ channel: 'log', where: 'console.warn' }])
  })

  it('an event of a test app', async () => {
    const app = await keyApp()
    try {
      await request(app.url)
        .post('/integrations/connections')
        .set('x-user', 'ana')
        .send({ provider: 'vendor', credentials: { apiKey: 'k-12345678' }, label: SECRET })
      await vi.waitFor(() => expect(app.events).toHaveLength(1))
      expect(taken()).toContainEqual(
        expect.objectContaining({ channel: 'event', where: 'event connection.created' }),
      )
    } finally {
      await app.close()
      taken()
    }
    const seen: string[] = []
    scannedOnEvent((event: { type: string }) => seen.push(event.type))({ type: 'x', token: SECRET } as never)
    expect(seen).toEqual(['x'])
    expect(taken()).toMatchObject([{ channel: 'event', where: 'event x' }])
  })

  it('an error of router.connections, its message and its cause chain', async () => {
    const app = await keyApp()
    try {
      await expect(app.router.connections.getAccessToken('ana', SECRET)).rejects.toMatchObject({
        code: 'not_found',
      })
      expect(taken()).toMatchObject([{ channel: 'error', where: 'router.connections.getAccessToken' }])
    } finally {
      await app.close()
    }
    const api = scannedApi({
      nested: {
        call: async () => {
          throw new Error('the provider could not be reached', { cause: new Error(`body: ${SECRET}`) })
        },
      },
      sync: () => {
        throw new TypeError(`bad ${SECRET}`)
      },
    })
    await expect(api.nested.call()).rejects.toThrow('the provider could not be reached')
    expect(() => api.sync()).toThrow(TypeError)
    expect(taken()).toMatchObject([
      { channel: 'error', where: 'router.connections.nested.call' },
      { channel: 'error', where: 'router.connections.sync' },
    ])
  })

  it('the raw store: a plaintext marked secret, and an issued token in plaintext', async () => {
    const app = await startTestApp(suite.oauth, { authorize: () => true })
    const id = await connect(app, 'ana')
    const accessToken = storedSecrets(app.raw, id)?.accessToken ?? ''
    expect(accessToken).not.toContain(MARKER)
    app.raw.set('keyv:planted', JSON.stringify({ value: { apiKey: SECRET }, expires: null }))
    app.raw.set('keyv:planted-token', JSON.stringify({ value: `cached ${accessToken}`, expires: null }))
    await app.close()
    const hits = takeHits()
    expect(hits).toMatchObject([
      { channel: 'store', where: 'raw store key keyv:planted', secret: 'marker' },
      { channel: 'store', where: 'raw store key keyv:planted-token', secret: 'oidc-provider access_token' },
    ])
    expect(formatHits(hits)).not.toContain(accessToken)
    // Reported once per store entry, however often it is scanned.
    expect(scanStore(app.raw)).toEqual([])
  })
})

describe('secrets the tests submit', () => {
  it('are looked for by value, marked or not: credentials over HTTP, a client secret to the api', async () => {
    const app = await keyApp()
    try {
      const created = await request(app.url)
        .post('/integrations/connections')
        .set('x-user', 'ana')
        .send({ provider: 'vendor', credentials: { apiKey: 'unmarked-api-key-123' } })
      expect(created.status).toBe(201)
      await expect(
        app.router.connections.customProviders.register('ana', {
          slug: 'acme',
          name: 'Acme',
          authorizationUrl: 'not a url',
          tokenUrl: 'not a url',
          clientId: 'id',
          clientSecret: 'unmarked-custom-secret',
        }),
      ).rejects.toMatchObject({ code: 'invalid_request' })
    } finally {
      await app.close()
    }
    expect(taken()).toEqual([])
    const known = detect('unmarked-api-key-123 unmarked-custom-secret').map((f) => f.secret)
    expect(known.sort()).toEqual(['submitted clientSecret', 'submitted credentials.apiKey'])
  })
})

describe('agent keys', () => {
  it('are shown once unscanned, then looked for by value: a leak of one (a log line) is seen', async () => {
    const app = await keyApp()
    let key = ''
    try {
      const created = await request(app.url)
        .post('/integrations/agents')
        .set('x-user', 'ana')
        .send({ name: 'bot' })
      expect(created.status).toBe(201)
      key = created.body.data.key
      const rotated = await request(app.url)
        .post(`/integrations/agents/${created.body.data.agent.id}/rotate-key`)
        .set('x-user', 'ana')
      expect(rotated.status).toBe(200)
      expect(takeHits()).toEqual([])
      expect(detect(`${key} ${rotated.body.data.key}`).map((f) => f.secret)).toEqual([
        'agent key',
        'agent key',
      ])
      scannedLogger({ warn: () => undefined, error: () => undefined }).warn('oops', { key })
    } finally {
      await app.close()
    }
    const hits = takeHits()
    expect(hits).toHaveLength(1)
    expect(hits[0]).toMatchObject({ channel: 'log', secret: 'agent key' })
    expect(formatHits(hits)).not.toContain(key)
  })
})

describe('the preset runs', () => {
  it('watch the app of a run through a fake provider, and the tokens the fake hands out', async () => {
    const fake = await startFakeProvider({
      token: () => ({ access_token: 'unmarked-fake-access-token', token_type: 'bearer' }),
      userInfo: () => ({ login: 'octocat', id: 1, email: `octo+${MARKER}@example.com` }),
    })
    const provider = github({
      clientId: 'gh-id',
      clientSecret: 'unmarked-client-secret',
      endpoints: { ...fake.endpoints, apiBaseUrl: fake.url },
    })
    const run = await connectThroughFake(provider, fake)
    await vi.waitFor(() => expect(run.app.events).toHaveLength(1))
    await run.close()
    const hits = taken()
    for (const channel of ['response', 'event', 'store']) {
      expect(hits.map((hit) => hit.channel)).toContain(channel)
    }
    // Unmarked, but known by value: the fake's token and the app's client secret.
    const known = detect('unmarked-fake-access-token unmarked-client-secret').map((f) => f.secret)
    expect(known.sort()).toEqual(['fake provider access_token', 'github client secret'])
  })
})

describe('a clean run', () => {
  it('connect → token (handed out, not scanned) → proxy (relayed, not scanned) → revoke: no hit', async () => {
    const app = await suite.appWith({
      authorize: () => true,
      providers: [localProvider(suite.oauth, { apiBaseUrl: echo.url })],
    })
    const id = await connect(app, 'ana')
    const issued = suite.oauth.lastTokens()?.access_token ?? ''
    expect(issued.length).toBeGreaterThan(20)

    const token = await request(app.url).get(`/integrations/connections/${id}/token`).set('x-user', 'ana')
    expect(token.status).toBe(200)
    expect(token.text).toContain(issued)
    const proxied = await request(app.url)
      .get(`/integrations/connections/${id}/proxy/me`)
      .set('x-user', 'ana')
    expect(proxied.status).toBe(200)
    expect(proxied.text).toContain(`Bearer ${issued}`)
    expect((await app.router.connections.getAccessToken('ana', id)).accessToken).toBe(issued)
    const revoked = await request(app.url).post(`/integrations/connections/${id}/revoke`).set('x-user', 'ana')
    expect(revoked.status).toBe(200)
    await app.close()

    expect(detect(token.text)).not.toEqual([])
    expect(takeHits()).toEqual([])
  })
})
