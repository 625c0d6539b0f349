import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { dump, startTestApp, type TestApp } from '../support/app.js'
import { BrowserClient, loginAndConsent } from '../support/browser-client.js'
import { type OAuthServer, startOAuthServer } from '../support/oauth-server.js'

let oauth: OAuthServer
let app: TestApp

beforeAll(async () => {
  oauth = await startOAuthServer()
})
afterAll(async () => {
  await oauth.close()
})
beforeEach(async () => {
  app = await startTestApp(oauth)
})
afterEach(async () => {
  await app.close()
})

function browserFor(user: string | undefined): BrowserClient {
  return new BrowserClient({ headers: user ? { [app.url]: { 'x-user': user } } : {} })
}

describe('connect → login → consent → callback → list', () => {
  it('connects the account and lists it active with its email', async () => {
    const browser = browserFor('ana')
    const returnUrl = `${app.url}/settings`
    const start = await browser.request(
      `${app.mount}/connect/local?return_url=${encodeURIComponent(returnUrl)}`,
    )
    expect(start.status).toBe(302)
    const authorizationUrl = start.headers.get('location') ?? ''
    expect(authorizationUrl.startsWith(oauth.authorizationUrl)).toBe(true)
    const params = new URL(authorizationUrl).searchParams
    expect(params.get('code_challenge_method')).toBe('S256')
    expect(params.get('state')?.length).toBeGreaterThanOrEqual(43)
    expect(params.get('redirect_uri')).toBe(`${app.mount}/callback/local`)

    const { callbackUrl } = await loginAndConsent(browser, authorizationUrl, 'ana')
    const back = await browser.request(callbackUrl)
    expect(back.status).toBe(302)
    const landing = new URL(back.headers.get('location') ?? '')
    expect(`${landing.origin}${landing.pathname}`).toBe(returnUrl)
    const connectionId = landing.searchParams.get('connection_id')
    expect(connectionId).toMatch(/^[0-9a-f-]{36}$/)

    const list = await browser.request(`${app.mount}/connections`)
    const body = (await list.json()) as { data: Array<Record<string, unknown>> }
    expect(body.data).toHaveLength(1)
    expect(body.data[0]).toMatchObject({
      id: connectionId,
      provider: 'local',
      providerName: 'Local OAuth',
      status: 'active',
      accountId: 'ana',
      accountEmail: 'ana@example.com',
      label: 'ana@example.com',
    })
    expect(body.data[0]?.grantedScopes).toEqual(expect.arrayContaining(['openid', 'email']))
    expect(Date.parse(String(body.data[0]?.expiresAt))).toBeGreaterThan(Date.now())
    expect(app.events.map((e) => e.type)).toEqual(['connection.created'])

    const providers = await browser.request(`${app.mount}/providers`)
    expect(((await providers.json()) as { data: unknown[] }).data).toEqual([
      expect.objectContaining({ id: 'local', status: 'active', accountEmail: 'ana@example.com' }),
    ])
  })

  it('answers the callback with JSON when the flow has no return URL', async () => {
    const browser = browserFor('ana')
    const start = await browser.request(`${app.mount}/connect/local?label=Work`)
    const { callbackUrl } = await loginAndConsent(browser, start.headers.get('location') ?? '', 'ana')
    const back = await browser.request(callbackUrl)
    expect(back.status).toBe(200)
    const body = (await back.json()) as { data: Record<string, unknown> }
    expect(body.data).toMatchObject({ label: 'Work', status: 'active', accountEmail: 'ana@example.com' })
  })

  it('keeps no token and no client secret in plaintext in the store', async () => {
    const browser = browserFor('ana')
    const start = await browser.request(`${app.mount}/connect/local`)
    const { callbackUrl } = await loginAndConsent(browser, start.headers.get('location') ?? '', 'ana')
    await browser.request(callbackUrl)
    const issued = oauth.lastTokens()
    expect(issued?.access_token).toBeTruthy()
    expect(issued?.refresh_token).toBeTruthy()
    const raw = dump(app.raw)
    expect(raw).toContain('ana@example.com')
    expect(raw).not.toContain(issued?.access_token)
    expect(raw).not.toContain(issued?.refresh_token)
    expect(raw).not.toContain(oauth.clientSecret)
  })
})
