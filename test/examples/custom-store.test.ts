import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { Connection } from '../../src/index.js'
import { cleanUp, freePort, newKey, postJson, request, runExample, tempDir } from './run-example.js'

afterAll(cleanUp)

describe('examples/custom-store', () => {
  it('keeps a connection in .data/connections.json across a restart with the same key', async () => {
    const cwd = await tempDir()
    const port = await freePort()
    const key = newKey()
    const start = () =>
      runExample('examples/custom-store/server.ts', {
        cwd,
        ready: /Connections are stored in \.data\/connections\.json/,
        env: { PORT: String(port), CONNECTIONS_KEY: key },
      })
    const mount = `http://127.0.0.1:${port}/integrations`

    const first = await start()
    const created = await postJson<{ data: Connection }>(`${mount}/connections`, {
      provider: 'demo',
      credentials: { apiKey: 'demo_0123456789' },
    })
    expect(created.status).toBe(201)
    const file = await readFile(join(cwd, '.data', 'connections.json'), 'utf8')
    expect(file).toContain(created.body.data.id)
    expect(file).not.toContain('demo_0123456789') // encrypted at rest
    await first.stop()

    await start()
    const list = await request<{ data: Connection[] }>(`${mount}/connections`)
    expect(list.status).toBe(200)
    expect(list.body.data).toEqual([
      { ...created.body.data, policies: [], toolsStatus: 'synced', toolsSyncedAt: null },
    ])
  })
})
