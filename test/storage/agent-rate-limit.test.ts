import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { sleep } from '../support/as-client.js'
import { connect } from '../support/flows.js'
import { sharedBackends, useCluster } from '../support/instances.js'
import { useOAuthSuite } from '../support/suite.js'

/**
 * A policy's rate limit through the real router on two app processes behind a round-robin balancer,
 * counting on the Redis or PostgreSQL they share (`rateLimitStore`): exact, whichever instance a call
 * reaches.
 */

const suite = useOAuthSuite()

describe.each(sharedBackends)('an agent rate limit on two instances sharing $name', (backend) => {
  const run = useCluster(backend, suite, { sharedRateCounts: true })

  const asOwner = (owner: string, path: string, body: unknown) =>
    fetch(`${run.cluster.mount}${path}`, {
      method: 'POST',
      headers: { 'x-user': owner, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })

  it('lets exactly 100 of 500 concurrent token requests through a 100/minute policy; the rest are 429 with Retry-After', async () => {
    const owner = `ana-${randomUUID()}`
    const connectionId = await connect(run.cluster, owner)
    const created = await asOwner(owner, '/agents', { name: 'bench-bot' })
    expect(created.status).toBe(201)
    const { agent, key } = ((await created.json()) as { data: { agent: { id: string }; key: string } }).data
    const policy = await asOwner(owner, '/policies', {
      connectionId,
      agentId: agent.id,
      allowedModels: ['A', 'B'],
      defaultMode: 'read_write',
      stepUpApproval: 'never',
      rateLimits: [{ limit: 100, per: 'minute' }],
    })
    expect(policy.status).toBe(201)

    // Windows are UTC minutes: start early in one so the burst never spans two.
    const second = new Date().getUTCSeconds()
    if (second > 40) await sleep((61 - second) * 1000)
    const answers = await Promise.all(
      Array.from({ length: 500 }, () =>
        fetch(`${run.cluster.mount}/connections/${connectionId}/token`, {
          headers: { authorization: `Bearer ${key}` },
        }).then(async (response) => ({
          status: response.status,
          retryAfter: response.headers.get('retry-after'),
          code: ((await response.json()) as { error?: { code: string } }).error?.code,
        })),
      ),
    )
    expect(answers.filter((a) => a.status === 200)).toHaveLength(100)
    const refused = answers.filter((a) => a.status !== 200)
    expect(refused).toHaveLength(400)
    for (const answer of refused) {
      expect(answer).toMatchObject({ status: 429, code: 'rate_limited' })
      expect(Number(answer.retryAfter)).toBeGreaterThan(0)
    }
    // Both instances answered part of the burst.
    expect(run.cluster.served.every((count) => count > 100)).toBe(true)
  }, 120_000)
})
