import { randomBytes } from 'node:crypto'
import Keyv from 'keyv'
import request from 'supertest'
import { afterEach, describe, expect, it } from 'vitest'
import { SecretBox } from '../../src/core/sealed.js'
import { Keyring } from '../../src/crypto/keyring.js'
import { startTestApp, TEST_KEY } from '../support/app.js'
import { isActive, storedRecord } from '../support/as-client.js'
import { connect } from '../support/flows.js'
import { useOAuthSuite } from '../support/suite.js'
import { closeTrackerApps, connectTracker, startTrackerFake } from '../support/tool-fixture.js'

const suite = useOAuthSuite()

describe('rotating the encryption key', () => {
  it('after the sweep, the router runs on the new key alone and vends the same tokens', async () => {
    const raw = new Map<string, unknown>()
    const store = () => new Keyv({ store: raw })
    const before = await suite.appWith({ keyv: store(), authorize: () => true })
    const ids = [await connect(before, 'ana', 'ana-1'), await connect(before, 'ana', 'ana-2')]
    const tokens = await Promise.all(ids.map((id) => before.router.connections.getAccessToken('ana', id)))

    const newKey = randomBytes(32).toString('base64')
    const during = await suite.appWith({ keyv: store(), encryptionKey: [newKey, TEST_KEY] })
    const progress: number[] = []
    const report = await during.router.connections.reencrypt({
      owners: (async function* () {
        yield 'ana'
        yield 'bob'
      })(),
      onProgress: (p) => progress.push(p.owners),
    })
    expect(report).toMatchObject({ owners: 2, checked: 2, reencrypted: 2, failed: 0, failures: [] })
    expect(progress).toEqual([1, 2])

    const after = await suite.appWith({ keyv: store(), encryptionKey: newKey, authorize: () => true })
    const vended = await Promise.all(ids.map((id) => after.router.connections.getAccessToken('ana', id)))
    expect(vended.map((t) => t.accessToken)).toEqual(tokens.map((t) => t.accessToken))
  })

  it('a connection sealed with a key no longer configured answers internal_error and says why in the log', async () => {
    const raw = new Map<string, unknown>()
    const before = await suite.appWith({ keyv: new Keyv({ store: raw }) })
    const id = await connect(before, 'ana')
    const after = await suite.appWith({
      keyv: new Keyv({ store: raw }),
      encryptionKey: randomBytes(32).toString('base64'),
      authorize: () => true,
    })
    await expect(after.router.connections.getAccessToken('ana', id)).rejects.toMatchObject({
      name: 'ConnectionsError',
      code: 'internal_error',
      message: expect.stringMatching(/none of the configured encryption keys/),
    })
    const response = await request(after.url)
      .get(`/integrations/connections/${id}/token`)
      .set('x-user', 'ana')
    expect(response.status).toBe(500)
    expect(response.body.error).toEqual({ code: 'internal_error', message: 'Something went wrong.' })
    expect(after.logs.join('\n')).toMatch(/none of the configured encryption keys/)
  })

  it('refuses owners that are not an iterable of non-empty strings', async () => {
    const app = await suite.appWith()
    const { connections } = app.router
    await expect(connections.reencrypt({ owners: 5 as unknown as string[] })).rejects.toMatchObject({
      code: 'invalid_request',
    })
    await expect(connections.reencrypt({ owners: ['ana', ''] })).rejects.toMatchObject({
      code: 'invalid_request',
    })
  })

  describe('revoking after a key rollback (the secrets were sealed with a key no longer configured)', () => {
    async function rolledBack() {
      const raw = new Map<string, unknown>()
      const newKey = randomBytes(32).toString('base64')
      const before = await suite.appWith({
        keyv: new Keyv({ store: raw }),
        encryptionKey: [newKey, TEST_KEY],
      })
      const id = await connect(before, 'ana')
      const tokens = new SecretBox(new Keyring([newKey, TEST_KEY])).open(storedRecord(raw, id))
      // Rolled back to a release configured with the old key alone.
      const after = await suite.appWith({ keyv: new Keyv({ store: raw }), encryptionKey: TEST_KEY })
      const live = async () => [
        await isActive(suite.oauth, tokens?.accessToken ?? ''),
        await isActive(suite.oauth, tokens?.refreshToken ?? ''),
      ]
      expect(await live()).toEqual([true, true])
      return { raw, id, after, live }
    }

    it('is refused with 409 and the reason, changes nothing, and audits the refusal', async () => {
      const { raw, id, after, live } = await rolledBack()
      const sealed = storedRecord(raw, id).secrets
      const response = await request(after.url)
        .post(`/integrations/connections/${id}/revoke`)
        .set('x-user', 'ana')
      expect(response.status).toBe(409)
      expect(response.body.error).toMatchObject({
        code: 'conflict',
        message: expect.stringMatching(/none of the configured encryption keys.*localOnly: true/s),
      })
      await expect(after.router.connections.revoke('ana', id)).rejects.toMatchObject({ code: 'conflict' })
      expect(storedRecord(raw, id)).toMatchObject({ status: 'active', secrets: sealed })
      expect(await live()).toEqual([true, true])
      const { entries } = await after.router.connections.audit('ana', { connectionId: id })
      expect(entries.slice(0, 2)).toEqual([
        expect.objectContaining({ action: 'revoked', outcome: 'failure', actor: 'server' }),
        expect.objectContaining({
          action: 'revoked',
          outcome: 'failure',
          actor: 'ana',
          detail: expect.stringMatching(/^refused: the stored tokens could not be decrypted/),
        }),
      ])
      expect(after.events.map((e) => e.type)).not.toContain('connection.revoked')
    })

    it('with localOnly: true revokes here only and audits that the tokens stay valid at the provider', async () => {
      const { raw, id, after, live } = await rolledBack()
      const invalid = await request(after.url)
        .post(`/integrations/connections/${id}/revoke`)
        .set('x-user', 'ana')
        .send({ localOnly: 'yes' })
      expect(invalid.status).toBe(400)
      const response = await request(after.url)
        .post(`/integrations/connections/${id}/revoke`)
        .set('x-user', 'ana')
        .send({ localOnly: true })
      expect(response.status).toBe(200)
      expect(response.body.data.connection).toMatchObject({ id, status: 'revoked' })
      expect(storedRecord(raw, id).secrets).toBeNull()
      // Still live at the authorization server: what the audit entry says.
      expect(await live()).toEqual([true, true])
      const { entries } = await after.router.connections.audit('ana', { connectionId: id })
      expect(entries[0]).toMatchObject({
        id: response.body.data.auditId,
        action: 'revoked',
        outcome: 'success',
        detail: expect.stringMatching(/could not be decrypted, so they were not revoked at the provider/),
      })
    })

    it('server code forces it with connections.revoke(owner, id, { localOnly: true })', async () => {
      const { id, after, live } = await rolledBack()
      const result = await after.router.connections.revoke('ana', id, { localOnly: true })
      expect(result.connection.status).toBe('revoked')
      expect(await live()).toEqual([true, true])
    })
  })
})

