import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dump, startTestApp, type TestApp } from '../support/app.js'
import { connect } from '../support/flows.js'
import { type OAuthServer, startOAuthServer } from '../support/oauth-server.js'

let oauth: OAuthServer
let app: TestApp
let id: string

beforeAll(async () => {
  oauth = await startOAuthServer()
  app = await startTestApp(oauth)
  id = await connect(app, 'ana')
})
afterAll(async () => {
  await app.close()
  await oauth.close()
})

interface Case {
  name: string
  send: (agent: ReturnType<typeof request>) => request.Test
  status: number
  code: string
  /** A word the message must contain, so that it tells the caller what is wrong. */
  says?: RegExp
}

const big = 'x'.repeat(20 * 1024)
const json = { 'content-type': 'application/json', 'x-user': 'ana' }

const cases: Case[] = [
  {
    name: 'list: unknown status',
    send: (a) => a.get('/integrations/connections?status=broken').set('x-user', 'ana'),
    status: 400,
    code: 'invalid_request',
    says: /status/,
  },
  {
    name: 'list: malformed provider',
    send: (a) => a.get('/integrations/connections?provider=NOT%20A%20SLUG').set('x-user', 'ana'),
    status: 400,
    code: 'invalid_request',
    says: /provider/,
  },
  {
    name: 'list: no owner, bad filter (401 before validation)',
    send: (a) => a.get('/integrations/connections?status=broken'),
    status: 401,
    code: 'unauthenticated',
  },
  {
    name: 'callback: state but no code',
    send: (a) => a.get('/integrations/callback/local?state=abc'),
    status: 400,
    code: 'invalid_request',
    says: /code/,
  },
  {
    name: 'list: no owner',
    send: (a) => a.get('/integrations/connections'),
    status: 401,
    code: 'unauthenticated',
  },
  {
    name: 'get: id is not a UUID',
    send: (a) => a.get('/integrations/connections/123').set('x-user', 'ana'),
    status: 400,
    code: 'invalid_request',
    says: /id/,
  },
  {
    name: 'get: unknown id',
    send: (a) => a.get('/integrations/connections/00000000-0000-4000-8000-000000000000').set('x-user', 'ana'),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'get: no owner',
    send: (a) => a.get(`/integrations/connections/${id}`),
    status: 401,
    code: 'unauthenticated',
  },
  {
    name: 'connect: unknown provider',
    send: (a) => a.get('/integrations/connect/nope').set('x-user', 'ana'),
    status: 404,
    code: 'not_found',
    says: /nope/,
  },
  {
    name: 'connect: malformed provider',
    send: (a) => a.get('/integrations/connect/UP..PER').set('x-user', 'ana'),
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'connect: label too long',
    send: (a) => a.get(`/integrations/connect/local?label=${'l'.repeat(101)}`).set('x-user', 'ana'),
    status: 400,
    code: 'invalid_request',
    says: /label/,
  },
  {
    name: 'connect: return_url repeated',
    send: (a) => a.get('/integrations/connect/local?return_url=/a&return_url=/b').set('x-user', 'ana'),
    status: 400,
    code: 'invalid_request',
    says: /return_url/,
  },
  {
    name: 'connect: no owner',
    send: (a) => a.get('/integrations/connect/local'),
    status: 401,
    code: 'unauthenticated',
  },
  {
    name: 'start: missing provider',
    send: (a) => a.post('/integrations/connections/start').set(json).send({}),
    status: 400,
    code: 'invalid_request',
    says: /provider/,
  },
  {
    name: 'start: provider is a number',
    send: (a) => a.post('/integrations/connections/start').set(json).send({ provider: 7 }),
    status: 400,
    code: 'invalid_request',
    says: /provider/,
  },
  {
    name: 'start: scopes is a string',
    send: (a) =>
      a.post('/integrations/connections/start').set(json).send({ provider: 'local', scopes: 'email' }),
    status: 400,
    code: 'invalid_request',
    says: /scopes/,
  },
  {
    name: 'start: unknown field',
    send: (a) => a.post('/integrations/connections/start').set(json).send({ provider: 'local', evil: true }),
    status: 400,
    code: 'invalid_request',
    says: /evil/,
  },
  {
    name: 'start: metadata over 4 KiB',
    send: (a) =>
      a
        .post('/integrations/connections/start')
        .set(json)
        .send({ provider: 'local', metadata: { note: 'm'.repeat(5000) } }),
    status: 400,
    code: 'invalid_request',
    says: /metadata/,
  },
  {
    name: 'start: broken JSON',
    send: (a) => a.post('/integrations/connections/start').set(json).send('{"provider": "local"'),
    status: 400,
    code: 'invalid_request',
    says: /JSON/,
  },
  {
    name: 'start: not JSON at all',
    send: (a) =>
      a
        .post('/integrations/connections/start')
        .set('x-user', 'ana')
        .set('content-type', 'text/plain')
        .send('provider=local'),
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'start: oversized body',
    send: (a) => a.post('/integrations/connections/start').set(json).send({ provider: 'local', label: big }),
    status: 413,
    code: 'payload_too_large',
  },
  {
    name: 'start: unknown provider',
    send: (a) => a.post('/integrations/connections/start').set(json).send({ provider: 'nope' }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'start: no owner',
    send: (a) =>
      a
        .post('/integrations/connections/start')
        .set('content-type', 'application/json')
        .send({ provider: 'local' }),
    status: 401,
    code: 'unauthenticated',
  },
  {
    name: 'label: missing',
    send: (a) => a.put(`/integrations/connections/${id}/label`).set(json).send({}),
    status: 400,
    code: 'invalid_request',
    says: /label/,
  },
  {
    name: 'label: blank',
    send: (a) => a.put(`/integrations/connections/${id}/label`).set(json).send({ label: '   ' }),
    status: 400,
    code: 'invalid_request',
    says: /label/,
  },
  {
    name: 'label: a number',
    send: (a) => a.put(`/integrations/connections/${id}/label`).set(json).send({ label: 5 }),
    status: 400,
    code: 'invalid_request',
    says: /label/,
  },
  {
    name: 'label: broken JSON',
    send: (a) => a.put(`/integrations/connections/${id}/label`).set(json).send('{"label":'),
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'label: oversized body',
    send: (a) => a.put(`/integrations/connections/${id}/label`).set(json).send({ label: big }),
    status: 413,
    code: 'payload_too_large',
  },
  {
    name: 'label: bad id',
    send: (a) => a.put('/integrations/connections/x/label').set(json).send({ label: 'ok' }),
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'label: no owner',
    send: (a) =>
      a
        .put(`/integrations/connections/${id}/label`)
        .set('content-type', 'application/json')
        .send({ label: 'ok' }),
    status: 401,
    code: 'unauthenticated',
  },
  {
    name: 'callback: no state',
    send: (a) => a.get('/integrations/callback/local?code=abc'),
    status: 400,
    code: 'invalid_request',
    says: /state/,
  },
  {
    name: 'callback: unknown provider',
    send: (a) => a.get('/integrations/callback/nope?code=abc&state=x'),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'callback: unknown state',
    send: (a) => a.get('/integrations/callback/local?code=abc&state=made-up'),
    status: 400,
    code: 'invalid_request',
    says: /state/,
  },
  {
    name: 'callback: code repeated',
    send: (a) => a.get('/integrations/callback/local?code=a&code=b&state=s'),
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'token: bad id',
    send: (a) => a.get('/integrations/connections/x/token').set('x-user', 'ana'),
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'token: unknown id',
    send: (a) =>
      a.get('/integrations/connections/00000000-0000-4000-8000-000000000000/token').set('x-user', 'ana'),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'token: no owner',
    send: (a) => a.get(`/integrations/connections/${id}/token`),
    status: 401,
    code: 'unauthenticated',
  },
  {
    name: 'token: not allowed by default',
    send: (a) => a.get(`/integrations/connections/${id}/token`).set('x-user', 'ana'),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'proxy: bad id',
    send: (a) => a.get('/integrations/connections/x/proxy/me').set('x-user', 'ana'),
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'proxy: no owner',
    send: (a) => a.get(`/integrations/connections/${id}/proxy/me`),
    status: 401,
    code: 'unauthenticated',
  },
  {
    name: 'proxy: not allowed by default',
    send: (a) => a.post(`/integrations/connections/${id}/proxy/me`).set('x-user', 'ana').send({ a: 1 }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'revoke: bad id',
    send: (a) => a.post('/integrations/connections/x/revoke').set('x-user', 'ana'),
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'revoke: unknown id',
    send: (a) =>
      a.post('/integrations/connections/00000000-0000-4000-8000-000000000000/revoke').set('x-user', 'ana'),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'revoke: no owner',
    send: (a) => a.post(`/integrations/connections/${id}/revoke`),
    status: 401,
    code: 'unauthenticated',
  },
  {
    name: 'reauth: unknown field',
    send: (a) => a.post(`/integrations/connections/${id}/reauth`).set(json).send({ provider: 'local' }),
    status: 400,
    code: 'invalid_request',
    says: /provider/,
  },
  {
    name: 'reauth: scopes is a string',
    send: (a) => a.post(`/integrations/connections/${id}/reauth`).set(json).send({ scopes: 'email' }),
    status: 400,
    code: 'invalid_request',
    says: /scopes/,
  },
  {
    name: 'reauth: foreign returnUrl',
    send: (a) =>
      a.post(`/integrations/connections/${id}/reauth`).set(json).send({ returnUrl: 'https://evil.example/' }),
    status: 400,
    code: 'invalid_request',
    says: /returnUrl/,
  },
  {
    name: 'reauth: broken JSON',
    send: (a) => a.post(`/integrations/connections/${id}/reauth`).set(json).send('{"scopes":'),
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'reauth: unknown id',
    send: (a) =>
      a.post('/integrations/connections/00000000-0000-4000-8000-000000000000/reauth').set(json).send({}),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'audit: no owner',
    send: (a) => a.get('/integrations/audit'),
    status: 401,
    code: 'unauthenticated',
  },
  {
    name: 'audit: limit not a number',
    send: (a) => a.get('/integrations/audit?limit=many').set('x-user', 'ana'),
    status: 400,
    code: 'invalid_request',
    says: /limit/,
  },
  {
    name: 'unknown endpoint',
    send: (a) => a.get('/integrations/nothing-here'),
    status: 404,
    code: 'not_found',
  },
]

describe('bad input', () => {
  it.each(cases)('$name → $status $code, and nothing changes', async ({ send, status, code, says }) => {
    const before = dump(app.raw)
    const response = await send(request(app.url))
    expect(response.status).toBe(status)
    expect(response.body.error.code).toBe(code)
    expect(typeof response.body.error.message).toBe('string')
    if (says) expect(response.body.error.message).toMatch(says)
    if (code === 'invalid_request' && response.body.error.details) {
      expect(response.body.error.details[0]).toHaveProperty('path')
    }
    expect(response.text).not.toMatch(/at .*\.(ts|js):\d+/)
    expect(dump(app.raw)).toBe(before)
  })

  it('reports every zod issue in details', async () => {
    const response = await request(app.url)
      .post('/integrations/connections/start')
      .set(json)
      .send({ provider: 3, scopes: 'x', label: '' })
    expect(response.status).toBe(400)
    const paths = response.body.error.details.map((d: { path: string[] }) => d.path.join('.'))
    expect(paths).toEqual(expect.arrayContaining(['provider', 'scopes', 'label']))
  })

  it('leaves the connection as it was', async () => {
    expect(await app.router.connections.get('ana', id)).toMatchObject({
      label: 'ana@example.com',
      status: 'active',
    })
  })
})
