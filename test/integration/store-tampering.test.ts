import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConnectionRecord, PendingFlow } from '../../src/core/model.js'
import { SecretBox } from '../../src/core/sealed.js'
import { Keyring } from '../../src/crypto/keyring.js'
import type { StoredCustomProvider } from '../../src/storage/custom-providers.js'
import { keys } from '../../src/storage/keys.js'
import { connectionKeys, localProvider, TEST_KEY, type TestApp } from '../support/app.js'
import { storedRecord } from '../support/as-client.js'
import { loginAndConsent } from '../support/browser-client.js'
import { customProviderRegistration } from '../support/fixtures.js'
import { authorizeIn, browserAs, connect, json } from '../support/flows.js'
import { startEchoApi } from '../support/http-fakes.js'
import { useOAuthSuite } from '../support/suite.js'

/**
 * P10, attacker E (SECURITY.md §2.3): someone who can write to the store but holds no key rewrites a
 * stored record to re-route its secrets — a connection's API base or owner, a custom provider's URLs.
 * The secrets are bound to those fields: the record no longer opens, and nothing is sent anywhere.
 */

const suite = useOAuthSuite()

/** Where the attacker would like the tokens to go: records every request it receives. */
let attacker: Awaited<ReturnType<typeof startEchoApi>>
/** The provider's real API, for the control: it does receive the calls of an untouched record. */
let api: Awaited<ReturnType<typeof startEchoApi>>
beforeAll(async () => {
  attacker = await startEchoApi()
  api = await startEchoApi()
})
afterAll(async () => {
  await Promise.all([attacker.close(), api.close()])
})

/** Rewrites a value in the Map behind the app's store, as write access to the database allows. */
function rewrite<T>(app: TestApp, key: string, change: (value: T) => T): void {
  const entry = app.raw.get(`keyv:${key}`)
  expect(entry, key).toBeDefined()
  const parsed = (typeof entry === 'string' ? JSON.parse(entry) : entry) as { value: T }
  parsed.value = change(parsed.value)
  app.raw.set(`keyv:${key}`, typeof entry === 'string' ? JSON.stringify(parsed) : parsed)
}

const rewriteConnection = (app: TestApp, id: string, change: Partial<ConnectionRecord>) =>
  rewrite<ConnectionRecord>(app, keys.connection(id), (record) => ({ ...record, ...change }))

const NOT_SEALED_FOR = /does not match what its stored secrets were sealed for/

