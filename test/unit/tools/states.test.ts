import Keyv from 'keyv'
import { describe, expect, it } from 'vitest'
import type { ConnectionRecord } from '../../../src/core/model.js'
import { Keyring } from '../../../src/crypto/keyring.js'
import { InProcessLock } from '../../../src/locks/lock.js'
import type { ToolDefinition } from '../../../src/providers/tool-definition.js'
import { SafeStore } from '../../../src/storage/safe-store.js'
import { ToolStates, toolView } from '../../../src/tools/states.js'
import { ToolsStatusBook } from '../../../src/tools/sync-status.js'
import { TEST_KEY } from '../../support/app.js'
import { fixtureTools } from '../../support/tool-fixture.js'

const record = {
  id: '6f1c2a9e-0b7d-4c3e-9a51-2d8f0e4b7c10',
  owner: 'ana',
  provider: 'tracker',
  status: 'active',
} as ConnectionRecord

function statesOver(definitions: { current: readonly ToolDefinition[] }, raw = new Map<string, unknown>()) {
  const store = new SafeStore(new Keyv({ store: raw }), 5000)
  const lock = new InProcessLock()
  let clock = Date.parse('2026-12-07T10:00:00Z')
  const states = new ToolStates({
    store,
    lock,
    keyring: new Keyring([TEST_KEY]),
    status: new ToolsStatusBook(store, lock),
    now: () => {
      clock += 1000
      return new Date(clock)
    },
    definitions: () => definitions.current,
  })
  return { states, raw }
}

const slugs = (tools: Array<{ definition: ToolDefinition }>) => tools.map((t) => t.definition.slug)
const [list, create, remove] = fixtureTools as [ToolDefinition, ToolDefinition, ToolDefinition]

describe('ToolStates', () => {
  it('a tool the provider stops listing is hidden, and comes back with its settings (pins included)', async () => {
    const definitions = { current: [list, create, remove] as readonly ToolDefinition[] }
    const { states } = statesOver(definitions)
    await states.update(
      record,
      'create_item',
      { inputDefaults: { project: 'acme' }, pinnedFields: ['project'] },
      () => {},
    )
    definitions.current = [list, remove]
    expect(slugs(await states.sync(record))).toEqual(['list_items', 'delete_item'])
    expect(await states.find(record, 'create_item')).toBeUndefined()
    definitions.current = [list, create, remove]
    const back = await states.find(record, 'create_item')
    expect(back?.stored).toMatchObject({
      pinnedFields: ['project'],
      inputDefaults: { project: 'acme' },
      goneSince: null,
    })
  })

  it('shows field-map paths the response schema no longer has (definitions the router does not check: remote ones)', async () => {
    const unchecked: ToolDefinition = {
      ...create,
      responseSchema: {
        type: 'object',
        properties: { id: { type: 'integer' }, web_url: { type: 'string' } },
      },
    }
    const { states } = statesOver({ current: [unchecked] })
    const [tool] = await states.list(record)
    if (!tool) throw new Error('no tool')
    expect(toolView(record, tool, 'owner').staleFieldPaths).toEqual(['html_url'])
  })

  it('keeps the settings sealed, bound to the owner and the connection', async () => {
    const { states, raw } = statesOver({ current: [create] })
    await states.update(record, 'create_item', { inputDefaults: { body: 'secret-ish note' } }, () => {})
    const key = [...raw.keys()].find((k) => k.includes('connection-tools'))
    expect(JSON.stringify(raw.get(key ?? ''))).not.toContain('secret-ish note')
    // The same record under another owner does not open: settings fail closed, never read as none.
    await expect(states.list({ ...record, owner: 'bob' } as ConnectionRecord)).rejects.toMatchObject({
      code: 'internal_error',
    })
  })

  it('sync stamps lastSeenAt and the status; a refused update writes nothing', async () => {
    const { states } = statesOver({ current: [list] })
    const first = (await states.sync(record))[0]?.stored.lastSeenAt
    const second = (await states.sync(record))[0]?.stored.lastSeenAt
    expect(Date.parse(second ?? '')).toBeGreaterThan(Date.parse(first ?? ''))
    expect((await states.summaries('ana', [record])).get(record.id)).toEqual({
      toolsStatus: 'synced',
      toolsSyncedAt: expect.any(String),
    })
    await expect(
      states.update(record, 'list_items', { isEnabled: false }, () => {
        throw new Error('refused')
      }),
    ).rejects.toThrow('refused')
    expect((await states.find(record, 'list_items'))?.stored.isEnabled).toBe(true)
  })
})