describe('rotating the encryption key, with tool settings', () => {
  afterEach(closeTrackerApps)

  it('the sweep seals each connection’s tool settings again: after it, they open under the new key alone', async () => {
    const raw = new Map<string, unknown>()
    const fake = await startTrackerFake()
    const before = await connectTracker({ fake, keyv: new Keyv({ store: raw }) })
    const tools = `/integrations/connections/${before.id}/tools`
    const patched = await request(before.app.url)
      .patch(`${tools}/create_item`)
      .set('x-user', 'ana')
      .send({ inputDefaults: { project: 'acme' }, pinnedFields: ['project'] })
    expect(patched.status, JSON.stringify(patched.body)).toBe(200)

    const newKey = randomBytes(32).toString('base64')
    const during = await startTestApp(null, {
      keyv: new Keyv({ store: raw }),
      providers: [before.provider],
      encryptionKey: [newKey, TEST_KEY],
    })
    try {
      const report = await during.router.connections.reencrypt({ owners: ['ana'] })
      // The connection's secrets and its tool settings.
      expect(report).toMatchObject({ checked: 2, reencrypted: 2, failed: 0, failures: [] })
      const again = await during.router.connections.reencrypt({ owners: ['ana'] })
      expect(again).toMatchObject({ checked: 2, reencrypted: 0, failed: 0 })
    } finally {
      await during.close()
    }

    const after = await startTestApp(null, {
      keyv: new Keyv({ store: raw }),
      providers: [before.provider],
      encryptionKey: newKey,
      authorize: () => true,
    })
    try {
      const listed = await request(after.url)
        .get(`/integrations/connections/${before.id}/tools`)
        .set('x-user', 'ana')
      expect(listed.status, JSON.stringify(listed.body)).toBe(200)
      const create = listed.body.data.find((t: { slug: string }) => t.slug === 'create_item')
      expect(create).toMatchObject({ inputDefaults: { project: 'acme' }, pinnedFields: ['project'] })
    } finally {
      await after.close()
    }
  })
})
