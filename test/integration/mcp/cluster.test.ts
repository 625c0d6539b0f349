import { randomBytes, randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEchoApi } from '../../support/http-fakes.js'
import { type Cluster, type SharedStore, sharedBackends, startCluster } from '../../support/instances.js'
import { mcpClient } from '../../support/mcp-agent.js'

/**
 * `/mcp` on two app processes behind a round-robin balancer, sharing Redis: every request of one MCP
 * client goes to the other instance than the one before (no sticky sessions), and an approval asked
 * for on one is spent on the other, once.
 */

const redis = sharedBackends.find((b) => b.name === 'redis')
if (!redis) throw new Error('no redis backend')
const script = fileURLToPath(new URL('../../support/mcp-instance.ts', import.meta.url))

let cluster: Cluster
let shared: SharedStore
let api: Awaited<ReturnType<typeof startEchoApi>>

beforeAll(async () => {
  api = await startEchoApi()
  const namespace = `mcp_${randomBytes(6).toString('hex')}`
  shared = await redis.open(namespace)
  cluster = await startCluster(
    2,
    {
      backend: 'redis',
      url: redis.url,
      namespace,
      encryptionKey: randomBytes(32).toString('base64'),
      apiUrl: api.url,
    },
    script,
  )
}, 60_000)

afterAll(async () => {
  await cluster?.stop()
  await shared?.close()
  await api?.close()
})

async function asOwner(owner: string, path: string, body?: unknown) {
  const res = await fetch(`${cluster.mount}${path}`, {
    method: 'POST',
    headers: { 'x-user': owner, 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  })
  return { status: res.status, body: (await res.json()) as { data: Record<string, unknown> } }
}

async function boundAgent(rules: Record<string, unknown>) {
  const owner = `ana-${randomUUID()}`
  const connection = await asOwner(owner, '/connections', {
    provider: 'tracker',
    credentials: { apiKey: `key-${randomUUID()}` },
  })
  expect(connection.status, JSON.stringify(connection.body)).toBe(201)
  const created = await asOwner(owner, '/agents', { name: 'mcp-bot' })
  const { agent, key } = created.body.data as { agent: { id: string }; key: string }
  const policy = await asOwner(owner, '/policies', {
    connectionId: connection.body.data.id,
    agentId: agent.id,
    defaultMode: 'read_write',
    ...rules,
  })
  expect(policy.status, JSON.stringify(policy.body)).toBe(201)
  return { owner, key }
}

describe('/mcp behind a round-robin balancer (two instances, shared Redis)', () => {
  it('lists and calls with requests spread over both instances, and counts the rate limit across them', async () => {
    const { key } = await boundAgent({ stepUpApproval: 'never', rateLimits: [{ limit: 3, per: 'hour' }] })
    const before = [...cluster.served]
    const client = await mcpClient(cluster.mount, key)
    const { tools } = await client.listTools()
    expect(tools.map((t) => t.name)).toEqual(['tracker__list_items', 'tracker__create_item'])
    const results = []
    for (let i = 0; i < 4; i++)
      results.push(await client.callTool({ name: 'tracker__list_items', arguments: { project: 'acme' } }))
    expect(results.map((r) => r.isError ?? false)).toEqual([false, false, false, true])
    expect(results[0]?.structuredContent).toEqual({ method: 'GET', path: '/projects/acme/items' })
    expect(results[3]?.structuredContent).toMatchObject({ error: { code: 'rate_limited' } })
    const served = cluster.served.map((n, i) => n - (before[i] ?? 0))
    expect(
      served.every((n) => n >= 3),
      JSON.stringify(served),
    ).toBe(true)
    await client.close()
  })

  it('an approval asked for on one instance is granted and spent on others, once', async () => {
    const { owner, key } = await boundAgent({ stepUpApproval: 'risk_based' })
    const client = await mcpClient(cluster.mount, key)
    const creates = () => api.seen.filter((c) => c.method === 'POST').length
    const already = creates()
    const call = (approvalId?: string) =>
      client.callTool({
        name: 'tracker__create_item',
        arguments: { project: 'acme', title: 'Across instances' },
        ...(approvalId ? { _meta: { approvalId } } : {}),
      })
    const asked = await call()
    expect(asked.isError).toBe(true)
    const { approval } = asked.structuredContent as { approval: { id: string } }
    expect((await asOwner(owner, `/approvals/${approval.id}/approve`)).status).toBe(200)
    const ran = await call(approval.id)
    expect(ran.isError, JSON.stringify(ran.content)).toBeFalsy()
    expect(ran.structuredContent).toEqual({ method: 'POST', path: '/projects/acme/items' })
    const again = await call(approval.id)
    expect(again.isError).toBe(true)
    expect(creates() - already).toBe(1)
    await client.close()
  })
})
