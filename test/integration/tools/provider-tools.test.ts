import Keyv from 'keyv'
import request from 'supertest'
import { afterEach, describe, expect, it } from 'vitest'
import { createConnectionsRouter } from '../../../src/index.js'
import { owner } from '../../support/agent-policy.js'
import { startTestApp, TEST_KEY } from '../../support/app.js'
import { connectThroughFake } from '../../support/preset-flow.js'
import {
  apiCalls,
  closeTrackerApps,
  fixtureTools,
  startTrackerFake,
  trackerProvider,
} from '../../support/tool-fixture.js'

afterEach(closeTrackerApps)

describe('tool definitions of providers', () => {
  it('the router refuses to start with a provider whose tools are not valid, naming provider and tool', async () => {
    const fake = await startTrackerFake()
    const [list] = fixtureTools
    const twice = trackerProvider(
      fake,
      [list, list].filter((t) => t !== undefined),
    )
    const start = () =>
      createConnectionsRouter({ store: new Keyv(), encryptionKey: TEST_KEY, providers: [twice] })
    expect(start).toThrow(TypeError)
    expect(start).toThrow(/tracker/)
    expect(start).toThrow(/list_items/)
    // A definition that contradicts itself (a placeholder no input field fills), started twice: the
    // check is remembered per definition, and remembered as failing.
    if (!list) throw new Error('no fixture tool')
    const broken = { ...list, request: { ...list.request, path: '/projects/{nope}/items' } }
    const again = () =>
      createConnectionsRouter({
        store: new Keyv(),
        encryptionKey: TEST_KEY,
        providers: [trackerProvider(fake, [broken])],
      })
    expect(again).toThrow(/tracker\/list_items: .*nope/)
    expect(again).toThrow(/tracker\/list_items: .*nope/)
  })

  it('a custom provider registered at runtime carries its tools: checked, stored, listed and run', async () => {
    const fake = await startTrackerFake()
    const app = await startTestApp(null, {
      providers: [trackerProvider(fake, [])],
      authorize: () => true,
      customProviderUrls: (url) => url.hostname === '127.0.0.1',
    })
    try {
      const registration = {
        slug: 'my-tracker',
        name: 'My tracker',
        authorizationUrl: fake.endpoints.authorizationUrl,
        tokenUrl: fake.endpoints.tokenUrl,
        apiBaseUrl: fake.url,
        scopes: ['items'],
        clientId: 'tracker-client',
        clientSecret: 'tracker-secret-CANARY',
      }
      const [list] = fixtureTools
      const bad = await request(app.url)
        .post('/integrations/custom-providers')
        .set(owner)
        .send({ ...registration, tools: [list, list] })
      expect(bad.status).toBe(400)
      expect(JSON.stringify(bad.body.error.details)).toContain('list_items')
      const notObjects = await request(app.url)
        .post('/integrations/custom-providers')
        .set(owner)
        .send({ ...registration, tools: ['list_items'] })
      expect(notObjects.status).toBe(400)

      const created = await request(app.url)
        .post('/integrations/custom-providers')
        .set(owner)
        .send({ ...registration, tools: fixtureTools })
      expect(created.status, JSON.stringify(created.body)).toBe(201)
      expect(created.body.data.tools).toEqual(fixtureTools)

      const run = await connectThroughFake({ ...trackerProvider(fake), id: 'my-tracker' }, fake, { app })
      const id = run.connection.id
      const listed = await request(app.url).get(`/integrations/connections/${id}/tools`).set(owner)
      expect(listed.body.data.map((t: { toolPath: string }) => t.toolPath)).toEqual([
        'my-tracker/list_items',
        'my-tracker/create_item',
        'my-tracker/delete_item',
      ])
      const ran = await request(app.url)
        .post(`/integrations/connections/${id}/tools/list_items/run`)
        .set(owner)
        .send({ input: { project: 'acme' } })
      expect(ran.status, JSON.stringify(ran.body)).toBe(200)
      expect(apiCalls(fake)).toHaveLength(1)
    } finally {
      await app.close()
    }
  })
})
