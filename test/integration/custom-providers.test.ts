import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { dump, type TestApp, type TestAppOptions } from '../support/app.js'
import { loginAndConsent } from '../support/browser-client.js'
import { customProviderRegistration } from '../support/fixtures.js'
import { browserAs } from '../support/flows.js'
import { useOAuthSuite } from '../support/suite.js'

const suite = useOAuthSuite()

/** Admins are whoever sends x-admin; the test server's URLs are http on 127.0.0.1. */
function appWithAdmin(options: TestAppOptions = {}): Promise<TestApp> {
  return suite.appWith({
    ...options,
    authorize: ({ req, action }) => action !== 'admin' || req.get('x-admin') === 'yes',
    customProviderUrls: (url) => url.hostname === '127.0.0.1',
  })
}

function registration(slug = 'acme-sso') {
  return customProviderRegistration(suite.oauth, slug)
}

describe('custom providers registered at runtime', () => {
  it('register → connect end to end → list → remove, with the secret never shown or stored in plaintext', async () => {
    const app = await appWithAdmin()
    suite.oauth.setRedirectUris([`${app.mount}/callback/local`, `${app.mount}/callback/acme-sso`])
    const admin = { 'x-user': 'org-1', 'x-admin': 'yes' }

    const created = await request(app.url)
      .post('/integrations/custom-providers')
      .set(admin)
      .send(registration())
    expect(created.status).toBe(201)
    expect(created.body.data).toMatchObject({
      slug: 'acme-sso',
      name: 'Acme SSO',
      clientId: suite.oauth.clientId,
    })
    expect(created.text).not.toContain(suite.oauth.clientSecret)

    const catalogue = await request(app.url).get('/integrations/providers').set('x-user', 'org-1')
    expect(catalogue.body.data.map((p: { id: string }) => p.id)).toEqual(['local', 'acme-sso'])

    // Someone of org-1 connects through it in the browser.
    const browser = browserAs(app, 'org-1')
    const start = await browser.request(`${app.mount}/connect/acme-sso`)
    expect(start.status).toBe(302)
    const { callbackUrl } = await loginAndConsent(browser, start.headers.get('location') ?? '', 'ana')
    const done = await browser.request(callbackUrl)
    expect(done.status).toBe(200)
    const connection = (
      (await done.json()) as { data: { id: string; provider: string; accountEmail: string } }
    ).data
    expect(connection).toMatchObject({ provider: 'acme-sso', accountEmail: 'ana@example.com' })
    const token = await app.router.connections.getAccessToken('org-1', connection.id)
    expect(token.accessToken).toBe(suite.oauth.lastTokens()?.access_token)

    const listed = await request(app.url).get('/integrations/custom-providers').set(admin)
    expect(listed.body.data).toHaveLength(1)
    expect(listed.text).not.toContain(suite.oauth.clientSecret)
    expect(dump(app.raw)).not.toContain(suite.oauth.clientSecret)

    // Not removable while a connection uses it; removable once that is revoked.
    const refused = await request(app.url).delete('/integrations/custom-providers/acme-sso').set(admin)
    expect(refused.status).toBe(409)
    await app.router.connections.revoke('org-1', connection.id)
    const removed = await request(app.url).delete('/integrations/custom-providers/acme-sso').set(admin)
    expect(removed.status).toBe(200)
    const after = await request(app.url).get('/integrations/providers').set('x-user', 'org-1')
    expect(after.body.data.map((p: { id: string }) => p.id)).toEqual(['local'])
    expect((await request(app.url).get('/integrations/connect/acme-sso').set('x-user', 'org-1')).status).toBe(
      404,
    )
  })

  it.each([
    ['names another server', 'https://evil.example', 403],
    ['is missing, where requireIss says it always comes', null, 403],
    ['names the registered issuer', 'issuer', 200],
  ])(
    'with an issuer registered, a callback whose iss %s answers %s (RFC 9207)',
    async (_name, iss, status) => {
      const app = await appWithAdmin()
      suite.oauth.setRedirectUris([`${app.mount}/callback/acme-sso`])
      const admin = { 'x-user': 'org-1', 'x-admin': 'yes' }
      const created = await request(app.url)
        .post('/integrations/custom-providers')
        .set(admin)
        .send({ ...registration(), issuer: suite.oauth.issuer, requireIss: true })
      expect(created.body.data).toMatchObject({ issuer: suite.oauth.issuer, requireIss: true })
      const browser = browserAs(app, 'org-1')
      const start = await browser.request(`${app.mount}/connect/acme-sso`)
      const { callbackUrl } = await loginAndConsent(browser, start.headers.get('location') ?? '', 'ana')
      const callback = new URL(callbackUrl)
      if (iss === null) callback.searchParams.delete('iss')
      else if (iss !== 'issuer') callback.searchParams.set('iss', iss)
      expect((await browser.request(callback)).status).toBe(status)
      expect(await app.router.connections.list('org-1')).toHaveLength(status === 200 ? 1 : 0)
    },
  )

  it('belongs to its owner only: another owner neither sees nor uses it', async () => {
    const app = await appWithAdmin()
    await app.router.connections.customProviders.register('org-1', registration())
    const other = await request(app.url).get('/integrations/providers').set('x-user', 'org-2')
    expect(other.body.data.map((p: { id: string }) => p.id)).toEqual(['local'])
    const connect = await request(app.url).get('/integrations/connect/acme-sso').set('x-user', 'org-2')
    expect(connect.status).toBe(404)
    expect(await app.router.connections.customProviders.list('org-2')).toEqual([])
  })

  it('keeps a slug, so its callback URL, to one owner: another gets 409 until the first removes it', async () => {
    const app = await appWithAdmin()
    const { customProviders } = app.router.connections
    await customProviders.register('org-1', registration())
    await expect(customProviders.register('org-2', registration())).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/taken by another organisation/),
    })
    expect(await customProviders.list('org-2')).toEqual([])
    // The owner may update it, and once it is removed the slug is free again.
    await customProviders.register('org-1', { ...registration(), name: 'Acme SSO 2' })
    await customProviders.remove('org-1', 'acme-sso')
    expect((await customProviders.register('org-2', registration())).slug).toBe('acme-sso')
  })

  it('is refused without the admin action, for a reserved slug, and for URLs outside the policy', async () => {
    const app = await appWithAdmin()
    const before = dump(app.raw)
    const notAdmin = await request(app.url)
      .post('/integrations/custom-providers')
      .set('x-user', 'org-1')
      .send(registration())
    expect(notAdmin.status).toBe(403)
    for (const slug of ['gmail', 'github', 'local', 'telegram']) {
      const reserved = await request(app.url)
        .post('/integrations/custom-providers')
        .set({ 'x-user': 'org-1', 'x-admin': 'yes' })
        .send(registration(slug))
      expect(reserved.status, slug).toBe(409)
    }
    const internal = await request(app.url)
      .post('/integrations/custom-providers')
      .set({ 'x-user': 'org-1', 'x-admin': 'yes' })
      .send({ ...registration(), tokenUrl: 'http://169.254.169.254/latest/meta-data' })
    expect(internal.status).toBe(400)
    expect(internal.body.error.message).toMatch(/tokenUrl/)
    expect(internal.text).not.toContain(suite.oauth.clientSecret)
    const bad = await request(app.url)
      .post('/integrations/custom-providers')
      .set({ 'x-user': 'org-1', 'x-admin': 'yes' })
      .send({ ...registration(), clientSecret: '' })
    expect(bad.status).toBe(400)
    expect(dump(app.raw)).toBe(before)
  })

  it('is refused by default: the admin action needs the host’s explicit yes', async () => {
    const app = await suite.appWith()
    const response = await request(app.url).get('/integrations/custom-providers').set('x-user', 'org-1')
    expect(response.status).toBe(403)
  })

  it('by default refuses URLs on this machine or a private network, from HTTP and from server code', async () => {
    const app = await suite.appWith({ authorize: () => true })
    for (const tokenUrl of [
      suite.oauth.tokenUrl,
      'https://127.0.0.1/token',
      'https://10.1.2.3/token',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]/token',
      'https://localhost/token',
      'https://metadata.internal/token',
    ]) {
      const response = await request(app.url)
        .post('/integrations/custom-providers')
        .set('x-user', 'org-1')
        .send({ ...registration(), authorizationUrl: 'https://sso.example.com/authorize', tokenUrl })
      expect(response.status, tokenUrl).toBe(400)
    }
    await expect(
      app.router.connections.customProviders.register('org-1', {
        ...registration(),
        tokenUrl: 'https://10.0.0.1/t',
      }),
    ).rejects.toMatchObject({ code: 'invalid_request' })
  })

  it("an unknown provider's 404 lists the known ones: the router's, and the caller's own custom ones only", async () => {
    const app = await appWithAdmin({ baseUrl: 'http://placeholder.invalid', mountPath: '/integrations' })
    await app.router.connections.customProviders.register('org-1', registration())
    const mine = await request(app.url).get('/integrations/connect/nope').set('x-user', 'org-1')
    expect(mine.status).toBe(404)
    expect(mine.body.error.message).toBe(
      'Provider "nope" was not found. Known providers: "local", "acme-sso".',
    )
    const theirs = await request(app.url).get('/integrations/connect/nope').set('x-user', 'org-2')
    expect(theirs.body.error.message).toBe('Provider "nope" was not found. Known providers: "local".')
    await expect(app.router.connections.start('org-2', { provider: 'nope' })).rejects.toThrow(
      'Known providers: "local".',
    )
    // A callback names a slug and carries a state: whoever holds the state learns none of the flow
    // owner's providers.
    const browser = browserAs(app, 'org-1')
    const start = await browser.request(`${app.mount}/connect/acme-sso`)
    const state = new URL(start.headers.get('location') ?? '').searchParams.get('state')
    const stranger = await request(app.url).get(`/integrations/callback/other-slug?state=${state}&code=x`)
    expect(stranger.status).toBe(404)
    expect(stranger.text).not.toContain('acme-sso')
  })

  it('awaits an async customProviderUrls: only true allows, and one that throws answers 400', async () => {
    const policies = {
      'resolves false': async () => false,
      'resolves a truthy non-true value': async () => 'yes' as unknown as boolean,
      throws: async () => {
        throw new Error('policy service down')
      },
    }
    for (const [name, customProviderUrls] of Object.entries(policies)) {
      const app = await suite.appWith({ authorize: () => true, customProviderUrls })
      const before = dump(app.raw)
      const response = await request(app.url)
        .post('/integrations/custom-providers')
        .set('x-user', 'org-1')
        .send(registration())
      expect(response.status, name).toBe(400)
      expect(response.body.error.details[0].code, name).toBe('url_not_allowed')
      expect(response.text).not.toContain('policy service down')
      await expect(
        app.router.connections.customProviders.register('org-1', registration()),
      ).rejects.toMatchObject({ code: 'invalid_request' })
      expect(dump(app.raw), name).toBe(before)
    }
    const allowing = await suite.appWith({
      authorize: () => true,
      customProviderUrls: async (url) => url.hostname === '127.0.0.1',
    })
    const created = await request(allowing.url)
      .post('/integrations/custom-providers')
      .set('x-user', 'org-1')
      .send(registration())
    expect(created.status).toBe(201)
  })

  it('cannot be re-pointed while it has connections; its secret can be rotated', async () => {
    const app = await appWithAdmin()
    suite.oauth.setRedirectUris([`${app.mount}/callback/acme-sso`])
    await app.router.connections.customProviders.register('org-1', registration())
    const browser = browserAs(app, 'org-1')
    const start = await browser.request(`${app.mount}/connect/acme-sso`)
    const { callbackUrl } = await loginAndConsent(browser, start.headers.get('location') ?? '', 'ana')
    expect((await browser.request(callbackUrl)).status).toBe(200)

    await expect(
      app.router.connections.customProviders.register('org-1', {
        ...registration(),
        tokenUrl: 'http://127.0.0.1:1/elsewhere',
      }),
    ).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/tokenUrl/) })
    const rotated = await app.router.connections.customProviders.register('org-1', {
      ...registration(),
      name: 'Acme SSO (new secret)',
    })
    expect(rotated.name).toBe('Acme SSO (new secret)')
  })
})
