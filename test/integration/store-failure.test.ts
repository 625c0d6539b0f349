import Keyv from 'keyv'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import type { TestApp } from '../support/app.js'
import { FaultyStore } from '../support/faulty-store.js'
import { authorizeIn, browserAs, connect } from '../support/flows.js'
import { useOAuthSuite } from '../support/suite.js'

const suite = useOAuthSuite()

async function appOn(faulty: FaultyStore, storeTimeoutMs = 5000): Promise<TestApp> {
  return suite.appWith({ keyv: new Keyv({ store: faulty }), storeTimeoutMs, logger: silent })
}

const silent = { warn: () => undefined, error: () => undefined }
const snapshot = (faulty: FaultyStore) => JSON.stringify([...faulty.data.entries()])

describe('a failing store', () => {
  it('answers 503 store_unavailable on every endpoint, never "not found" or an empty list', async () => {
    const faulty = new FaultyStore()
    const app = await appOn(faulty)
    const id = await connect(app, 'ana')
    const before = snapshot(faulty)
    faulty.down = true

    const agent = request(app.url)
    const names = [
      'providers',
      'list',
      'get',
      'label',
      'connect',
      'start',
      'callback',
      'token',
      'proxy',
      'revoke',
      'reauth',
      'audit',
    ]
    const responses = await Promise.all([
      agent.get('/integrations/providers').set('x-user', 'ana'),
      agent.get('/integrations/connections').set('x-user', 'ana'),
      agent.get(`/integrations/connections/${id}`).set('x-user', 'ana'),
      agent.put(`/integrations/connections/${id}/label`).set('x-user', 'ana').send({ label: 'new' }),
      agent.get('/integrations/connect/local').set('x-user', 'ana'),
      agent.post('/integrations/connections/start').set('x-user', 'ana').send({ provider: 'local' }),
      agent.get('/integrations/callback/local?code=x&state=y').set('x-user', 'ana'),
      agent.get(`/integrations/connections/${id}/token`).set('x-user', 'ana'),
      agent.get(`/integrations/connections/${id}/proxy/me`).set('x-user', 'ana'),
      agent.post(`/integrations/connections/${id}/revoke`).set('x-user', 'ana'),
      agent.post(`/integrations/connections/${id}/reauth`).set('x-user', 'ana').send({}),
      agent.get('/integrations/audit').set('x-user', 'ana'),
    ])
    for (const [index, response] of responses.entries()) {
      expect(response.status, names[index]).toBe(503)
      expect(response.body.error.code).toBe('store_unavailable')
      expect(response.body.error.message).not.toMatch(/injected/)
    }

    faulty.heal()
    expect(snapshot(faulty)).toBe(before)
    expect(await app.router.connections.get('ana', id)).toMatchObject({
      status: 'active',
      label: 'ana@example.com',
    })
  })

  it('that fails at the callback leaves no connection and no dangling index entry', async () => {
    const faulty = new FaultyStore()
    const app = await appOn(faulty)
    const browser = browserAs(app, 'ana')
    const callbackUrl = await authorizeIn(
      browser,
      app,
      'ana',
      `?return_url=${encodeURIComponent('/settings')}`,
    )
    // The record is written, then the owner's index write fails: the record must be taken back out.
    faulty.failWhen = (operation, key) => operation === 'set' && key.includes('owner:')
    const response = await browser.request(callbackUrl)
    expect(response.status).toBe(302)
    const location = new URL(response.headers.get('location') ?? '')
    expect(location.searchParams.get('error')).toBe('store_unavailable')
    expect(location.searchParams.get('connection_id')).toBeNull()

    faulty.heal()
    expect([...faulty.data.keys()].filter((key) => key.includes('connection'))).toEqual([])
    expect(await app.router.connections.list('ana')).toEqual([])
  })

  it('that hangs answers 503 after the store timeout instead of hanging the request', async () => {
    const faulty = new FaultyStore()
    const app = await appOn(faulty, 200)
    faulty.down = true
    faulty.hang = true
    const response = await request(app.url).get('/integrations/connections').set('x-user', 'ana')
    expect(response.status).toBe(503)
    expect(response.body.error.code).toBe('store_unavailable')
  })

  it('is reported through the logger without the store’s error text', async () => {
    const faulty = new FaultyStore()
    const lines: string[] = []
    const logger = {
      warn: () => undefined,
      error: (m: string, meta?: unknown) => lines.push(`${m} ${JSON.stringify(meta)}`),
    }
    const app = await suite.appWith({ keyv: new Keyv({ store: faulty }), logger })
    faulty.down = true
    await request(app.url).get('/integrations/connections').set('x-user', 'ana')
    expect(lines.join('\n')).toMatch(/store_unavailable/)
    expect(lines.join('\n')).not.toMatch(/injected/)
  })

  it('that fails after a revoke took effect reports the revoke, not "nothing changed"', async () => {
    const faulty = new FaultyStore()
    const app = await appOn(faulty)
    const id = await connect(app, 'ana')
    faulty.failWhen = (operation, key) => operation === 'set' && key.includes('audit:')
    const response = await request(app.url)
      .post(`/integrations/connections/${id}/revoke`)
      .set('x-user', 'ana')
    expect(response.status).toBe(200)
    expect(response.body.data).toMatchObject({ connection: { id, status: 'revoked' }, auditId: null })
    faulty.heal()
    expect((await app.router.connections.get('ana', id)).status).toBe('revoked')
  })

  it('that cannot record a token hand-out hands out no token', async () => {
    const faulty = new FaultyStore()
    const app = await appOn(faulty)
    const id = await connect(app, 'ana')
    faulty.failWhen = (operation, key) => operation === 'set' && key.includes('audit:')
    await expect(app.router.connections.getAccessToken('ana', id)).rejects.toMatchObject({
      code: 'store_unavailable',
    })
  })
})
