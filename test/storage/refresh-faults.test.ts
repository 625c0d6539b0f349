import { randomBytes } from 'node:crypto'
import KeyvRedis from '@keyv/redis'
import Keyv from 'keyv'
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RedisLock, type RedisLockClient } from '../../src/index.js'
import { sleep } from '../support/as-client.js'
import { REDIS_URL, redisOptions } from '../support/backends.js'
import { connect } from '../support/flows.js'
import { type Cluster, sharedBackends, useCluster } from '../support/instances.js'
import type { TokenEndpointFault } from '../support/oauth-server.js'
import { useOAuthSuite } from '../support/suite.js'

/**
 * A failing token endpoint seen by two app instances in child processes, behind a round-robin
 * balancer, on one Redis and then on one PostgreSQL (store and lock): the real oidc-provider, switched
 * to answer 503 or to hang.
 */

const PROVIDER_TIMEOUT_MS = 1500
/** The access-token lifetime the server gives, and its token endpoint's fault: switched by the tests. */
const lifetime = { seconds: 3600 }
let fault: TokenEndpointFault | undefined
const suite = useOAuthSuite({ accessTokenTtl: () => lifetime.seconds, tokenEndpointFault: () => fault })
const quiet = { warn: () => undefined, error: () => undefined }

const unavailable = (headers: Record<string, string> = {}): TokenEndpointFault => ({
  status: 503,
  headers,
  body: { error: 'temporarily_unavailable' },
})

interface TokenAnswer {
  status: number
  token: string | undefined
  code: string | undefined
  retryAfter: string | null
  refreshHeader: string | null
}

let cluster: Cluster

async function tokenOf(owner: string, id: string): Promise<TokenAnswer> {
  const response = await fetch(`${cluster.mount}/connections/${id}/token`, { headers: { 'x-user': owner } })
  const body = (await response.json()) as { data?: { accessToken: string }; error?: { code: string } }
  return {
    status: response.status,
    token: body.data?.accessToken,
    code: body.error?.code,
    retryAfter: response.headers.get('retry-after'),
    refreshHeader: response.headers.get('x-token-refresh'),
  }
}

/** Asks until a token comes back (the backoff ends by itself once the endpoint answers again). */
async function untilServed(owner: string, id: string): Promise<TokenAnswer> {
  const deadline = Date.now() + 20_000
  for (;;) {
    const answer = await tokenOf(owner, id)
    if (answer.status === 200 || Date.now() > deadline) return answer
    await sleep(250)
  }
}

/** A connection whose access token lives `seconds` (the lifetime is restored afterwards). */
async function connectWithLifetime(owner: string, seconds: number): Promise<string> {
  lifetime.seconds = seconds
  try {
    return await connect(cluster, owner)
  } finally {
    lifetime.seconds = 3600
  }
}

