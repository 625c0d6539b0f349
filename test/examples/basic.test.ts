import { afterAll, describe, expect, it } from 'vitest'
import type { Connection, ProviderView } from '../../src/index.js'
import { BrowserClient, loginAndConsent } from '../support/browser-client.js'
import { cleanUp, freePort, newKey, request, runExample, tempDir, tsx } from './run-example.js'

afterAll(cleanUp)

/** The built `express-connections-dev-oauth` command (npm run build), as `npx` runs it from the tarball. */
const DEV_OAUTH_BIN = 'dist/dev-server/cli.js'

describe('examples/basic (the README quick start) with the shipped dev OAuth server', () => {
  it('connects an account at `express-connections-dev-oauth`, offline, end to end', async () => {
    const port = await freePort()
    const mount = `http://127.0.0.1:${port}/integrations`
    const oauth = await runExample(DEV_OAUTH_BIN, {
      cwd: await tempDir(),
      ready: /Local OAuth server \(development only\) at (http:\/\/\S+)/,
      nodeArgs: [],
      args: ['--port', '0', '--redirect-uri', `${mount}/callback/local`],
    })
    const oauthUrl = oauth.ready[1] ?? ''
    // It prints the entry the quick start has: the same client and endpoints.
    for (const line of [
      `authorizationUrl: '${oauthUrl}/auth'`,
      `tokenUrl: '${oauthUrl}/token'`,
      `userInfoUrl: '${oauthUrl}/me'`,
      "clientId: 'dev-client'",
      "clientSecret: 'dev-client-secret'",
      "scopes: ['openid', 'email']",
    ]) {
      expect(oauth.output()).toContain(line)
    }

    await runExample('examples/basic/server.ts', {
      cwd: await tempDir(),
      ready: new RegExp(`Connect at http://localhost:${port}/integrations/connect/local`),
      nodeArgs: ['--import', tsx],
      env: { PORT: String(port), CONNECTIONS_KEY: newKey(), OAUTH_URL: oauthUrl },
    })
    const catalogue = await request<{ data: ProviderView[] }>(`${mount}/providers`)
    expect(catalogue.body.data).toEqual([
      expect.objectContaining({ id: 'local', kind: 'oauth2', status: 'not_connected' }),
    ])

    const browser = new BrowserClient()
    const start = await browser.request(`${mount}/connect/local`)
    expect(start.status).toBe(302)
    const to = new URL(start.headers.get('location') ?? '')
    expect(to.origin).toBe(oauthUrl)
    expect(to.searchParams.get('code_challenge_method')).toBe('S256')
    // A login name that is an email is kept as typed.
    const { callbackUrl } = await loginAndConsent(browser, to.href, 'ana@example.com')
    const callback = await browser.request(callbackUrl)
    expect(callback.status).toBe(200)
    const { data: connection } = (await callback.json()) as { data: Connection }
    expect(connection).toMatchObject({
      provider: 'local',
      status: 'active',
      accountEmail: 'ana@example.com',
      label: 'ana@example.com',
    })

    const list = await request<{ data: Connection[] }>(`${mount}/connections`)
    expect(list.body.data).toEqual([expect.objectContaining({ id: connection.id, status: 'active' })])
  })
})
