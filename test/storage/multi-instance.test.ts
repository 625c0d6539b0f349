import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { ConnectionRecord } from '../../src/core/model.js'
import { keys } from '../../src/storage/keys.js'
import { isActive, sleep } from '../support/as-client.js'
import { connect } from '../support/flows.js'
import { sharedBackends, useCluster } from '../support/instances.js'
import { useOAuthSuite } from '../support/suite.js'

/**
 * Two app instances in child processes behind a round-robin load balancer, sharing one store and its
 * lock (Redis, then PostgreSQL) and the authorization server: what a deployment does.
 */

/** The authorization server's access-token lifetime, switched by the tests (read at each issuance). */
const lifetime = { seconds: 3600 }
const suite = useOAuthSuite({ accessTokenTtl: () => lifetime.seconds })

describe.each(sharedBackends)('two instances on one $name', (backend) => {
  const run = useCluster(backend, suite)

  const get = (path: string, owner: string) =>
    fetch(`${run.cluster.mount}${path}`, { headers: { 'x-user': owner } })

  async function tokenOf(owner: string, id: string) {
    const response = await get(`/connections/${id}/token`, owner)
    const body = (await response.json()) as { data?: { accessToken: string }; error?: { code: string } }
    return { status: response.status, token: body.data?.accessToken, code: body.error?.code }
  }

  it('lists all of 100 connects completed concurrently across both, with a consistent index', async () => {
    const owner = `ana-${randomUUID()}`
    const servedBefore = [...run.cluster.served]
    const ids = await Promise.all(
      Array.from({ length: 100 }, (_, i) => connect(run.cluster, owner, `user-${i}`)),
    )
    expect(new Set(ids).size).toBe(100)
    expect(run.cluster.served.every((count, i) => count > (servedBefore[i] ?? 0) + 50)).toBe(true)

    // Both instances list the same 100 (consecutive requests go to each in turn).
    for (const _ of [0, 1]) {
      const response = await get('/connections', owner)
      expect(response.status).toBe(200)
      const listed = ((await response.json()) as { data: Array<{ id: string; status: string }> }).data
      expect(listed.map((c) => c.id).sort()).toEqual([...ids].sort())
      expect(listed.every((c) => c.status === 'active')).toBe(true)
    }
    const index = (await run.shared.keyv.get<string[]>(keys.ownerIndex(owner))) ?? []
    expect(index).toHaveLength(100)
    expect([...index].sort()).toEqual([...ids].sort())
    for (const id of index) {
      const record = await run.shared.keyv.get<ConnectionRecord>(keys.connection(id))
      expect(record?.owner).toBe(owner)
    }
  }, 90_000)

  it('refreshes an expired token exactly once for 500 concurrent token requests over both', async () => {
    const owner = `bob-${randomUUID()}`
    lifetime.seconds = 2
    const id = await connect(run.cluster, owner, 'bob')
    lifetime.seconds = 3600
    const first = await tokenOf(owner, id)
    expect(first.status).toBe(200)
    await sleep(2_100)

    const refreshesBefore = suite.oauth.grants.refreshToken
    const results = await Promise.all(Array.from({ length: 500 }, () => tokenOf(owner, id)))
    expect(results.filter((r) => r.status !== 200)).toEqual([])
    expect(suite.oauth.grants.refreshToken - refreshesBefore).toBe(1)
    const tokens = new Set(results.map((r) => r.token))
    expect(tokens.size).toBe(1)
    expect(tokens.has(first.token)).toBe(false)
    expect(await isActive(suite.oauth, [...tokens][0] ?? '')).toBe(true)

    const connection = (await (await get(`/connections/${id}`, owner)).json()) as { data: { status: string } }
    expect(connection.data.status).toBe('active')
  }, 90_000)

  it('vends no token once a revoke racing a stream of token requests has completed', async () => {
    const owner = `cyd-${randomUUID()}`
    const id = await connect(run.cluster, owner, 'cyd')
    const vended = new Set<string>()
    let revokedAt = Number.POSITIVE_INFINITY
    const before: Array<Promise<{ status: number; code: string | undefined }>> = []
    const after: Array<Promise<{ status: number; code: string | undefined }>> = []

    const revoke = (async () => {
      await sleep(30)
      const response = await fetch(`${run.cluster.mount}/connections/${id}/revoke`, {
        method: 'POST',
        headers: { 'x-user': owner },
      })
      revokedAt = Date.now()
      return response.status
    })()
    // Token requests in a stream, five every millisecond or so, while the revoke runs (at most 400),
    // then 100 more once it has completed.
    const launch = (into: typeof before) => {
      const started = Date.now()
      const result = tokenOf(owner, id).then((r) => {
        if (r.token) vended.add(r.token)
        return r
      })
      ;(started > revokedAt ? after : into).push(result)
    }
    while (revokedAt === Number.POSITIVE_INFINITY && before.length < 400) {
      for (let i = 0; i < 5; i++) launch(before)
      await sleep(1)
    }
    await revoke
    while (after.length < 100) launch(after)

    expect(await revoke).toBe(200)
    const raced = await Promise.all(before)
    expect(raced.filter((r) => r.status === 200).length).toBeGreaterThan(0)
    expect(raced.every((r) => r.status === 200 || (r.status === 409 && r.code === 'conflict'))).toBe(true)
    expect((await Promise.all(after)).filter((r) => r.status !== 409)).toEqual([])
    // What was handed out before the revoke is no longer usable at the provider either.
    for (const token of vended) expect(await isActive(suite.oauth, token)).toBe(false)
    const record = await run.shared.keyv.get<ConnectionRecord>(keys.connection(id))
    expect(record).toMatchObject({ status: 'revoked', secrets: null })
  }, 90_000)
})