describe('a record rewritten in the store without the key (P10)', () => {
  it('a connection whose apiBaseUrl now points elsewhere is refused: the proxy and fetch answer internal_error, and nothing reaches that host', async () => {
    const app = await suite.appWith({
      authorize: () => true,
      providers: [localProvider(suite.oauth, { apiBaseUrl: api.url })],
    })
    const id = await connect(app, 'ana')

    // The control: as stored, the proxy reaches the provider's API with the token.
    const ok = await request(app.url).get(`/integrations/connections/${id}/proxy/me`).set('x-user', 'ana')
    expect(ok.status).toBe(200)
    expect(api.seen.at(-1)?.headers.authorization).toMatch(/^Bearer /)

    rewriteConnection(app, id, { apiBaseUrl: attacker.url })
    const before = attacker.seen.length
    const proxied = await request(app.url)
      .get(`/integrations/connections/${id}/proxy/me`)
      .set('x-user', 'ana')
    expect(proxied.status).toBe(500)
    expect(proxied.body.error).toEqual({ code: 'internal_error', message: 'Something went wrong.' })
    await expect(app.router.connections.fetch('ana', id, '/me')).rejects.toMatchObject({
      name: 'ConnectionsError',
      code: 'internal_error',
      message: expect.stringMatching(NOT_SEALED_FOR),
    })
    // Nor is the token handed out to server code or an agent.
    await expect(app.router.connections.getAccessToken('ana', id)).rejects.toMatchObject({
      code: 'internal_error',
    })
    expect(attacker.seen.length).toBe(before)
    expect(app.logs.join('\n')).toMatch(NOT_SEALED_FOR)

    // Put back as it was, the record opens again: nothing was lost or re-sealed.
    rewriteConnection(app, id, { apiBaseUrl: null })
    expect((await app.router.connections.getAccessToken('ana', id)).accessToken).toBeTruthy()
  })

  it('re-authorizing or connecting the same account again does not adopt an API base rewritten in the store: the new tokens go to the provider’s API', async () => {
    const app = await suite.appWith({
      authorize: () => true,
      providers: [localProvider(suite.oauth, { apiBaseUrl: api.url })],
    })
    const id = await connect(app, 'ana')
    const before = attacker.seen.length
    const callsTheApi = async (path: string) => {
      const response = await app.router.connections.fetch('ana', id, path)
      expect(response.status).toBe(200)
      await response.body?.cancel()
      expect(api.seen.at(-1)?.url).toBe(path)
    }

    // The user sees a broken connection and re-authorizes it…
    rewriteConnection(app, id, { apiBaseUrl: attacker.url })
    const browser = browserAs(app, 'ana')
    const started = await browser.request(`${app.mount}/connections/${id}/reauth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: app.url },
      body: JSON.stringify({}),
    })
    const { authorizationUrl } = ((await started.json()) as { data: { authorizationUrl: string } }).data
    const { callbackUrl } = await loginAndConsent(browser, authorizationUrl, 'ana')
    expect((await browser.request(callbackUrl)).status).toBe(200)
    await callsTheApi('/after-reauth')

    // …or connects the same account again: the same connection.
    rewriteConnection(app, id, { apiBaseUrl: attacker.url })
    expect(await connect(app, 'ana')).toBe(id)
    await callsTheApi('/after-connect')
    expect(attacker.seen.length).toBe(before)
  })

  it('a connection handed to another owner in the store gives that owner no token, over HTTP or from server code', async () => {
    const app = await suite.appWith({ authorize: () => true })
    const id = await connect(app, 'ana')
    rewriteConnection(app, id, { owner: 'mallory' })

    const token = await request(app.url).get(`/integrations/connections/${id}/token`).set('x-user', 'mallory')
    expect(token.status).toBe(500)
    expect(token.body.error).toEqual({ code: 'internal_error', message: 'Something went wrong.' })
    expect(token.body.data).toBeUndefined()
    await expect(app.router.connections.getAccessToken('mallory', id)).rejects.toMatchObject({
      name: 'ConnectionsError',
      code: 'internal_error',
      message: expect.stringMatching(NOT_SEALED_FOR),
    })
    const proxied = await request(app.url)
      .get(`/integrations/connections/${id}/proxy/me`)
      .set('x-user', 'mallory')
    expect(proxied.status).toBe(500)
    // The owner it was sealed for does not get it either while the record names another.
    await expect(app.router.connections.getAccessToken('ana', id)).rejects.toMatchObject({
      code: 'not_found',
    })
  })

  it('a connection moved to another provider in the store is refused', async () => {
    const app = await suite.appWith({
      authorize: () => true,
      providers: [
        localProvider(suite.oauth),
        localProvider(suite.oauth, { id: 'other', name: 'Other', apiBaseUrl: attacker.url }),
      ],
    })
    const id = await connect(app, 'ana')
    rewriteConnection(app, id, { provider: 'other' })
    const before = attacker.seen.length
    await expect(app.router.connections.fetch('ana', id, '/me')).rejects.toMatchObject({
      code: 'internal_error',
      message: expect.stringMatching(NOT_SEALED_FOR),
    })
    expect(attacker.seen.length).toBe(before)
  })

  it('a pending flow given another return URL or label in the store does not complete: nothing is stored, no redirect there', async () => {
    const app = await suite.appWith()
    const browser = browserAs(app, 'ana')
    const returnUrl = `${app.url}/settings`
    const callbackUrl = await authorizeIn(
      browser,
      app,
      'ana',
      `?return_url=${encodeURIComponent(returnUrl)}&label=Work`,
    )
    const state = new URL(callbackUrl).searchParams.get('state') ?? ''
    rewrite<PendingFlow>(app, keys.flow(state), (flow) => ({
      ...flow,
      returnUrl: `${attacker.url}/collect`,
      label: 'Pwned',
    }))

    const response = await browser.request(callbackUrl)
    expect(response.status).toBe(400)
    expect((await json<{ error: { code: string } }>(response)).error.code).toBe('invalid_request')
    expect(response.headers.get('location')).toBeNull()
    expect(connectionKeys(app.raw)).toEqual([])
    expect(await app.router.connections.list('ana')).toEqual([])
  })

  it('an unbound (pre-0.1.0, v1) copy of a connection’s secrets written back opens for nobody, unless acceptUnboundSecrets is set to migrate it', async () => {
    const app = await suite.appWith({ authorize: () => true })
    const id = await connect(app, 'ana')
    const secrets = new SecretBox(new Keyring([TEST_KEY])).open(storedRecord(app.raw, id))
    // What a dump taken before secrets were bound to their record holds: the id alone is bound.
    const unbound = new Keyring([TEST_KEY]).encrypt(JSON.stringify(secrets), `connection:${id}`)
    rewriteConnection(app, id, { owner: 'mallory', secrets: unbound })
    const token = await request(app.url).get(`/integrations/connections/${id}/token`).set('x-user', 'mallory')
    expect(token.status).toBe(500)
    await expect(app.router.connections.getAccessToken('mallory', id)).rejects.toMatchObject({
      code: 'internal_error',
      message: expect.stringMatching(/acceptUnboundSecrets/),
    })
    // Back on its own owner it does not open either, and the sweep reports it rather than binding it.
    rewriteConnection(app, id, { owner: 'ana' })
    await expect(app.router.connections.getAccessToken('ana', id)).rejects.toMatchObject({
      code: 'internal_error',
    })
    expect(await app.router.connections.reencrypt({ owners: ['ana'] })).toMatchObject({
      reencrypted: 0,
      failed: 1,
    })

    // Migrating: the same store under a router that accepts unbound secrets; the sweep binds them.
    const migrating = await suite.appWith({
      authorize: () => true,
      keyv: app.store,
      acceptUnboundSecrets: true,
    })
    expect(await migrating.router.connections.reencrypt({ owners: ['ana'] })).toMatchObject({
      reencrypted: 1,
      failed: 0,
    })
    expect(storedRecord(app.raw, id).secrets?.startsWith('v2.')).toBe(true)
    expect((await app.router.connections.getAccessToken('ana', id)).accessToken).toBe(secrets?.accessToken)
  })

  it('a custom provider whose tokenUrl or authorizationUrl now points elsewhere is left out: no refresh and no connect sends anything there', async () => {
    const app = await suite.appWith({
      authorize: () => true,
      customProviderUrls: (url) => url.hostname === '127.0.0.1',
    })
    suite.oauth.setRedirectUris([`${app.mount}/callback/local`, `${app.mount}/callback/acme-sso`])
    await app.router.connections.customProviders.register('org-1', customProviderRegistration(suite.oauth))
    const browser = browserAs(app, 'org-1')
    const start = await browser.request(`${app.mount}/connect/acme-sso`)
    expect(start.status).toBe(302)
    const { callbackUrl } = await loginAndConsent(browser, start.headers.get('location') ?? '', 'ana')
    const done = await browser.request(callbackUrl)
    expect(done.status).toBe(200)
    const id = ((await done.json()) as { data: { id: string } }).data.id
    const expire = () => rewriteConnection(app, id, { expiresAt: new Date(Date.now() - 1000).toISOString() })

    // The control: an expired token is refreshed at the registered token endpoint.
    const first = await app.router.connections.getAccessToken('org-1', id)
    expire()
    const refreshed = await app.router.connections.getAccessToken('org-1', id)
    expect(refreshed.accessToken).not.toBe(first.accessToken)

    const providerKey = keys.customProvider('org-1', 'acme-sso')
    rewrite<StoredCustomProvider>(app, providerKey, (record) => ({
      ...record,
      tokenUrl: `${attacker.url}/token`,
      authorizationUrl: `${attacker.url}/authorize`,
    }))
    expire()
    const before = attacker.seen.length
    // The provider no longer opens, so it is unknown: the refresh stops before any request.
    await expect(app.router.connections.getAccessToken('org-1', id)).rejects.toMatchObject({
      name: 'ConnectionsError',
      code: 'not_found',
    })
    expect(attacker.seen.length).toBe(before)
    const connectAgain = await request(app.url).get('/integrations/connect/acme-sso').set('x-user', 'org-1')
    expect(connectAgain.status).toBe(404)
    expect(connectAgain.headers.location).toBeUndefined()
    const catalogue = await request(app.url).get('/integrations/providers').set('x-user', 'org-1')
    expect(catalogue.body.data.map((p: { id: string }) => p.id)).toEqual(['local'])
    expect(attacker.seen.length).toBe(before)

    // Its client id is bound too.
    rewrite<StoredCustomProvider>(app, providerKey, (record) => ({
      ...record,
      tokenUrl: suite.oauth.tokenUrl,
      authorizationUrl: suite.oauth.authorizationUrl,
      clientId: 'someone-else',
    }))
    await expect(app.router.connections.getAccessToken('org-1', id)).rejects.toMatchObject({
      name: 'ConnectionsError',
      code: 'not_found',
    })
    expect((await request(app.url).get('/integrations/connect/acme-sso').set('x-user', 'org-1')).status).toBe(
      404,
    )
    expect(attacker.seen.length).toBe(before)
  })
})
