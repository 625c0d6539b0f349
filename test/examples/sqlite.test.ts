import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { Connection } from '../../src/index.js'
import { cleanUp, newKey, postJson, request, runExample, tempDir } from './run-example.js'

afterAll(cleanUp)

const start = (cwd: string, env: Record<string, string>) =>
  runExample('examples/sqlite/server.ts', {
    cwd,
    ready: /Listening on (http:\/\/\S+\/integrations) /,
    env: { PORT: '0', ...env },
  })

describe('examples/sqlite', () => {
  it('keeps a connection in .data/sqlite-example.sqlite across a restart with the same key', async () => {
    const cwd = await tempDir()
    const key = newKey()
    const first = await start(cwd, { CONNECTIONS_KEY: key })
    expect(first.output()).not.toContain('CONNECTIONS_KEY is not set')
    const before = first.ready[1] ?? ''

    const refused = await postJson(`${before}/connections`, {
      provider: 'demo',
      credentials: { apiKey: 'wrong_0123456789' },
    })
    expect(refused).toMatchObject({ status: 422, body: { error: { code: 'invalid_credentials' } } })
    const created = await postJson<{ data: Connection }>(`${before}/connections`, {
      provider: 'demo',
      credentials: { apiKey: 'demo_0123456789' },
    })
    expect(created.status).toBe(201)
    expect(created.body.data).toMatchObject({ provider: 'demo', status: 'active', accountId: '6789' })
    expect(existsSync(join(cwd, '.data', 'sqlite-example.sqlite'))).toBe(true)
    await first.stop()

    const second = await start(cwd, { CONNECTIONS_KEY: key })
    const after = second.ready[1] ?? ''
    const list = await request<{ data: Connection[] }>(`${after}/connections`)
    expect(list.status).toBe(200)
    expect(list.body.data).toEqual([
      { ...created.body.data, policies: [], toolsStatus: 'synced', toolsSyncedAt: null },
    ])
    // The same account connected again updates that connection instead of adding one.
    const again = await postJson<{ data: Connection }>(`${after}/connections`, {
      provider: 'demo',
      credentials: { apiKey: 'demo_9999996789' },
    })
    expect(again.body.data.id).toBe(created.body.data.id)
  })

  it('without CONNECTIONS_KEY, warns and makes one up without printing it', async () => {
    const example = await start(await tempDir(), {})
    expect(example.output()).toContain('CONNECTIONS_KEY is not set')
    // No 32-byte key, base64 or hex, anywhere in what it printed.
    expect(example.output()).not.toMatch(/[A-Za-z0-9+/]{43}=|[0-9a-f]{64}/)
    expect(await request(`${example.ready[1]}/connections`)).toMatchObject({
      status: 200,
      body: { data: [] },
    })
  })
})
