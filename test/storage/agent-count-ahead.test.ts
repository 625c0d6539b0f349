import pg from 'pg'
import { createClient } from 'redis'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RateLimitStore } from '../../src/storage/rate-counter.js'
import { bearer, createAgent, owner } from '../support/agent-policy.js'
import { localProvider } from '../support/app.js'
import { sleep } from '../support/as-client.js'
import { DATABASE_URL, REDIS_URL } from '../support/backends.js'
import { watchEvals } from '../support/redis-server.js'
import { connect } from '../support/flows.js'
import { useOAuthSuite } from '../support/suite.js'

/**
 * An agent's token hand-out on a shared rate counter: once this process has let the pair through,
 * the next hand-out's count starts with its reads (Gate.countAhead). Counted exactly as before, and
 * given back whenever the hand-out does not happen.
 */

const suite = useOAuthSuite()

const RULES = {
  allowedModels: ['A'],
  defaultMode: 'read_write',
  stepUpApproval: 'never',
  rateLimits: [{ limit: 3, per: 'minute' }],
}

interface RateClient {
  store: RateLimitStore
  /** When each count was sent: whether the connection's read was still under way. */
  sent: Array<{ readsPending: boolean }>
  close(): Promise<unknown>
}

/** Reads that take a few milliseconds, so that what is sent meanwhile can be told apart. */
let readsPending = 0

const rateClients: Array<{ name: string; open(): Promise<RateClient> }> = [
  {
    name: 'redis',
    async open() {
      const sent: RateClient['sent'] = []
      const client = watchEvals(await createClient({ url: REDIS_URL }).connect(), () =>
        sent.push({ readsPending: readsPending > 0 }),
      )
      return { store: { redis: client }, sent, close: () => client.quit() }
    },
  },
  {
    name: 'postgres',
    async open() {
      const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 4 })
      return { store: { postgres: pool }, sent: [], close: () => pool.end() }
    },
  },
]

describe.each(rateClients)('an agent’s token hand-outs counted on $name', ({ name, open }) => {
  let rates: RateClient
  beforeAll(async () => {
    rates = await open()
  })
  afterAll(() => rates?.close())

  async function agentApp() {
    const { default: Keyv } = await import('keyv')
    const keyv = new Keyv()
    const get = keyv.get.bind(keyv)
    keyv.get = (async (key: string) => {
      readsPending += 1
      try {
        await sleep(5)
        return await get(key)
      } finally {
        readsPending -= 1
      }
    }) as typeof keyv.get
    const app = await suite.appWith({
      keyv,
      providers: [localProvider(suite.oauth)],
      rateLimitStore: rates.store,
      // The host refuses hand-outs that carry this header, after the count started.
      authorize: ({ req }) => req.get('x-refuse') === undefined,
    })
    const connection = await connect(app, 'ana')
    const agent = await createAgent(app)
    const created = await request(app.url)
      .post('/integrations/policies')
      .set(owner)
      .send({ connectionId: connection, agentId: agent.agent.id, ...RULES })
    expect(created.status).toBe(201)
    const policyId = created.body.data.id as string
    const handOut = (key = agent.key, headers: Record<string, string> = {}) =>
      request(app.url).get(`/integrations/connections/${connection}/token`).set(bearer(key)).set(headers)
    const setRules = (rules: object) =>
      request(app.url)
        .put(`/integrations/policies/${policyId}`)
        .set(owner)
        .send({ ...RULES, ...rules })
    return { app, agent, handOut, setRules }
  }

  /** Windows are UTC minutes: start early in one so that a test never spans two. */
  async function earlyInAMinute() {
    const second = new Date().getUTCSeconds()
    if (second > 40) await sleep((61 - second) * 1000)
  }

  it('counts exactly, the count of a known pair sent while its reads are under way', async () => {
    await earlyInAMinute()
    const { handOut } = await agentApp()
    rates.sent.length = 0
    const statuses = []
    for (let i = 0; i < 5; i++) statuses.push((await handOut()).status)
    expect(statuses).toEqual([200, 200, 200, 429, 429])
    if (name === 'redis') {
      // The first hand-out is counted after its policy was read; each later one with its reads.
      expect(rates.sent[0]).toEqual({ readsPending: false })
      expect(rates.sent.slice(1, 3)).toEqual([{ readsPending: true }, { readsPending: true }])
    }
  }, 60_000)

  it('gives the count back when the hand-out does not happen: a host refusal, a policy refusal, a rotated key', async () => {
    await earlyInAMinute()
    const { app, agent, handOut, setRules } = await agentApp()
    expect((await handOut()).status).toBe(200)
    expect((await handOut(agent.key, { 'x-refuse': '1' })).status).toBe(403)
    expect((await handOut()).status).toBe(200)
    // The policy no longer allows a hand-out (model A): refused by the gate, after the count started.
    expect((await setRules({ allowedModels: ['B'] })).status).toBe(200)
    expect((await handOut()).status).toBe(403)
    expect((await setRules({})).status).toBe(200)
    expect((await handOut()).status).toBe(200)
    const rotated = await request(app.url)
      .post(`/integrations/agents/${agent.agent.id}/rotate-key`)
      .set(owner)
    expect(rotated.status).toBe(200)
    expect((await handOut()).status).toBe(401)
    // Three hand-outs happened: the limit is reached, whatever was refused on the way.
    const fresh = rotated.body.data.key as string
    expect((await handOut(fresh)).status).toBe(429)
  }, 60_000)
})
