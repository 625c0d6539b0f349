import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Connection } from '../../src/index.js'
import { type RedisServer, startRedisServer } from '../support/redis-server.js'
import { cleanUp, newKey, postJson, request, runExample, tempDir } from './run-example.js'

/**
 * examples/redis/start.ts on a redis-server of the test's own (a free port, nothing saved), so that
 * nothing it writes is left in a shared Redis and no earlier data can stand in for this run's.
 */
let redis: RedisServer | undefined

beforeAll(async () => {
  redis = await startRedisServer()
})

afterAll(async () => {
  await cleanUp()
  await redis?.stop()
})

describe('examples/redis', () => {
  it('serves from both instances through the proxy, shares connections, and stops everything on Ctrl-C', async () => {
    const example = await runExample('examples/redis/start.ts', {
      cwd: await tempDir(),
      ready: /Proxy listening on (http:\/\/\S+), in front of 2 instances/,
      env: { PORT: '0', REDIS_URL: redis?.url ?? '', CONNECTIONS_KEY: newKey() },
    })
    const mount = `${example.ready[1]}/integrations`
    const instanceUrls = [...example.output().matchAll(/instance-\d listening on (http:\/\/\S+)/g)].map(
      (m) => m[1],
    )
    expect(instanceUrls).toHaveLength(2)

    const first = await request(`${mount}/providers`)
    const second = await request(`${mount}/providers`)
    expect([first.status, second.status]).toEqual([200, 200])
    const answeredBy = [first.headers.get('x-instance'), second.headers.get('x-instance')]
    expect(answeredBy.sort()).toEqual(['instance-1', 'instance-2'])

    // Made on one instance, listed by the other, then by the first again.
    const created = await postJson<{ data: Connection }>(`${mount}/connections`, {
      provider: 'demo',
      credentials: { apiKey: 'demo_0123456789' },
    })
    expect(created.status).toBe(201)
    const lists = [await request<{ data: Connection[] }>(`${mount}/connections`)]
    lists.push(await request<{ data: Connection[] }>(`${mount}/connections`))
    expect(lists.map((list) => list.headers.get('x-instance')).sort()).toEqual(['instance-1', 'instance-2'])
    expect(lists[0]?.headers.get('x-instance')).not.toBe(created.headers.get('x-instance'))
    for (const list of lists)
      expect(list.body.data).toEqual([
        { ...created.body.data, policies: [], toolsStatus: 'synced', toolsSyncedAt: null },
      ])

    // Ctrl-C, sent to start.ts alone: it stops the instances itself, then exits.
    example.child.kill('SIGINT')
    expect(await example.exited).toBe(0)
    for (const url of instanceUrls) await expect(fetch(`${url}/integrations/providers`)).rejects.toThrow()
  })
})
