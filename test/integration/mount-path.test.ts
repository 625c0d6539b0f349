import type { Request } from 'express'
import { describe, expect, it } from 'vitest'
import type { TestApp } from '../support/app.js'
import { loginAndConsent } from '../support/browser-client.js'
import { browserAs, connect } from '../support/flows.js'
import { useOAuthSuite } from '../support/suite.js'

const suite = useOAuthSuite()

const ORGS_MOUNT = '/orgs/:orgId/integrations'
// Express 5 types a parameter as string | string[].
const orgOf = (req: Request) => String(req.params.orgId)
const orgMount = (app: TestApp, org: string) => `${app.url}/orgs/${org}/integrations`

/** The test app is not at the public URL its links name: the provider's redirect is brought back to it. */
const PLACEHOLDER = 'http://placeholder.invalid'

/** Completes a server-started link in a browser nobody is signed in to; returns the callback status. */
async function complete(app: TestApp, authorizationUrl: string, login: string): Promise<number> {
  const browser = browserAs(app)
  const { callbackUrl } = await loginAndConsent(browser, authorizationUrl, login)
  const local = callbackUrl.replace(PLACEHOLDER, app.url)
  return (await browser.request(local)).status
}

describe('the mount path in callback URLs', () => {
  it('is the mountPath option, whatever spelling a request used (Express matches mounts case-insensitively)', async () => {
    const app = await suite.appWith({ mountPath: '/integrations' })
    expect((await fetch(`${app.url}/INTEGRATIONS/openapi.json`)).status).toBe(200)
    // A browser flow started through the other spelling still registers and completes at /integrations.
    const browser = browserAs({ url: app.url, mount: `${app.url}/INTEGRATIONS` }, 'ana')
    const start = await browser.request(`${app.url}/INTEGRATIONS/connect/local`)
    expect(start.status).toBe(302)
    const sent = new URL(start.headers.get('location') ?? '').searchParams.get('redirect_uri')
    expect(sent).toBe(`${app.mount}/callback/local`)
    const { callbackUrl } = await loginAndConsent(browser, start.headers.get('location') ?? '', 'ana')
    expect((await browser.request(callbackUrl)).status).toBe(200)
  })

  it('of a server-started link is never learned from a request: one to /INTEGRATIONS fixes nothing', async () => {
    const learning = await suite.appWith({ baseUrl: PLACEHOLDER })
    expect((await fetch(`${learning.url}/INTEGRATIONS/openapi.json`)).status).toBe(200)
    await expect(learning.router.connections.start('ana', { provider: 'local' })).rejects.toThrow(
      /mountPath option/,
    )
    const app = await suite.appWith({ baseUrl: PLACEHOLDER, mountPath: '/integrations' })
    expect((await fetch(`${app.url}/INTEGRATIONS/openapi.json`)).status).toBe(200)
    const link = await app.router.connections.start('ana', { provider: 'local' })
    expect(new URL(link.authorizationUrl).searchParams.get('redirect_uri')).toBe(
      `${PLACEHOLDER}/integrations/callback/local`,
    )
    // The token request repeats the redirect URI the flow was started with, whatever the callback's
    // spelling: the provider would refuse any other.
    suite.oauth.setRedirectUris([`${PLACEHOLDER}/integrations/callback/local`])
    const browser = browserAs(app, 'ana')
    const { callbackUrl } = await loginAndConsent(browser, link.authorizationUrl, 'ana')
    const response = await browser.request(
      callbackUrl.replace(`${PLACEHOLDER}/integrations`, `${app.url}/INTEGRATIONS`),
    )
    expect(response.status).toBe(200)
  })
})

describe('a mount with route parameters (/orgs/:orgId/integrations)', () => {
  it("gives getOwner the parent's parameters, and each org's browser flow completes at its own path", async () => {
    const app = await suite.appWith({ mountAt: ORGS_MOUNT, getOwner: orgOf })
    suite.oauth.setRedirectUris([
      `${orgMount(app, 'a')}/callback/local`,
      `${orgMount(app, 'b')}/callback/local`,
    ])
    for (const org of ['a', 'b']) {
      const id = await connect({ url: app.url, mount: orgMount(app, org) }, 'anyone', `user-${org}`)
      expect((await app.router.connections.get(org, id)).status).toBe('active')
    }
    expect(await app.router.connections.list('a')).toHaveLength(1)
  })

  it('starts server links with each owner’s own callback when mountPath is a function, and each completes (not 403)', async () => {
    const app = await suite.appWith({
      mountAt: ORGS_MOUNT,
      getOwner: orgOf,
      baseUrl: PLACEHOLDER,
      mountPath: ({ owner }) => `/orgs/${owner}/integrations`,
    })
    const links = {
      a: await app.router.connections.start('a', { provider: 'local' }),
      b: await app.router.connections.start('b', { provider: 'local' }),
    }
    suite.oauth.setRedirectUris(
      ['a', 'b'].map((org) => `${PLACEHOLDER}/orgs/${org}/integrations/callback/local`),
    )
    for (const [org, link] of Object.entries(links)) {
      const sent = new URL(link.authorizationUrl).searchParams.get('redirect_uri')
      expect(sent).toBe(`${PLACEHOLDER}/orgs/${org}/integrations/callback/local`)
      expect(await complete(app, link.authorizationUrl, `user-${org}`)).toBe(200)
      expect(await app.router.connections.list(org)).toHaveLength(1)
    }
  })
})
