import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import express from 'express'
import Keyv from 'keyv'
import { type ConnectionsRouter, createConnectionsRouter } from '../../src/index.js'
import { localProvider, TEST_KEY } from '../support/app.js'
import type { FakeProvider } from '../support/fake-provider.js'
import { type OAuthServer, startOAuthServer, type TokenEndpointFault } from '../support/oauth-server.js'
import { startTrackerFake, trackerProvider } from '../support/tool-fixture.js'

/**
 * A host app that uses the elements the way the README says: the router with `ui: true`, and pages
 * that are one script tag and one element each, under a CSP with no inline script or style. The
 * signed-in user is the `x-user` header (the browser context sends it). Providers: the local
 * oidc-provider (a real login and consent) and the tracker fake (a provider with tools).
 */
export interface ElementsHost {
  url: string
  mount: string
  router: ConnectionsRouter
  oauth: OAuthServer
  tracker: FakeProvider
  /** Set to make the OAuth server's token endpoint refuse (a refresh answered `invalid_grant`). */
  fault: { current: TokenEndpointFault | undefined }
  close(): Promise<void>
}

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; base-uri 'none'; object-src 'none'"

function page(script: string, body: string, theme: string | undefined): string {
  const themed = body.replace(/^<([a-z-]+)/, `<$1${theme ? ` theme="${theme}"` : ''}`)
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Elements</title>
${script}</head>
<body><main>${themed}</main></body></html>`
}

export async function startElementsHost(): Promise<ElementsHost> {
  const fault: ElementsHost['fault'] = { current: undefined }
  // Access tokens live a second: a token request after that refreshes (and meets the fault, if set).
  const oauth = await startOAuthServer({ accessTokenTtl: 1, tokenEndpointFault: () => fault.current })
  const tracker = await startTrackerFake(new Set(), { keepOpen: true })
  const providers = [localProvider(oauth), trackerProvider(tracker)]
  const app = express()
  app.use((req, _res, next) => {
    const user = req.get('x-user')
    if (user) (req as express.Request & { user?: { id: string } }).user = { id: user }
    next()
  })
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s))
  })
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const router = createConnectionsRouter({
    store: new Keyv(),
    encryptionKey: TEST_KEY,
    providers,
    authorize: () => true,
    logger: { warn: () => undefined, error: () => undefined },
    ui: true,
  })
  const ui = router.ui
  if (!ui) throw new Error('ui: true gave no script')
  // The panel's page is the README's: `/ui.js`, one tag. The others pin the hashed file by integrity.
  const readmeScript = '<script type="module" src="/integrations/ui.js"></script>'
  const pinnedScript = `<script type="module" src="/integrations/${ui.path}" integrity="${ui.integrity}"></script>`
  app.use('/integrations', router)
  const pages: Record<string, (req: express.Request) => string> = {
    '/panel': () => '<connections-panel></connections-panel>',
    // A router that is not there: the element's error state.
    '/broken': () => '<connections-panel base-url="/nowhere"></connections-panel>',
    '/inbox': () => '<approvals-inbox interval="500"></approvals-inbox>',
    // Polls once an hour: only the page's own signal brings a new approval in.
    '/quiet-inbox': () => '<approvals-inbox interval="3600000"></approvals-inbox>',
    '/policies': (req) => {
      const agent = String(req.query.agent ?? '').replace(/[^\w-]/g, '')
      return `<agent-policies agent-id="${agent}"></agent-policies>`
    },
  }
  for (const [path, body] of Object.entries(pages)) {
    app.get(path, (req, res) => {
      const theme = typeof req.query.theme === 'string' ? req.query.theme : undefined
      const script = path === '/panel' ? readmeScript : pinnedScript
      res
        .set('content-security-policy', CSP)
        .type('html')
        .send(page(script, body(req), theme))
    })
  }
  oauth.setRedirectUris(providers.map((p) => `${url}/integrations/callback/${p.id}`))
  return {
    url,
    mount: `${url}/integrations`,
    router,
    oauth,
    tracker,
    fault,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await oauth.close()
      await tracker.close()
    },
  }
}
