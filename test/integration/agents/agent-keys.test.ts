import request from 'supertest'
import { afterEach, describe, expect, it } from 'vitest'
import { providers } from '../../../src/index.js'
import { dump, startTestApp, type TestApp, type TestAppOptions } from '../../support/app.js'

let app: TestApp
afterEach(async () => {
  await app?.close()
})

/** A host app with an API-key provider (a router needs one provider). */
function agentsApp(options: TestAppOptions = {}): Promise<TestApp> {
  return startTestApp(null, {
    providers: [providers.apiKey({ id: 'vendor', validate: async () => ({ accountId: 'acct-1' }) })],
    ...options,
  })
}

const owner = { 'x-user': 'ana' }
const bearer = (key: string) => ({ authorization: `Bearer ${key}` })

async function createAgent(
  name = 'Support bot',
  as = owner,
): Promise<{ agent: { id: string }; key: string }> {
  const res = await request(app.url).post('/integrations/agents').set(as).send({ name })
  expect(res.status).toBe(201)
  return res.body.data
}

describe('the agent registry over HTTP', () => {
  it('shows a key once on create; lists agents without keys; keeps no key in the store', async () => {
    app = await agentsApp()
    const { agent, key } = await createAgent()
    expect(agent).toMatchObject({ name: 'Support bot' })
    expect(key).toMatch(new RegExp(`^ak_${agent.id}\\.[A-Za-z0-9_-]{43}$`))
    const listed = await request(app.url).get('/integrations/agents').set(owner)
    expect(listed.status).toBe(200)
    expect(listed.body.data).toEqual([agent])
    expect(listed.text).not.toContain(key.split('.')[1])
    expect(dump(app.raw)).not.toContain(key.split('.')[1])
    expect((await request(app.url).get('/integrations/agents').set({ 'x-user': 'bob' })).body.data).toEqual(
      [],
    )
  })

  it('refuses an agent key on every /agents endpoint (403) and on endpoints that take an owner', async () => {
    app = await agentsApp()
    const { agent, key } = await createAgent()
    const as = bearer(key)
    const calls = [
      request(app.url).post('/integrations/agents').set(as).send({ name: 'child' }),
      request(app.url).get('/integrations/agents').set(as),
      request(app.url).delete(`/integrations/agents/${agent.id}`).set(as),
      request(app.url).post(`/integrations/agents/${agent.id}/rotate-key`).set(as),
      request(app.url).get('/integrations/connections').set(as),
      // With a session user too: the key decides, never the session.
      request(app.url)
        .get('/integrations/connections')
        .set({ ...as, ...owner }),
    ]
    for (const res of await Promise.all(calls)) {
      expect(res.status).toBe(403)
      expect(res.body.error.code).toBe('forbidden')
    }
    expect((await request(app.url).get('/integrations/agents').set(owner)).body.data).toHaveLength(1)
  })

  it('answers 401 to a wrong, deleted or rotated key, even with a signed-in session on the request', async () => {
    app = await agentsApp()
    const deleted = await createAgent('deleted')
    const rotated = await createAgent('rotated')
    expect(
      (await request(app.url).delete(`/integrations/agents/${deleted.agent.id}`).set(owner)).status,
    ).toBe(200)
    const rotation = await request(app.url)
      .post(`/integrations/agents/${rotated.agent.id}/rotate-key`)
      .set(owner)
    expect(rotation.status).toBe(200)
    expect(rotation.body.data.key).not.toBe(rotated.key)
    const wrong = `${rotation.body.data.key.slice(0, -2)}xx`
    for (const key of [deleted.key, rotated.key, wrong, 'ak_garbage']) {
      for (const path of ['/integrations/agents', '/integrations/connections']) {
        const res = await request(app.url)
          .get(path)
          .set({ ...bearer(key), ...owner })
        expect(res.status).toBe(401)
        expect(res.body.error).toMatchObject({
          code: 'unauthenticated',
          message: 'The agent key is not valid.',
        })
      }
    }
    // The rotated key is refused on the agents routes as an agent (403), so it does authenticate.
    const fresh = await request(app.url).get('/integrations/agents').set(bearer(rotation.body.data.key))
    expect(fresh.status).toBe(403)
  })

  it("gives 404 for another owner's agent, 400 for a bad name, and leaves a host's own bearer tokens to getOwner", async () => {
    app = await agentsApp({
      getOwner: (req) => (req.get('authorization') === 'Bearer host-jwt' ? 'ana' : null),
    })
    const { agent } = await createAgent('mine', {
      authorization: 'Bearer host-jwt',
    } as unknown as typeof owner)
    await app.close()
    app = await agentsApp()
    const mine = await createAgent('mine')
    for (const res of [
      await request(app.url).delete(`/integrations/agents/${mine.agent.id}`).set({ 'x-user': 'bob' }),
      await request(app.url)
        .post(`/integrations/agents/${mine.agent.id}/rotate-key`)
        .set({ 'x-user': 'bob' }),
      await request(app.url).delete(`/integrations/agents/${agent.id}`).set(owner),
    ]) {
      expect(res.status).toBe(404)
    }
    const bad = await request(app.url).post('/integrations/agents').set(owner).send({ name: '' })
    expect(bad.status).toBe(400)
    const extra = await request(app.url)
      .post('/integrations/agents')
      .set(owner)
      .send({ name: 'x', key: 'mine' })
    expect(extra.status).toBe(400)
  })

  it('lets authorize take the agents action away', async () => {
    app = await agentsApp({ authorize: ({ action }) => action !== 'agents' })
    const res = await request(app.url).get('/integrations/agents').set(owner)
    expect(res.status).toBe(403)
    expect(res.body.error.message).toBe('This caller may not manage agents.')
  })

  it('with getAgent, the registry is off: /agents is a 404 and ak_ tokens are left to getOwner', async () => {
    app = await agentsApp({
      getAgent: (req) => (req.get('x-agent') ? { id: 'a1', name: 'Host agent' } : null),
    })
    expect((await request(app.url).get('/integrations/agents').set(owner)).status).toBe(404)
    expect((await request(app.url).post('/integrations/agents').set(owner).send({ name: 'x' })).status).toBe(
      404,
    )
    expect(
      (
        await request(app.url)
          .get('/integrations/connections')
          .set({ ...owner, ...bearer('ak_x') })
      ).status,
    ).toBe(200)
  })
})

describe('agent keys and the cross-site check', () => {
  it('a cookie caller from another site is still refused, with or without a (bad) agent key', async () => {
    app = await agentsApp()
    const crossSite = { ...owner, 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }
    const plain = await request(app.url).post('/integrations/agents').set(crossSite).send({ name: 'x' })
    expect(plain.status).toBe(403)
    const withBadKey = await request(app.url)
      .post('/integrations/agents')
      .set({ ...crossSite, ...bearer('ak_forged') })
      .send({ name: 'x' })
    expect(withBadKey.status).toBe(401)
    expect((await request(app.url).get('/integrations/agents').set(owner)).body.data).toEqual([])
  })
})
