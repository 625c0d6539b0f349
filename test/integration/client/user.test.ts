import { describe, expect, it } from 'vitest'
import { ConnectionsClientError, createConnectionsClient } from '../../../src/client/index.js'
import type { TestApp } from '../../support/app.js'
import { customProviderRegistration } from '../../support/fixtures.js'
import { authorizeIn, browserAs, connect } from '../../support/flows.js'
import { useOAuthSuite } from '../../support/suite.js'

const suite = useOAuthSuite()

/** Ana's settings page, in Node: the test app's login reads `x-user`. */
const anaOn = (app: TestApp) => createConnectionsClient({ baseUrl: app.mount, headers: { 'x-user': 'ana' } })

/** What a rejected promise threw, so that its fields can be compared. */
async function thrown(promise: Promise<unknown>): Promise<ConnectionsClientError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ConnectionsClientError)
  return error as ConnectionsClientError
}

describe('the signed-in user’s client against the router', () => {
  it('lists, reads, relabels and revokes a connection; the provider catalogue shows it', async () => {
    const app = await suite.appWith()
    const id = await connect(app, 'ana')
    const ana = anaOn(app)

    const [listed] = await ana.connections.list()
    expect(listed).toMatchObject({ id, provider: 'local', status: 'active' })
    expect(await ana.connections.list({ status: 'revoked' })).toEqual([])
    expect(await ana.providers.list()).toContainEqual(
      expect.objectContaining({ id: 'local', status: 'active' }),
    )

    expect((await ana.connections.label(id, 'Work')).label).toBe('Work')
    expect((await ana.connections.get(id)).label).toBe('Work')

    const revoked = await ana.connections.revoke(id)
    expect(revoked.connection.status).toBe('revoked')
    expect((await ana.connections.get(id)).status).toBe('revoked')
    // Another user sees none of it.
    const bob = createConnectionsClient({ baseUrl: app.mount, headers: { 'x-user': 'bob' } })
    expect(await bob.connections.list()).toEqual([])
    expect(await thrown(bob.connections.get(id))).toMatchObject({ code: 'not_found', status: 404 })
  })

  it('starts a flow, builds connect URLs the router follows, and re-authorizes', async () => {
    const app = await suite.appWith()
    const ana = anaOn(app)
    const pending = await ana.connections.start({ provider: 'local', label: 'Mine' })
    expect(new URL(pending.authorizationUrl).origin).toBe(new URL(suite.oauth.issuer).origin)

    const url = ana.connections.connectUrl('local', { label: 'From a link', params: { team: 'a b' } })
    expect(url).toBe(`${app.mount}/connect/local?label=From+a+link&team=a+b`)
    // A browser on that URL goes through the provider and comes back with a connection.
    const browser = browserAs(app, 'ana')
    const callback = await authorizeIn(browser, app, 'ana', new URL(url).search)
    expect((await browser.request(callback)).status).toBe(200)
    const [made] = await ana.connections.list()
    expect(made?.label).toBe('From a link')

    const again = await ana.connections.reauth(made?.id ?? '')
    expect(again.authorizationUrl).toMatch(/^http/)
  })

  it('manages agents, policies and the audit trail, page by page', async () => {
    const app = await suite.appWith()
    const id = await connect(app, 'ana')
    const ana = anaOn(app)

    const { agent, key } = await ana.agents.create('Support bot')
    expect(key).toMatch(/^ak_/)
    expect(await ana.agents.list()).toEqual([expect.objectContaining({ id: agent.id, name: 'Support bot' })])
    const rotated = await ana.agents.rotateKey(agent.id)
    expect(rotated.key).not.toBe(key)

    const policy = await ana.policies.create({
      connectionId: id,
      agentId: agent.id,
      defaultMode: 'read_only',
    })
    expect(policy).toMatchObject({ connectionId: id, agentId: agent.id, allowedModels: ['B'] })
    expect(await ana.policies.get(policy.id)).toEqual(policy)
    const updated = await ana.policies.update(policy.id, {
      defaultMode: 'read_write',
      allowlists: [{ method: 'get', path: '/issues/*' }],
    })
    expect(updated.allowlists).toEqual([{ method: 'GET', path: '/issues/*' }])
    expect(await ana.policies.list({ agentId: agent.id })).toEqual([updated])
    expect((await ana.connections.get(id)).policies).toEqual([updated])
    // Constraints of another family than the connection's are refused, with the router's words.
    const wrongFamily = await thrown(
      ana.policies.setProviderConstraints(policy.id, { telegram: { chatIds: [1] } }),
    )
    expect(wrongFamily.status).toBeGreaterThanOrEqual(400)
    expect(wrongFamily.message).not.toBe('')

    expect(await ana.policies.remove(policy.id)).toEqual({ deleted: policy.id })
    expect(await ana.agents.remove(agent.id)).toEqual({ deleted: agent.id })

    const first = await ana.audit.page({ limit: 2 })
    expect(first.entries).toHaveLength(2)
    expect(first.nextCursor).toEqual(expect.any(String))
    const all = []
    for await (const entry of ana.audit.entries({ limit: 2 })) all.push(entry.action)
    expect(all.slice(0, 2)).toEqual(first.entries.map((e) => e.action))
    // Page after page, the same trail as one big page, in the same order.
    const whole = await ana.audit.page({ limit: 200 })
    expect(whole.nextCursor).toBeNull()
    expect(all).toEqual(whole.entries.map((e) => e.action))
    expect(all).toEqual(
      expect.arrayContaining(['created', 'policy_created', 'policy_updated', 'policy_deleted']),
    )
    expect(all.length).toBeGreaterThan(3)
  })

  it('registers, lists and removes a custom provider; its client secret never comes back', async () => {
    const app = await suite.appWith({
      authorize: ({ req, action }) => action !== 'admin' || req.get('x-admin') === 'yes',
      customProviderUrls: (url) => url.hostname === '127.0.0.1',
    })
    const admin = createConnectionsClient({
      baseUrl: app.mount,
      headers: { 'x-user': 'ana', 'x-admin': 'yes' },
    })
    const input = customProviderRegistration(suite.oauth, 'acme-sso')
    const saved = await admin.customProviders.save(input)
    expect(saved).toMatchObject({ slug: 'acme-sso', name: 'Acme SSO', clientId: input.clientId })
    expect(await admin.customProviders.list()).toEqual([saved])
    expect(JSON.stringify(await admin.customProviders.list())).not.toContain(input.clientSecret)
    // Not an admin: the router's forbidden, as the client's error.
    expect(await thrown(anaOn(app).customProviders.list())).toMatchObject({ code: 'forbidden', status: 403 })
    expect(await admin.customProviders.remove('acme-sso')).toEqual({ removed: 'acme-sso' })
    expect(await admin.customProviders.list()).toEqual([])
  })

  it('throws one error class with code, status and details; a server that is not there is network_error', async () => {
    const app = await suite.appWith()
    const ana = anaOn(app)
    const invalid = await thrown(ana.connections.start({ provider: 'NOT A PROVIDER' }))
    expect(invalid).toMatchObject({ code: 'invalid_request', status: 400, name: 'ConnectionsClientError' })
    expect(invalid.details).toContainEqual(expect.objectContaining({ path: ['provider'] }))
    expect(await thrown(ana.connections.get('00000000-0000-4000-8000-000000000000'))).toMatchObject({
      code: 'not_found',
      status: 404,
      details: undefined,
    })
    // No login: the router's own answer, not a crash of the client.
    const nobody = createConnectionsClient({ baseUrl: app.mount })
    expect(await thrown(nobody.connections.list())).toMatchObject({ code: 'unauthenticated', status: 401 })

    await app.close()
    const gone = await thrown(ana.connections.list())
    expect(gone).toMatchObject({ code: 'network_error', status: 0 })
    expect(gone.cause).toBeInstanceOf(Error)
  })

  it('reads headers from a function on every call (a host with a rotating CSRF or session token)', async () => {
    const app = await suite.appWith()
    await connect(app, 'ana')
    let calls = 0
    const ana = createConnectionsClient({
      baseUrl: `${app.mount}/`,
      headers: async () => {
        calls++
        return { 'x-user': 'ana' }
      },
    })
    expect(await ana.connections.list()).toHaveLength(1)
    expect(await ana.connections.list()).toHaveLength(1)
    expect(calls).toBe(2)
  })
})
