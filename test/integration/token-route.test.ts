import express, { type NextFunction, type Request, type Response } from 'express'
import Keyv from 'keyv'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { createConnectionsRouter, providers } from '../../src/index.js'

const KEY = Buffer.alloc(32, 3).toString('base64')

/**
 * The token route is served from the router's first middleware (http/token-route.ts): whatever way
 * Express would have matched `GET /connections/:id/token`, the answer must be the route's.
 */
async function hostApp() {
  const seen: Array<{ path: unknown; org: unknown }> = []
  const app = express()
  // A host's metrics middleware: it reads req.route once the response is sent.
  app.use((req: Request, res: Response, next: NextFunction) => {
    res.on('finish', () => seen.push({ path: req.route?.path, org: req.params?.orgId }))
    next()
  })
  app.use((req, _res, next) => {
    Object.assign(req, { user: { id: 'ana' } })
    next()
  })
  app.use(
    '/orgs/:orgId/integrations',
    createConnectionsRouter({
      store: new Keyv(),
      encryptionKey: KEY,
      providers: [
        providers.apiKey({
          id: 'demo',
          name: 'Demo',
          apiBaseUrl: 'https://api.example.com',
          validate: async () => ({ accountId: 'acct-1' }),
        }),
      ],
      authorize: ({ req }) => req.params.orgId === 'acme',
    }),
  )
  const created = await request(app)
    .post('/orgs/acme/integrations/connections')
    .send({ provider: 'demo', credentials: { apiKey: 'demo-key-0001' } })
  expect(created.status).toBe(201)
  return { app, id: created.body.data.id as string, seen }
}

describe('GET /connections/:id/token', () => {
  it('answers every spelling Express matches, with the parent’s parameters and req.route in place', async () => {
    const { app, id, seen } = await hostApp()
    for (const path of [`connections/${id}/token`, `connections/${id}/token/`, `CONNECTIONS/${id}/TOKEN`]) {
      const answer = await request(app).get(`/orgs/acme/integrations/${path}`)
      expect(answer.status, path).toBe(200)
      expect(answer.body.data.accessToken).toBe('demo-key-0001')
      expect(answer.headers['cache-control']).toBe('no-store')
      expect(answer.headers['referrer-policy']).toBe('no-referrer')
      expect(answer.headers['content-type']).toBe('application/json; charset=utf-8')
      // No ETag: it would be a digest of the token, on an answer never cached.
      expect(answer.headers.etag).toBeUndefined()
    }
    const head = await request(app).head(`/orgs/acme/integrations/connections/${id}/token`)
    expect(head.status).toBe(200)
    expect(head.text).toBeUndefined()
    expect(seen.slice(-4, -1)).toEqual(Array(3).fill({ path: '/connections/:id/token', org: 'acme' }))
    // authorize reads the parent's parameter: another org is refused.
    expect((await request(app).get(`/orgs/other/integrations/connections/${id}/token`)).status).toBe(403)
  })

  it('leaves what is not a GET of the route to the router, as before', async () => {
    const { app, id } = await hostApp()
    const mount = '/orgs/acme/integrations'
    expect((await request(app).post(`${mount}/connections/${id}/token`)).status).toBe(404)
    expect((await request(app).get(`${mount}/connections/${id}/token/more`)).status).toBe(404)
    expect((await request(app).get(`${mount}/connections/%E0%A4%A/token`)).status).toBe(400)
    const unknown = await request(app).get(`${mount}/connections/6a1f0d5e-1c1b-4c55-9a57-3f9e5b0b8f11/token`)
    expect(unknown.status).toBe(404)
    expect(unknown.body.error.code).toBe('not_found')
  })
})