describe.each(sharedBackends)('two instances on one $name', (backend) => {
  const run = useCluster(backend, suite, { providerTimeoutMs: PROVIDER_TIMEOUT_MS })
  beforeAll(() => {
    cluster = run.cluster
  })

  afterAll(() => {
    fault = undefined
  })

  describe('a token whose early refresh fails', () => {
    it('is served while it has life left, on both instances, with X-Token-Refresh: failed', async () => {
      // 4 s of life: the refresh is due in its last 2 s (half its lifetime).
      const id = await connectWithLifetime('ana', 4)
      const fresh = await tokenOf('ana', id)
      expect(fresh).toMatchObject({ status: 200, refreshHeader: null })
      await sleep(2300)
      fault = unavailable()
      try {
        const served = [await tokenOf('ana', id), await tokenOf('ana', id)]
        expect(served).toEqual([
          { status: 200, token: fresh.token, code: undefined, retryAfter: null, refreshHeader: 'failed' },
          { status: 200, token: fresh.token, code: undefined, retryAfter: null, refreshHeader: 'failed' },
        ])
        // Once it has expired there is nothing to serve.
        await sleep(1900)
        expect(await tokenOf('ana', id)).toMatchObject({ status: 502, code: 'provider_error' })
      } finally {
        fault = undefined
      }
      const renewed = await untilServed('ana', id)
      expect(renewed).toMatchObject({ status: 200, refreshHeader: null })
      expect(renewed.token).not.toBe(fresh.token)
    }, 40_000)
  })

  describe('a token endpoint that hangs', () => {
    it('is asked once: requests on both instances share the failed refresh instead of each trying again', async () => {
      const id = await connectWithLifetime('bob', 1)
      await sleep(1100)
      const before = suite.oauth.faults.answered
      fault = { hangMs: 4 * PROVIDER_TIMEOUT_MS }
      try {
        // 20 at once, alternating between the instances: one holds the lock while the provider hangs,
        // the others wait for it and then take its outcome.
        const answers = await Promise.all(Array.from({ length: 20 }, () => tokenOf('bob', id)))
        expect(answers.map((a) => `${a.status} ${a.code}`)).toEqual(Array(20).fill('502 provider_error'))
        expect(answers.every((a) => Number(a.retryAfter) >= 1)).toBe(true)
        expect(suite.oauth.faults.answered - before).toBe(1)
      } finally {
        fault = undefined
      }
      expect((await untilServed('bob', id)).status).toBe(200)
    }, 40_000)
  })

  describe('a token endpoint answering 503', () => {
    it('honours Retry-After: both instances answer 502 with Retry-After and ask the endpoint once', async () => {
      const id = await connectWithLifetime('cleo', 1)
      await sleep(1100)
      const before = { faults: suite.oauth.faults.answered, refreshes: suite.oauth.grants.refreshToken }
      fault = unavailable({ 'retry-after': '4' })
      try {
        const answers: TokenAnswer[] = []
        for (let round = 0; round < 10; round++) {
          answers.push(...(await Promise.all(Array.from({ length: 4 }, () => tokenOf('cleo', id)))))
        }
        expect(answers.map((a) => `${a.status} ${a.code}`)).toEqual(Array(40).fill('502 provider_error'))
        expect(answers.every((a) => Number(a.retryAfter) >= 1 && Number(a.retryAfter) <= 4)).toBe(true)
        expect(suite.oauth.faults.answered - before.faults).toBe(1)
      } finally {
        fault = undefined
      }
      expect((await untilServed('cleo', id)).status).toBe(200)
      expect(suite.oauth.grants.refreshToken - before.refreshes).toBe(1)
    }, 40_000)

    it('opens the circuit after five failures in a row: other connections fail at once, without a call', async () => {
      lifetime.seconds = 1
      const ids = await Promise.all(Array.from({ length: 8 }, (_, i) => connect(cluster, 'dan', `dan-${i}`)))
      lifetime.seconds = 3600
      await sleep(1100)
      const before = suite.oauth.faults.answered
      fault = unavailable()
      try {
        // Two rounds over the eight connections, one request after the other, alternating instances.
        const answers: TokenAnswer[] = []
        for (const _round of [1, 2]) for (const id of ids) answers.push(await tokenOf('dan', id))
        expect(answers.map((a) => `${a.status} ${a.code}`)).toEqual(Array(16).fill('502 provider_error'))
        expect(answers.every((a) => Number(a.retryAfter) >= 1)).toBe(true)
        expect(suite.oauth.faults.answered - before).toBe(5)
      } finally {
        fault = undefined
      }
    }, 40_000)
  })
})

describe('connections.getAccessToken (server code) on Redis', () => {
  it('returns a token with life left and says its refresh failed', async () => {
    const client = await createClient({ url: REDIS_URL }).connect()
    const store = new Keyv({
      store: new KeyvRedis(redisOptions.connect(REDIS_URL), redisOptions.adapter),
      namespace: `faults_app_${randomBytes(6).toString('hex')}`,
    })
    try {
      const app = await suite.appWith({
        keyv: store,
        lock: new RedisLock({ client: client as unknown as RedisLockClient }),
        logger: quiet,
      })
      lifetime.seconds = 4
      const id = await connect(app, 'eve').finally(() => {
        lifetime.seconds = 3600
      })
      const fresh = await app.router.connections.getAccessToken('eve', id)
      expect(fresh.refreshError).toBeUndefined()
      await sleep(2300)
      fault = unavailable({ 'retry-after': '7' })
      const served = await app.router.connections.getAccessToken('eve', id).finally(() => {
        fault = undefined
      })
      expect(served.accessToken).toBe(fresh.accessToken)
      expect(served.refreshError).toEqual({
        code: 'provider_error',
        message: 'Local OAuth could not refresh the token (temporarily_unavailable).',
        retryAfterSeconds: 7,
      })
    } finally {
      await store.clear().finally(() => store.disconnect())
      await client.quit()
    }
  })
})
