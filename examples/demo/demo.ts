import { hkdfSync, randomBytes } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import KeyvSqlite from '@keyv/sqlite'
import express, { type ErrorRequestHandler, type RequestHandler } from 'express'
import { createConnectionsRouter } from 'express-connections'
import { startOAuthServer } from 'express-connections/dev-server'
import Keyv from 'keyv'
import type { DemoConfig } from './config.js'
import { loadEncryptionKey } from './encryption-key.js'
import { currentUser, hostSession, loginRoutes } from './login.js'
import { LOCAL_PROVIDER_ID, localProvider, realProviders } from './providers.js'
import { settingsRoutes } from './settings.js'

export interface Demo {
  /** The page to open. */
  url: string
  /** The bundled OAuth provider. */
  oauthUrl: string
  /** Ids of the providers shown. */
  providers: string[]
  close(): Promise<void>
}

function sqlite(dataDir: string, file: string, namespace: string): { keyv: Keyv; adapter: KeyvSqlite } {
  const adapter = new KeyvSqlite({ uri: `sqlite://${join(dataDir, file)}`, busyTimeout: 5_000 })
  return { keyv: new Keyv({ store: adapter, namespace }), adapter }
}

const securityHeaders: RequestHandler = (_req, res, next) => {
  res.set({
    'content-security-policy':
      "default-src 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'; form-action 'self'",
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
  })
  next()
}

const errorPage: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
  console.error('demo: request failed:', error instanceof Error ? error.message : error)
  res.status(500).type('text').send('Something went wrong. See the server log.')
}

/**
 * The bundled OAuth provider and the example host app: its login, the connections router at
 * /integrations on SQLite, and the settings page.
 */
export async function startDemo(config: DemoConfig): Promise<Demo> {
  await mkdir(config.dataDir, { recursive: true })
  const encryptionKey = await loadEncryptionKey(config.dataDir, config.encryptionKey)
  // A client secret of its own on every start: the provider keeps its grants in memory anyway.
  const client = {
    clientId: 'demo-app',
    clientSecret: randomBytes(24).toString('base64url'),
    redirectUris: [],
  }
  const oauth = await startOAuthServer({ port: config.oauthPort, clients: [client] })

  // Listen first: with port 0 the app's URL, and so its callback URLs, are known only then.
  const server = createServer()
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(config.port, '127.0.0.1', resolve)
    })
  } catch (error) {
    await oauth.close()
    throw error
  }
  const url = `http://localhost:${(server.address() as AddressInfo).port}`

  const connectionsDb = sqlite(config.dataDir, 'connections.sqlite', 'connections')
  const sessionsDb = sqlite(config.dataDir, 'sessions.sqlite', 'sessions')
  const providers = [localProvider(oauth), ...realProviders(config.env)]
  const integrations = createConnectionsRouter({
    store: connectionsDb.keyv,
    encryptionKey,
    providers,
    // Callback URLs are this, whatever Host a request came with: they must match what is registered.
    baseUrl: url,
    // The host's express-session (below) runs first; the flow's browser binding goes into it.
    session: false,
    getOwner: (req) => currentUser(req)?.id,
    // The page calls the provider's API through the proxy, so the signed-in owner may use `proxy`
    // (the token stays on the server). Raw tokens (`token`) and custom providers (`admin`) stay refused.
    authorize: ({ req, owner, action }) =>
      action === 'proxy' ? currentUser(req)?.id === owner : action !== 'token' && action !== 'admin',
    // The settings page is <connections-panel>, served by the router as one script.
    ui: true,
  })
  const ui = integrations.ui
  if (!ui) throw new Error('the router serves its elements with ui: true')
  oauth.setRedirectUris([`${url}/integrations/callback/${LOCAL_PROVIDER_ID}`])

  const sessionSecret = Buffer.from(
    hkdfSync('sha256', encryptionKey, '', 'express-connections demo: host session cookie', 32),
  ).toString('base64')
  const app = express()
  app.disable('x-powered-by')
  app.use(securityHeaders)
  // One origin only, the one in the callback URLs: a sign-in on 127.0.0.1 would not be seen on localhost.
  app.use((req, res, next) => {
    if (req.get('host') === new URL(url).host) return next()
    res.redirect(307, `${url}${req.originalUrl}`)
  })
  app.use('/assets', express.static(join(import.meta.dirname, 'public'), { maxAge: 0 }))
  app.use(hostSession(sessionsDb.keyv, sessionSecret))
  app.use(loginRoutes())
  app.use('/integrations', integrations)
  app.use(settingsRoutes(ui, url, config.env))
  app.use(errorPage)
  server.on('request', app)

  return {
    url,
    oauthUrl: oauth.url,
    providers: providers.map((p) => p.id),
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await oauth.close()
      await Promise.all([connectionsDb.adapter.disconnect(), sessionsDb.adapter.disconnect()])
    },
  }
}
