import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { ownerKey } from '../../src/storage/keys.js'
import { connect } from '../support/flows.js'
import { useOAuthSuite } from '../support/suite.js'

const suite = useOAuthSuite()

/** The raw key of an audit entry in the test app's Map (Keyv's namespace prefix included). */
const ownerEntryKey = (owner: string, seq: number) => `keyv:audit:owner:${ownerKey(owner)}:${seq}`

describe('connections.verifyAudit', () => {
  it('finds the trail intact after connect, token and revoke, and not after an entry is edited in the store', async () => {
    const app = await suite.appWith()
    const id = await connect(app, 'ana')
    await app.router.connections.getAccessToken('ana', id)
    await app.router.connections.revoke('ana', id)

    const intact = { checked: 3, intact: true, problems: [], head: anyHead(3) }
    expect(await app.router.connections.verifyAudit('ana')).toEqual(intact)
    expect(await app.router.connections.verifyAudit('ana', { connectionId: id })).toEqual(intact)

    // The chain stays in the store: entries come back exactly as before, over HTTP and from server code.
    const fields = ['action', 'actor', 'at', 'connectionId', 'detail', 'id', 'outcome', 'provider']
    const onlyPublic = (entry: object) => Object.keys(entry).every((name) => fields.includes(name))
    const page = await app.router.connections.audit('ana')
    expect(page.entries.map((e) => e.action)).toEqual(['revoked', 'token', 'created'])
    expect(page.entries.every(onlyPublic)).toBe(true)
    const listed = await request(app.url).get('/integrations/audit').set('x-user', 'ana')
    expect(listed.body.data).toEqual(page.entries)
    expect(listed.body.data.every(onlyPublic)).toBe(true)

    // Someone with write access to the store rewrites who took the token.
    const key = ownerEntryKey('ana', 2)
    const stored = JSON.parse(app.raw.get(key) as string) as { value: { actor: string } }
    expect(stored.value.actor).toBe('server')
    stored.value.actor = 'ana'
    app.raw.set(key, JSON.stringify(stored))
    expect(await app.router.connections.verifyAudit('ana')).toEqual({
      checked: 3,
      intact: false,
      problems: [{ seq: 2, problem: 'modified' }],
      head: anyHead(3),
    })
    // The connection's own stream was not touched.
    expect(await app.router.connections.verifyAudit('ana', { connectionId: id })).toEqual(intact)
  })

  it("refuses another owner's connection as not found, and a malformed option as invalid", async () => {
    const app = await suite.appWith()
    const id = await connect(app, 'ana')
    await expect(app.router.connections.verifyAudit('mallory', { connectionId: id })).rejects.toMatchObject({
      code: 'not_found',
    })
    await expect(app.router.connections.verifyAudit('ana', { connectionId: 'nope' })).rejects.toMatchObject({
      code: 'invalid_request',
    })
    expect(await app.router.connections.verifyAudit('mallory')).toEqual({
      checked: 0,
      intact: true,
      problems: [],
      head: null,
    })
    await expect(
      app.router.connections.verifyAudit('ana', { anchor: { seq: 0, mac: 'x' } }),
    ).rejects.toMatchObject({ code: 'invalid_request' })
  })

  it('with an anchor kept outside the store, finds the newest entries removed together with the counter (P18)', async () => {
    const app = await suite.appWith({ tokenAuditIntervalMs: 0 })
    const id = await connect(app, 'ana')
    await app.router.connections.getAccessToken('ana', id)
    const { head: anchor } = await app.router.connections.verifyAudit('ana')
    expect(anchor).toEqual(anyHead(2))
    await app.router.connections.getAccessToken('ana', id)
    await app.router.connections.revoke('ana', id)
    const later = await app.router.connections.verifyAudit('ana', { anchor: anchor ?? undefined })
    expect(later).toMatchObject({ checked: 4, intact: true, problems: [], head: anyHead(4) })

    // Someone with write access removes the last three entries and winds the counter back to 1: the
    // chain alone cannot tell (the trail just looks shorter) ...
    for (const seq of [2, 3, 4]) app.raw.delete(ownerEntryKey('ana', seq))
    const headKey = `keyv:audit:owner:${ownerKey('ana')}:head`
    const counter = JSON.parse(app.raw.get(headKey) as string) as { value: number }
    counter.value = 1
    app.raw.set(headKey, JSON.stringify(counter))
    expect(await app.router.connections.verifyAudit('ana')).toMatchObject({ intact: true, problems: [] })
    // ... the anchor can.
    expect(await app.router.connections.verifyAudit('ana', { anchor: anchor ?? undefined })).toEqual({
      checked: 1,
      intact: false,
      problems: [{ seq: 2, problem: 'missing' }],
      head: anyHead(1),
    })

    // An entry put in the anchored place (rewritten and re-chained by whoever holds no key) is not it.
    const first = JSON.parse(app.raw.get(ownerEntryKey('ana', 1)) as string) as { value: unknown }
    app.raw.set(ownerEntryKey('ana', 2), JSON.stringify(first))
    counter.value = 2
    app.raw.set(headKey, JSON.stringify(counter))
    const moved = await app.router.connections.verifyAudit('ana', { anchor: anchor ?? undefined })
    expect(moved.intact).toBe(false)
    expect(moved.problems).toContainEqual({ seq: 2, problem: 'reordered' })
  })
})

/** The head verifyAudit reports: the newest authentic entry's seq and MAC. */
function anyHead(seq: number) {
  return { seq, mac: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) }
}
