import { afterEach, describe, expect, it } from 'vitest'
import {
  type ConnectionsClientError,
  createAgentClient,
  createConnectionsClient,
} from '../../../src/client/index.js'
import { apiCalls, closeTrackerApps, connectTracker } from '../../support/tool-fixture.js'

afterEach(closeTrackerApps)

describe('tools through the clients', () => {
  it('the owner pins a field; the agent lists, runs a read, and runs a write once it is approved', async () => {
    const s = await connectTracker()
    const ana = createConnectionsClient({ baseUrl: s.app.mount, headers: { 'x-user': 'ana' } })
    const synced = await ana.tools.sync(s.id)
    expect(synced.map((t) => t.slug).sort()).toEqual(['create_item', 'delete_item', 'list_items'])
    const pinned = await ana.tools.update(s.id, 'create_item', {
      inputDefaults: { project: 'acme' },
      pinnedFields: ['project'],
    })
    expect(pinned).toMatchObject({ slug: 'create_item', pinnedFields: ['project'], pinnedCount: 1 })
    expect((await ana.tools.list(s.id)).find((t) => t.slug === 'create_item')?.pinnedFields).toEqual([
      'project',
    ])

    const { agent, key } = await ana.agents.create('Tracker bot')
    await ana.policies.create({
      connectionId: s.id,
      agentId: agent.id,
      defaultMode: 'read_write',
      stepUpApproval: 'risk_based',
    })
    const bot = createAgentClient({ baseUrl: s.app.mount, agentKey: key })
    const visible = await bot.tools.list(s.id)
    expect(visible.map((t) => t.slug)).toContain('create_item')
    expect(JSON.stringify(visible.find((t) => t.slug === 'create_item')?.mergedInputPreview)).not.toContain(
      '"project"',
    )

    const read = await bot.tools.run(s.id, 'list_items', { project: 'acme', state: 'open' })
    expect(read).toEqual({
      kind: 'done',
      data: { output: { total: 1, items: [expect.objectContaining({ id: 7 })] } },
    })

    const before = apiCalls(s.fake).length
    const asked = await bot.tools.run(s.id, 'create_item', { title: 'Hi' })
    if (asked.kind !== 'approval') throw new Error('expected the write to wait for an approval')
    expect(asked.approval).toMatchObject({ status: 'pending', request: { tool: 'create_item' } })
    expect(apiCalls(s.fake).length).toBe(before)
    await ana.approvals.approve(asked.approval.id)
    const ran = await bot.tools.run(s.id, 'create_item', { title: 'Hi' }, { approvalId: asked.approval.id })
    expect(ran).toEqual({ kind: 'done', data: { output: { id: 8, url: 'https://tracker.example/acme/8' } } })
    expect(apiCalls(s.fake).length).toBe(before + 1)

    // Input that does not fit the schema: 422 invalid_input, the JSON pointer in details; nothing sent.
    const bad = await bot.tools
      .run(s.id, 'list_items', { project: 'acme', extra: true })
      .catch((e: unknown) => e)
    expect(bad).toMatchObject({ name: 'ConnectionsClientError', code: 'invalid_input', status: 422 })
    expect((bad as ConnectionsClientError).details).toContainEqual(
      expect.objectContaining({ pointer: '/extra' }),
    )
    expect(apiCalls(s.fake).length).toBe(before + 1)
  })
})
