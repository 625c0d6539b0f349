import { Ajv2020 } from 'ajv/dist/2020.js'
import request from 'supertest'
import { afterEach, describe, expect, it } from 'vitest'
import type { JsonValue, ToolDefinition } from '../../../src/providers/tool-definition.js'
import { bearer, bindPolicy, createAgent, owner } from '../../support/agent-policy.js'
import { startTestApp } from '../../support/app.js'
import {
  apiCalls,
  closeTrackerApps,
  connectTracker,
  fixtureTools,
  SEED_001_FIELDS,
  startTrackerFake,
  trackerProvider,
} from '../../support/tool-fixture.js'

afterEach(closeTrackerApps)

const tools = (id: string) => `/integrations/connections/${id}/tools`
const run = (url: string, id: string, slug: string, as: Record<string, string>, input: unknown) =>
  request(url)
    .post(`${tools(id)}/${slug}/run`)
    .set(as)
    .send({ input })

describe('tools of a connection', () => {
  it('lists every tool with every field of its state, and the connection shows its tools’ status', async () => {
    const { app, id } = await connectTracker()
    const res = await request(app.url).get(tools(id)).set(owner)
    expect(res.status).toBe(200)
    expect(res.body.data.map((t: { slug: string }) => t.slug)).toEqual([
      'list_items',
      'create_item',
      'delete_item',
    ])
    const create = res.body.data[1]
    expect(Object.keys(create).sort()).toEqual([...SEED_001_FIELDS].sort())
    const definition = fixtureTools[1]
    expect(create).toMatchObject({
      connectionId: id,
      slug: 'create_item',
      toolPath: 'tracker/create_item',
      displayName: definition?.displayName,
      description: definition?.description,
      inputSchema: definition?.inputSchema,
      responseSchema: definition?.responseSchema,
      responseFieldMap: definition?.responseFieldMap,
      isEnabled: true,
      inputDefaults: {},
      pinnedFields: [],
      defaultCount: 0,
      pinnedCount: 0,
      mergedInputPreview: definition?.inputSchema,
      staleInputFields: [],
      staleFieldPaths: [],
    })
    expect(create.id).toMatch(/^[0-9a-f-]{36}$/)
    // The sync the new connection's event started has finished by the time the list is read again.
    await expect
      .poll(async () => (await request(app.url).get('/integrations/connections').set(owner)).body.data[0])
      .toMatchObject({ id, toolsStatus: 'synced', toolsSyncedAt: expect.any(String) })
    const one = await request(app.url).get(`/integrations/connections/${id}`).set(owner)
    expect(one.body.data).toMatchObject({ toolsStatus: 'synced' })
    // The state is sealed in the store: no slug or setting in clear.
    const stored = [...app.raw.entries()].filter(([key]) => key.includes('connection-tools'))
    expect(stored).toHaveLength(1)
    expect(JSON.stringify(stored)).not.toContain('create_item')
  })

  it('syncs on request, and a provider without tools is synced with none', async () => {
    const { app, id } = await connectTracker({ tools: [] })
    expect((await request(app.url).get(tools(id)).set(owner)).body.data).toEqual([])
    const row = (await request(app.url).get('/integrations/connections').set(owner)).body.data[0]
    expect(row).toMatchObject({ toolsStatus: 'synced', toolsSyncedAt: null })
    const synced = await request(app.url)
      .post(`${tools(id)}/sync`)
      .set(owner)
    expect(synced.status).toBe(200)
    expect(synced.body.data).toEqual([])
  })

  it('runs a tool for the owner and maps the response; the audit names the slug, never the input', async () => {
    const { app, fake, id } = await connectTracker()
    const res = await run(app.url, id, 'list_items', owner, { project: 'acme', state: 'closed', limit: 5 })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body.data.output).toEqual({ total: 1, items: [{ id: 7, title: 'First', state: 'closed' }] })
    const [call] = apiCalls(fake)
    expect(call).toMatchObject({ method: 'GET', path: '/projects/acme/items' })
    expect(Object.fromEntries(call?.query ?? [])).toEqual({ state: 'closed', limit: '5' })
    expect(call?.headers.authorization).toBe('Bearer tk-1')
    const audit = (await request(app.url).get('/integrations/audit').set(owner)).body.data
    const entry = audit.find((e: { action: string }) => e.action === 'tool')
    expect(entry).toMatchObject({ action: 'tool', connectionId: id, detail: 'tool list_items → 200' })
    expect(JSON.stringify(audit)).not.toContain('closed')
  })

  it('server code lists, sets up, syncs and runs tools as the owner (router.connections.tools)', async () => {
    const { app, fake, id } = await connectTracker()
    const api = app.router.connections.tools
    expect((await api.list('ana', id)).map((t) => t.toolPath)).toEqual([
      'tracker/list_items',
      'tracker/create_item',
      'tracker/delete_item',
    ])
    await expect(api.list('bob', id)).rejects.toMatchObject({ code: 'not_found' })
    await expect(api.update('ana', id, 'create_item', { pinnedFields: ['project'] })).rejects.toMatchObject({
      code: 'invalid_input',
    })
    const updated = await api.update('ana', id, 'create_item', {
      inputDefaults: { project: 'acme' },
      pinnedFields: ['project'],
    })
    expect(updated.pinnedCount).toBe(1)
    expect((await api.sync('ana', id)).find((t) => t.slug === 'create_item')?.pinnedFields).toEqual([
      'project',
    ])
    expect(await api.run('ana', 'tracker', 'create_item', { title: 'From the server' })).toEqual({
      output: { id: 8, url: 'https://tracker.example/acme/8' },
    })
    expect(apiCalls(fake).at(-1)).toMatchObject({
      path: '/projects/acme/items',
      form: { title: 'From the server' },
    })
  })

  it('refuses a person’s run unless the host’s authorize allows `tool`', async () => {
    const fake = await startTrackerFake()
    const seen: string[] = []
    const { app, id } = await connectTracker({
      fake,
      authorize: ({ action }) => {
        seen.push(action)
        return action !== 'tool'
      },
    })
    const res = await run(app.url, id, 'list_items', owner, { project: 'acme' })
    expect(res.status).toBe(403)
    expect(seen).toContain('tool')
    expect(apiCalls(fake)).toHaveLength(0)
  })

  it('answers 502 provider_error with the provider’s status and a capped message', async () => {
    const { app, id } = await connectTracker()
    const res = await run(app.url, id, 'list_items', owner, { project: 'broken' })
    expect(res.status).toBe(502)
    expect(res.body.error).toMatchObject({
      code: 'provider_error',
      details: [{ status: 500, message: 'Database on fire' }],
    })
  })

  it('answers 502 provider_error naming where an answer left the response schema, and maps none of it', async () => {
    const { app, id } = await connectTracker()
    const res = await run(app.url, id, 'list_items', owner, { project: 'changed' })
    expect(res.status).toBe(502)
    expect(res.body.error.code).toBe('provider_error')
    expect(res.body.error.details).toEqual([
      { pointer: '/total', message: expect.any(String) },
      { pointer: '/items', message: expect.any(String) },
    ])
    expect(res.body.data).toBeUndefined()
    expect(JSON.stringify(res.body)).not.toContain('SECRET-ITEM-CANARY')
  })

  it('refreshes once on a 401 and retries with the new token', async () => {
    const fake = await startTrackerFake(new Set(['tk-1']))
    const { app, id } = await connectTracker({ fake })
    const res = await run(app.url, id, 'create_item', owner, { project: 'acme', title: 'Hi' })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body.data.output).toEqual({ id: 8, url: 'https://tracker.example/acme/8' })
    const calls = apiCalls(fake)
    expect(calls.map((c) => c.headers.authorization)).toEqual(['Bearer tk-1', 'Bearer tk-2'])
    expect(fake.tokenRequests.at(-1)?.form.grant_type).toBe('refresh_token')
    expect(calls[1]?.form).toEqual({ title: 'Hi' })
  })
})

