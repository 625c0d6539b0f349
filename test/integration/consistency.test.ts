import Keyv from 'keyv'
import { describe, expect, it } from 'vitest'
import type { ConnectionRecord } from '../../src/core/model.js'
import { Keyring } from '../../src/crypto/keyring.js'
import { localProvider, TEST_KEY } from '../support/app.js'
import { FaultyStore } from '../support/faulty-store.js'
import { authorizeIn, browserAs, connect } from '../support/flows.js'
import { useOAuthSuite } from '../support/suite.js'

const suite = useOAuthSuite()

function storedAccessToken(faulty: FaultyStore, id: string): string {
  const entry = faulty.data.get(`keyv:connection:${id}`)
  const record = (JSON.parse(String(entry)) as { value: ConnectionRecord }).value
  const secrets = new Keyring([TEST_KEY]).decrypt(record.secrets ?? '', `connection:${id}`)
  return (JSON.parse(secrets) as { accessToken: string }).accessToken
}

describe('consistency', () => {
  it("keeps connections when the host's Keyv has a default ttl", async () => {
    const app = await suite.appWith({ keyv: new Keyv({ store: new Map(), ttl: 50 }) })
    const id = await connect(app, 'ana')
    await new Promise((resolve) => setTimeout(resolve, 120))
    expect((await app.router.connections.list('ana')).map((c) => c.id)).toEqual([id])
  })

  it('connecting the same account again updates its connection instead of adding a row', async () => {
    const app = await suite.appWith()
    const first = await connect(app, 'ana')
    const again = await connect(app, 'ana')
    const other = await connect(app, 'ana', 'ana-work')
    expect(again).toBe(first)
    expect(other).not.toBe(first)
    expect(await app.router.connections.list('ana')).toHaveLength(2)
    expect(app.events.map((e) => e.type)).toEqual([
      'connection.created',
      'connection.reauthorized',
      'connection.created',
    ])
  })

  it('a relabel racing a reconnect loses neither the new label nor the new tokens', async () => {
    const faulty = new FaultyStore()
    const app = await suite.appWith({
      keyv: new Keyv({ store: faulty }),
      providers: [localProvider(suite.oauth, { id: 'local-one', singleton: true })],
    })
    const id = await connect(app, 'ana', 'ana', 'local-one')
    const browser = browserAs(app, 'ana')
    const callbackUrl = await authorizeIn(browser, app, 'ana-2', '', 'local-one')
    // Hold the reconnect's write of the record, and relabel meanwhile: without a lock the relabel
    // writes the old tokens back, or the reconnect the old label.
    let relabel: Promise<unknown> | undefined
    faulty.beforeCall = (operation, key) => {
      if (operation !== 'set' || !key.endsWith(`connection:${id}`) || relabel) return undefined
      relabel = app.router.connections.updateLabel('ana', id, 'Renamed')
      return new Promise((resolve) => setTimeout(resolve, 100))
    }
    const callback = await browser.request(callbackUrl)
    await relabel
    faulty.beforeCall = undefined
    expect(relabel).toBeDefined()
    expect(callback.status).toBe(200)
    const [connection] = await app.router.connections.list('ana')
    expect(connection).toMatchObject({ id, label: 'Renamed', accountEmail: 'ana-2@example.com' })
    expect(storedAccessToken(faulty, id)).toBe(suite.oauth.lastTokens()?.access_token)
  })

  it('asks for the provider’s scopes when ?scopes= is empty', async () => {
    const app = await suite.appWith()
    const start = await browserAs(app, 'ana').request(`${app.mount}/connect/local?scopes=`)
    expect(new URL(start.headers.get('location') ?? '').searchParams.get('scope')).toBe(
      'openid email offline_access',
    )
  })
})
