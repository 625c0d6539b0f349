import request from 'supertest'
import { afterEach, describe, expect, it } from 'vitest'
import { owner } from '../../support/agent-policy.js'
import { BrowserClient } from '../../support/browser-client.js'
import { closeTrackerApps, connectTracker } from '../../support/tool-fixture.js'

afterEach(closeTrackerApps)

const connections = '/integrations/connections'
const rowOf = async (url: string, id: string) =>
  (await request(url).get(connections).set(owner)).body.data.find((c: { id: string }) => c.id === id)

describe('the tools’ sync status of a connection', () => {
  it('is failed after a sync that fails (the settings do not open), and synced again once one succeeds', async () => {
    const { app, id } = await connectTracker()
    await expect.poll(() => rowOf(app.url, id)).toMatchObject({ toolsStatus: 'synced' })
    const key = `keyv:connection-tools:${id}`
    const sealed = app.raw.get(key)
    expect(sealed).toBeDefined()
    // Another connection's sealed settings, or a damaged blob: either way they do not open here.
    app.raw.set(key, JSON.stringify({ value: { sealed: 'v1.nokey.AAAA' }, expires: null }))

    const sync = await request(app.url).post(`${connections}/${id}/tools/sync`).set(owner)
    expect(sync.status).toBe(500)
    expect(sync.body.error.code).toBe('internal_error')
    expect(await rowOf(app.url, id)).toMatchObject({ toolsStatus: 'failed' })
    const one = await request(app.url).get(`${connections}/${id}`).set(owner)
    expect(one.body.data).toMatchObject({ toolsStatus: 'failed' })
    // Runs fail closed too: settings that do not open might have held pins.
    const run = await request(app.url)
      .post(`${connections}/${id}/tools/list_items/run`)
      .set(owner)
      .send({ input: { project: 'acme' } })
    expect(run.status).toBe(500)

    app.raw.set(key, sealed)
    const again = await request(app.url).post(`${connections}/${id}/tools/sync`).set(owner)
    expect(again.status).toBe(200)
    expect(await rowOf(app.url, id)).toMatchObject({
      toolsStatus: 'synced',
      toolsSyncedAt: expect.any(String),
    })
  })

  it('is synced again after a reauth (connection.reauthorized): toolsSyncedAt and each lastSeenAt move on', async () => {
    const { app, id } = await connectTracker()
    await expect.poll(() => rowOf(app.url, id)).toMatchObject({ toolsStatus: 'synced' })
    const before = await rowOf(app.url, id)
    const seenBefore = (await request(app.url).get(`${connections}/${id}/tools`).set(owner)).body.data[0]
      .lastSeenAt
    await new Promise((resolve) => setTimeout(resolve, 5))

    const browser = new BrowserClient({ headers: { [app.url]: { 'x-user': 'ana' } } })
    const started = await browser.request(`${app.mount}/connections/${id}/reauth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: app.url },
      body: '{}',
    })
    expect(started.status).toBe(201)
    const { authorizationUrl } = ((await started.json()) as { data: { authorizationUrl: string } }).data
    const { response } = await browser.follow(authorizationUrl)
    expect(response.status).toBeLessThan(400)
    expect(app.events.map((e) => e.type)).toContain('connection.reauthorized')

    await expect.poll(async () => (await rowOf(app.url, id)).toolsSyncedAt).not.toBe(before.toolsSyncedAt)
    expect(await rowOf(app.url, id)).toMatchObject({ toolsStatus: 'synced' })
    const seenAfter = (await request(app.url).get(`${connections}/${id}/tools`).set(owner)).body.data[0]
      .lastSeenAt
    expect(Date.parse(seenAfter)).toBeGreaterThan(Date.parse(seenBefore))
  })

  it('server code sees it too: router.connections.list and get rows carry toolsStatus and toolsSyncedAt', async () => {
    const { app, id } = await connectTracker()
    const api = app.router.connections
    await expect.poll(async () => (await api.get('ana', id)).toolsStatus).toBe('synced')
    const [row] = await api.list('ana')
    expect(row).toMatchObject({ id, toolsStatus: 'synced', toolsSyncedAt: expect.any(String) })
    expect(await api.get('ana', id)).toEqual(row)
    // The same as the HTTP rows.
    expect((await request(app.url).get(connections).set(owner)).body.data[0]).toMatchObject({
      toolsStatus: row?.toolsStatus,
      toolsSyncedAt: row?.toolsSyncedAt,
    })
  })
})
