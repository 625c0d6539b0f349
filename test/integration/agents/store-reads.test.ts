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

describe('the store reads of an agent’s token hand-out', () => {
  it('are the key, then the connection and its policy together (one read each), and nothing else', async () => {
    const { keyv, reads } = recordingStore()
    const app = await suite.appWith({ keyv, providers: [localProvider(suite.oauth)] })
    const connection = await connect(app, 'ana')
    const agent = await createAgent(app)
    await bindPolicy(app, agent, connection, {
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
    })
    const handOut = () =>
      request(app.url).get(`/integrations/connections/${connection}/token`).set(bearer(agent.key))
    // The first hand-out to the agent writes its audit entry; the next ones within a minute do not.
    expect((await handOut()).status).toBe(200)
    reads.length = 0
    expect((await handOut()).status).toBe(200)
    expect(reads.map((read) => read.kind).sort()).toEqual(['agent', 'connection', 'policy-pair'])
    const during = (kind: string) => reads.find((read) => read.kind === kind)?.during ?? []
    expect(during('policy-pair').includes('connection') || during('connection').includes('policy-pair')).toBe(
      true,
    )
  })
})
