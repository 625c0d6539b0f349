import { randomBytes } from 'node:crypto'
import Keyv from 'keyv'
import { describe, expect, it } from 'vitest'
import { createConnectionsRouter } from '../../src/index.js'
import { connect } from '../support/flows.js'
import { useOAuthSuite } from '../support/suite.js'

const suite = useOAuthSuite()
const DAY_MS = 24 * 60 * 60 * 1000

/** The raw Keyv entries of the audit trail, as the Map behind the store holds them. */
function auditEntries(
  raw: Map<string, unknown>,
): Array<{ value: Record<string, unknown>; expires?: number }> {
  return [...raw.entries()]
    .filter(([key]) => /^keyv:audit:.*:\d+$/.test(key))
    .map(([, entry]) => (typeof entry === 'string' ? JSON.parse(entry) : entry))
}

describe('storeMaxTtlMs', () => {
  it('keeps an audit retention longer than the store can hold in the value, not as the store’s TTL', async () => {
    const app = await suite.appWith({ storeMaxTtlMs: 30 * DAY_MS })
    const id = await connect(app, 'ana')
    const stored = auditEntries(app.raw)
    expect(stored.length).toBeGreaterThan(0)
    for (const entry of stored) {
      expect(entry.expires).toBeUndefined()
      const expiresAt = entry.value['~expressConnectionsExpiresAt'] as number
      expect(expiresAt - Date.now()).toBeGreaterThan(89 * DAY_MS)
    }
    const { entries } = await app.router.connections.audit('ana', { connectionId: id })
    expect(entries.map((e) => e.action)).toEqual(['created'])
  })

  it('without it (and on a store with no limit) the retention is the store’s TTL, as before', async () => {
    const app = await suite.appWith()
    await connect(app, 'ana')
    for (const entry of auditEntries(app.raw)) {
      expect(entry.expires).toBeGreaterThan(Date.now() + 89 * DAY_MS)
      expect(entry.value).toHaveProperty('action')
    }
  })

  it('refuses a limit that is not a positive whole number of milliseconds', () => {
    const options = { store: new Keyv(), providers: [], encryptionKey: randomBytes(32).toString('base64') }
    for (const storeMaxTtlMs of [0, -1, 1.5]) {
      expect(() => createConnectionsRouter({ ...options, storeMaxTtlMs })).toThrow(/storeMaxTtlMs/)
    }
  })
})