describe('defaults and pins', () => {
  it('an agent overrides a default, never a pin; the preview is exactly what its input is checked against', async () => {
    const { app, fake, id } = await connectTracker()
    const agent = await createAgent(app)
    await bindPolicy(app, agent, id, { defaultMode: 'read_write', stepUpApproval: 'never' })
    const patched = await request(app.url)
      .patch(`${tools(id)}/create_item`)
      .set(owner)
      .send({ inputDefaults: { project: 'acme', labels: ['bot'] }, pinnedFields: ['project'] })
    expect(patched.status, JSON.stringify(patched.body)).toBe(200)
    expect(patched.body.data).toMatchObject({ defaultCount: 2, pinnedCount: 1, pinnedFields: ['project'] })

    const listed = await request(app.url).get(tools(id)).set(bearer(agent.key))
    const seen = listed.body.data.find((t: { slug: string }) => t.slug === 'create_item')
    // The agent sees neither the pinned field nor its value.
    expect(seen.inputDefaults).toEqual({ labels: ['bot'] })
    expect(Object.keys(seen.mergedInputPreview.properties)).toEqual(['title', 'body', 'labels'])
    expect(seen.mergedInputPreview.required).toEqual(['title'])
    expect(seen.mergedInputPreview.properties.labels.default).toEqual(['bot'])

    const ok = await run(app.url, id, 'create_item', bearer(agent.key), { title: 'One' })
    expect(ok.status, JSON.stringify(ok.body)).toBe(200)
    expect(JSON.parse(JSON.stringify(apiCalls(fake).at(-1)?.form))).toEqual({ title: 'One', labels: 'bot' })
    const overridden = await run(app.url, id, 'create_item', bearer(agent.key), {
      title: 'Two',
      labels: ['x'],
    })
    expect(overridden.status).toBe(200)
    expect(apiCalls(fake).at(-1)?.form).toMatchObject({ labels: 'x' })
    const before = apiCalls(fake).length
    const pinned = await run(app.url, id, 'create_item', bearer(agent.key), {
      title: 'Three',
      project: 'evil',
    })
    expect(pinned.status).toBe(422)
    expect(pinned.body.error.code).toBe('invalid_input')
    expect(pinned.body.error.details).toEqual([expect.objectContaining({ pointer: '/project' })])
    expect(apiCalls(fake)).toHaveLength(before)

    // Whatever the preview accepts runs; whatever it refuses is a 422, and nothing is sent.
    const preview = new Ajv2020({ strict: false }).compile(seen.mergedInputPreview)
    const inputs = [
      { title: 'x' },
      {},
      { title: '' },
      { title: 'y', labels: ['a', 'b'] },
      { title: 'z', extra: 1 },
    ]
    for (const input of inputs) {
      const res = await run(app.url, id, 'create_item', bearer(agent.key), input)
      expect(res.status, JSON.stringify(input)).toBe(preview(input) ? 200 : 422)
    }
  })

  it('refuses settings that do not fit the tool with 422 and JSON pointers; an agent may not change them', async () => {
    const { app, id } = await connectTracker()
    const patch = (body: object, as: Record<string, string> = owner) =>
      request(app.url)
        .patch(`${tools(id)}/create_item`)
        .set(as)
        .send(body)
    const noDefault = await patch({ pinnedFields: ['project'] })
    expect(noDefault.status).toBe(422)
    expect(noDefault.body.error.details).toEqual([
      { pointer: '/pinnedFields/0', message: expect.stringContaining('needs a default') },
    ])
    const wrongType = await patch({ inputDefaults: { labels: [1] } })
    expect(wrongType.status).toBe(422)
    expect(wrongType.body.error.details[0].pointer).toBe('/inputDefaults/labels/0')
    const unknown = await patch({ inputDefaults: { nope: 1 } })
    expect(unknown.body.error.details).toEqual([
      { pointer: '/inputDefaults/nope', message: expect.any(String) },
    ])
    const proto = await request(app.url)
      .patch(`${tools(id)}/create_item`)
      .set(owner)
      .set('content-type', 'application/json')
      .send('{"inputDefaults":{"__proto__":{"isAdmin":true}}}')
    expect(proto.status).toBe(422)
    expect((await patch({ isEnabled: 'yes' })).status).toBe(400)
    expect(
      (
        await request(app.url)
          .patch(`${tools(id)}/nope`)
          .set(owner)
          .send({ isEnabled: false })
      ).status,
    ).toBe(404)

    const agent = await createAgent(app)
    await bindPolicy(app, agent, id, { defaultMode: 'read_write', stepUpApproval: 'never' })
    const byAgent = await patch({ isEnabled: false }, bearer(agent.key))
    expect(byAgent.status).toBe(403)
    expect(
      (
        await request(app.url)
          .post(`${tools(id)}/sync`)
          .set(bearer(agent.key))
      ).status,
    ).toBe(403)
    const after = (await request(app.url).get(tools(id)).set(owner)).body.data[1]
    expect(after).toMatchObject({ isEnabled: true, inputDefaults: {}, pinnedFields: [] })
  })

  it('a changed definition marks exactly the defaults it broke as stale, keeping the settings; runs leave them out', async () => {
    const { app, fake, id } = await connectTracker()
    await request(app.url)
      .patch(`${tools(id)}/create_item`)
      .set(owner)
      .send({
        inputDefaults: { project: 'acme', labels: ['bot'], body: 'From the bot' },
        pinnedFields: ['project'],
      })
    await request(app.url)
      .patch(`${tools(id)}/delete_item`)
      .set(owner)
      .send({ inputDefaults: { project: 'acme' } })
    // The next release renames create_item's `labels` to `tags` (the router refuses definitions that
    // contradict themselves at start, so its own field map stays consistent: staleFieldPaths shows
    // only for definitions it does not check, see test/unit/tools/states.test.ts).
    const changed = fixtureTools.map((tool): ToolDefinition => {
      if (tool.slug !== 'create_item') return tool
      const { labels = {}, ...properties } = tool.inputSchema.properties as Record<string, JsonValue>
      return {
        ...tool,
        inputSchema: { ...tool.inputSchema, properties: { ...properties, tags: labels } },
        request: { ...tool.request, body: { fields: { title: 'title', body: 'body', labels: 'tags' } } },
      }
    })
    const again = await startTestApp(null, {
      keyv: app.store,
      providers: [trackerProvider(fake, changed)],
      authorize: () => true,
    })
    try {
      const synced = await request(again.url)
        .post(`${tools(id)}/sync`)
        .set(owner)
      expect(synced.status).toBe(200)
      const byslug = Object.fromEntries(synced.body.data.map((t: { slug: string }) => [t.slug, t]))
      expect(byslug.create_item).toMatchObject({
        staleInputFields: ['labels'],
        staleFieldPaths: [],
        inputDefaults: { project: 'acme', labels: ['bot'], body: 'From the bot' },
        pinnedFields: ['project'],
      })
      expect(byslug.delete_item).toMatchObject({ staleInputFields: [], inputDefaults: { project: 'acme' } })
      expect(byslug.list_items).toMatchObject({ staleInputFields: [], staleFieldPaths: [] })
      // The stale default is left out of runs; the others still apply.
      const ran = await run(again.url, id, 'create_item', owner, { title: 'After' })
      expect(ran.status, JSON.stringify(ran.body)).toBe(200)
      expect(apiCalls(fake).at(-1)?.form).toEqual({ title: 'After', body: 'From the bot' })
    } finally {
      await again.close()
    }
  })

  it('a pin the definition no longer has refuses runs (409) until the owner updates the settings', async () => {
    const { app, fake, id } = await connectTracker()
    await request(app.url)
      .patch(`${tools(id)}/create_item`)
      .set(owner)
      .send({ inputDefaults: { labels: ['bot'] }, pinnedFields: ['labels'] })
    const changed = fixtureTools.map((tool): ToolDefinition => {
      if (tool.slug !== 'create_item') return tool
      const { labels: _gone, ...properties } = tool.inputSchema.properties as Record<string, JsonValue>
      return {
        ...tool,
        inputSchema: { ...tool.inputSchema, properties },
        request: { ...tool.request, body: { fields: { title: 'title', body: 'body' } } },
      }
    })
    const again = await startTestApp(null, {
      keyv: app.store,
      providers: [trackerProvider(fake, changed)],
      authorize: () => true,
    })
    try {
      const refused = await run(again.url, id, 'create_item', owner, { project: 'acme', title: 'x' })
      expect(refused.status).toBe(409)
      expect(apiCalls(fake)).toHaveLength(0)
      const fixed = await request(again.url)
        .patch(`${tools(id)}/create_item`)
        .set(owner)
        .send({ inputDefaults: {}, pinnedFields: [] })
      expect(fixed.status).toBe(200)
      expect((await run(again.url, id, 'create_item', owner, { project: 'acme', title: 'x' })).status).toBe(
        200,
      )
    } finally {
      await again.close()
    }
  })
})
