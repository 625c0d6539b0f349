import express from 'express'
import session from 'express-session'
import Keyv from 'keyv'
import { describe, expect, it } from 'vitest'
import { createConnectionsRouter } from '../../src/index.js'
import { connectionKeys, localProvider, TEST_KEY } from '../support/app.js'
import { BrowserClient, loginAndConsent } from '../support/browser-client.js'
import { authorizeIn, browserAs, json } from '../support/flows.js'
import { useOAuthSuite } from '../support/suite.js'

const suite = useOAuthSuite()

const settings = encodeURIComponent('/settings')

describe('the callback, when the provider says no', () => {
  it('sends the browser back to the return URL with error and error_description', async () => {
    const app = await suite.appWith()
    const browser = browserAs(app, 'ana')
    const start = await browser.request(`${app.mount}/connect/local?return_url=${settings}`)
    const state = new URL(start.headers.get('location') ?? '').searchParams.get('state')
    const denied = await browser.request(
      `${app.mount}/callback/local?error=access_denied&error_description=User+said+no&state=${state}&iss=${encodeURIComponent(suite.oauth.issuer)}`,
    )
    expect(denied.status).toBe(302)
    const location = new URL(denied.headers.get('location') ?? '')
    expect(location.pathname).toBe('/settings')
    expect(location.searchParams.get('error')).toBe('access_denied')
    expect(location.searchParams.get('error_description')).toBe('User said no')
    expect(connectionKeys(app.raw)).toEqual([])
  })

  it('turns a refused code exchange into provider_error, storing nothing', async () => {
    const app = await suite.appWith()
    const browser = browserAs(app, 'ana')
    const callbackUrl = new URL(await authorizeIn(browser, app, 'ana', `?return_url=${settings}`))
    callbackUrl.searchParams.set('code', 'not-the-code')
    const response = await browser.request(callbackUrl)
    expect(response.status).toBe(302)
    const location = new URL(response.headers.get('location') ?? '')
    expect(location.searchParams.get('error')).toBe('provider_error')
    expect(location.searchParams.get('error_description')).toMatch(/invalid_grant/)
    expect(connectionKeys(app.raw)).toEqual([])
  })

  it('answers 502 JSON when the flow has no return URL', async () => {
    const app = await suite.appWith()
    const browser = browserAs(app, 'ana')
    const callbackUrl = new URL(await authorizeIn(browser, app, 'ana'))
    callbackUrl.searchParams.set('code', 'not-the-code')
    const response = await browser.request(callbackUrl)
    expect(response.status).toBe(502)
    expect((await json<{ error: { code: string } }>(response)).error.code).toBe('provider_error')
  })
})

describe('the router session', () => {
  it('sets an HttpOnly, SameSite=Lax cookie scoped to the mount path, only when a flow starts', async () => {
    const app = await suite.appWith()
    const list = await fetch(`${app.mount}/connections`, { headers: { 'x-user': 'ana' } })
    expect(list.headers.get('set-cookie')).toBeNull()
    const start = await fetch(`${app.mount}/connect/local`, {
      headers: { 'x-user': 'ana' },
      redirect: 'manual',
    })
    const cookie = start.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/^connections\.sid=/)
    expect(cookie).toMatch(/; Path=\/integrations;/)
    expect(cookie).toMatch(/; HttpOnly/)
    expect(cookie).toMatch(/; SameSite=Lax/)
  })

  it.each([
    ['with session: false', false as const],
    ['by default, when the host mounts express-session before the router', undefined],
  ])("runs on the host's own express-session %s, leaving its cookie alone", async (_name, sessionOption) => {
    const raw = new Map<string, unknown>()
    const app = express()
    app.use(session({ secret: 'host-secret', resave: false, saveUninitialized: false }))
    app.use((req, _res, next) => {
      const user = req.get('x-user')
      if (user) (req as express.Request & { user?: { id: string } }).user = { id: user }
      next()
    })
    const events: string[] = []
    app.use(
      '/integrations',
      createConnectionsRouter({
        store: new Keyv({ store: raw }),
        encryptionKey: TEST_KEY,
        providers: [localProvider(suite.oauth)],
        session: sessionOption,
        onEvent: (event) => {
          events.push(event.type)
        },
      }),
    )
    const server = app.listen(0, '127.0.0.1')
    await new Promise((resolve) => server.once('listening', resolve))
    const address = server.address()
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
    suite.oauth.setRedirectUris([`${url}/integrations/callback/local`])
    try {
      const browser = new BrowserClient({ headers: { [url]: { 'x-user': 'ana' } } })
      const start = await browser.request(`${url}/integrations/connect/local`)
      expect(start.headers.get('set-cookie')).toMatch(/^connect\.sid=.*; Path=\/;/)
      const { callbackUrl } = await loginAndConsent(browser, start.headers.get('location') ?? '', 'ana')
      const done = await browser.request(callbackUrl)
      expect(done.status).toBe(200)
      expect(events).toEqual(['connection.created'])
      expect(browser.cookies().some((c) => c.name === 'connections.sid')).toBe(false)
    } finally {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })
})

describe('getOwner and authorize', () => {
  it('uses a custom getOwner, and refuses connect when authorize says no', async () => {
    const app = await suite.appWith({
      getOwner: (req) => req.get('x-org') ?? undefined,
      authorize: ({ action, owner }) => !(action === 'connect' && owner === 'readonly-org'),
    })
    const ok = await fetch(`${app.mount}/connect/local`, { headers: { 'x-org': 'acme' }, redirect: 'manual' })
    expect(ok.status).toBe(302)
    const refused = await fetch(`${app.mount}/connect/local`, { headers: { 'x-org': 'readonly-org' } })
    expect(refused.status).toBe(403)
    expect((await json<{ error: { code: string } }>(refused)).error.code).toBe('forbidden')
    const byUser = await fetch(`${app.mount}/connections`, { headers: { 'x-user': 'ana' } })
    expect(byUser.status).toBe(401)
  })

  it('shows the catalogue without statuses to an anonymous caller', async () => {
    const app = await suite.appWith()
    const response = await fetch(`${app.mount}/providers`)
    expect(await response.json()).toEqual({
      data: [
        {
          id: 'local',
          name: 'Local OAuth',
          kind: 'oauth2',
          scopes: ['openid', 'email', 'offline_access'],
          singleton: false,
        },
      ],
    })
    const mine = await fetch(`${app.mount}/providers`, { headers: { 'x-user': 'ana' } })
    expect(((await mine.json()) as { data: Array<{ status: string }> }).data[0]?.status).toBe('not_connected')
  })
})
