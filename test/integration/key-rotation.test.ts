import { randomBytes } from 'node:crypto'
import Keyv from 'keyv'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { TEST_KEY } from '../support/app.js'
import { connect } from '../support/flows.js'
import { useOAuthSuite } from '../support/suite.js'

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
})
