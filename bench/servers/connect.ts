/**
 * The connect redirect (#5) in its own process: `subject` mounts the router with an OAuth provider,
 * `grant` mounts Grant's Express middleware with the same provider; both behind the same login and
 * the same express-session (memory store). `GET /integrations/connect/local` answers 302 in both.
 */
import express, { type RequestHandler } from 'express'
import session from 'express-session'
import Keyv from 'keyv'
import { onStop, readConfig, ready } from '../lib/child.js'
import { loadPackage } from '../lib/package.js'
import { benchRoutes, identify, listen } from './common.js'

export interface ConnectServerConfig {
  role: 'subject' | 'grant'
  encryptionKey: string
}

/** The part of Grant's API used here (Grant is a dependency of bench/ only, loaded at run time). */
interface GrantModule {
  express(config: Record<string, unknown>): RequestHandler
}

/** Never called: the benchmark stops at the redirect to it. */
const PROVIDER = {
  authorizationUrl: 'http://127.0.0.1:9/authorize',
  tokenUrl: 'http://127.0.0.1:9/token',
  clientId: 'bench-client',
  clientSecret: 'bench-secret',
  scopes: ['read'],
}

const config = readConfig<ConnectServerConfig>()
const app = express()
app.use(identify)
benchRoutes(app)
app.use(session({ secret: 'bench-session-secret', resave: false, saveUninitialized: false }))

if (config.role === 'subject') {
  const { createConnectionsRouter, providers } = await loadPackage()
  app.use(
    '/integrations',
    createConnectionsRouter({
      store: new Keyv(),
      encryptionKey: config.encryptionKey,
      providers: [providers.oauth2({ id: 'local', name: 'Local', ...PROVIDER })],
      // As production configures it (required there), and as Grant gets its origin.
      baseUrl: 'http://127.0.0.1:3000',
    }),
  )
} else {
  // A variable specifier: the type checker must not need bench/node_modules (CI type-checks without it).
  const specifier: string = 'grant'
  const grant = ((await import(specifier)) as { default: GrantModule }).default
  app.use(
    grant.express({
      defaults: {
        origin: 'http://127.0.0.1:3000',
        prefix: '/integrations/connect',
        transport: 'session',
        state: true,
        pkce: true,
      },
      local: {
        authorize_url: PROVIDER.authorizationUrl,
        access_url: PROVIDER.tokenUrl,
        oauth: 2,
        key: PROVIDER.clientId,
        secret: PROVIDER.clientSecret,
        scope: PROVIDER.scopes,
      },
    }),
  )
}

const server = await listen(app)
onStop(() => server.close())
ready({ port: server.port })
