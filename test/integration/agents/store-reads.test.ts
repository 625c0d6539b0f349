import Keyv from 'keyv'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { bearer, bindPolicy, createAgent } from '../../support/agent-policy.js'
import { localProvider } from '../../support/app.js'
import { connect } from '../../support/flows.js'
import { useOAuthSuite } from '../../support/suite.js'

const suite = useOAuthSuite()

interface Read {
  /** The key's kind: `agent`, `connection`, `policy-pair`, `policy`, … */
  kind: string
  /** Kinds whose read was still under way when this one started. */
  during: string[]
}

/** A Keyv whose every read takes a few milliseconds and is written down, with what overlapped it. */
function recordingStore(): { keyv: Keyv; reads: Read[] } {
  const keyv = new Keyv()
  const reads: Read[] = []
  const pending = new Set<string>()
  const get = keyv.get.bind(keyv)
  keyv.get = (async (key: string) => {
    const kind = key.split(':')[0] ?? key
    reads.push({ kind, during: [...pending] })
    pending.add(kind)
    try {
      await new Promise((resolve) => setTimeout(resolve, 5))
      return await get(key)
    } finally {
      pending.delete(kind)
    }
  }) as typeof keyv.get
  return { keyv, reads }
}

const RULES: Parameters<typeof bindPolicy>[3] = {
  allowedModels: ['A'],
  defaultMode: 'read_write',
  stepUpApproval: 'never',
  rateLimits: [{ limit: 100, per: 'minute' }],
  timeWindows: [
    {
      days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
      start: '00:00',
      end: '24:00',
      timeZone: 'UTC',
    },
  ],
}

async function agentOnConnection(keyv: Keyv) {
  const app = await suite.appWith({ keyv, providers: [localProvider(suite.oauth)] })
  const connection = await connect(app, 'ana')
  const agent = await createAgent(app)
  await bindPolicy(app, agent, connection, { ...RULES })
  const handOut = () =>
    request(app.url).get(`/integrations/connections/${connection}/token`).set(bearer(agent.key))
  return { app, connection, agent, handOut }
}

/** The kinds read, and whether all of them were under way at once (one round trip on a network store). */
function shape(reads: Read[]) {
  const kinds = reads.map((read) => read.kind).sort()
  const together = reads.every((read, at) => read.during.length === at)
  return { kinds, together }
}

describe('the store reads of an agent’s token hand-out', () => {
  it('are the key, the connection and its policy, all three at once once the process knows the agent', async () => {
    const { keyv, reads } = recordingStore()
    const { handOut } = await agentOnConnection(keyv)
    // The first hand-out to the agent writes its audit entry; the next ones within a minute do not.
    expect((await handOut()).status).toBe(200)
    reads.length = 0
    expect((await handOut()).status).toBe(200)
    expect(shape(reads)).toEqual({ kinds: ['agent', 'connection', 'policy-pair'], together: true })
  })

  it('are the key, then the connection and its policy together, for an agent this process has not seen', async () => {
    const { keyv, reads } = recordingStore()
    const { agent, connection } = await agentOnConnection(keyv)
    // Another instance on the same store: it knows nothing of the agent yet.
    const other = await suite.appWith({ keyv, providers: [localProvider(suite.oauth)] })
    reads.length = 0
    const answer = await request(other.url)
      .get(`/integrations/connections/${connection}/token`)
      .set(bearer(agent.key))
    expect(answer.status).toBe(200)
    const kinds = reads
      .filter((read) => read.kind !== 'audit' && read.kind !== 'lock')
      .map((read) => read.kind)
    expect(kinds[0]).toBe('agent')
    expect(kinds.slice(1, 3).sort()).toEqual(['connection', 'policy-pair'])
    const during = (kind: string) => reads.find((read) => read.kind === kind)?.during ?? []
    expect(during('connection')).not.toContain('agent')
    expect(during('policy-pair').includes('connection') || during('connection').includes('policy-pair')).toBe(
      true,
    )
  })

  it('started before the key is checked are never used for a key that stopped working', async () => {
    const { keyv } = recordingStore()
    const { app, agent, connection, handOut } = await agentOnConnection(keyv)
    const asOwner = { 'x-user': 'ana' }
    const withKey = (key: string) =>
      request(app.url).get(`/integrations/connections/${connection}/token`).set(bearer(key))
    expect((await handOut()).status).toBe(200)
    const rotation = await request(app.url)
      .post(`/integrations/agents/${agent.agent.id}/rotate-key`)
      .set(asOwner)
    expect(rotation.status).toBe(200)
    const rotated = await handOut()
    expect(rotated.status).toBe(401)
    expect(rotated.text).not.toContain('access_token')
    expect((await withKey(rotation.body.data.key)).status).toBe(200)
    const deleted = await request(app.url).delete(`/integrations/agents/${agent.agent.id}`).set(asOwner)
    expect(deleted.status).toBeLessThan(300)
    expect((await withKey(rotation.body.data.key)).status).toBe(401)
  })
})
