import { randomBytes } from 'node:crypto'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import express from 'express'
import Keyv from 'keyv'
import {
  type ConnectionsRouter,
  type ConnectionsRouterOptions,
  createConnectionsRouter,
  type OAuth2ProviderCommonOptions,
  providers,
} from '../../src/index.js'
import {
  backingMap,
  canaryMiddleware,
  releaseStore,
  scannedApi,
  scannedLogger,
  scannedOnEvent,
  watchOAuthServer,
  watchStore,
} from './canary.js'
import { clientSettings, type OAuthServer } from './oauth-server.js'

export const TEST_KEY = randomBytes(32).toString('base64')

export interface TestApp {
  url: string
  /** The app's URL up to the mount path, e.g. http://127.0.0.1:1234/integrations. */
  mount: string
  router: ConnectionsRouter
  store: Keyv
  /** The Map behind the Keyv store: what a dump of the database would show. */
  raw: Map<string, unknown>
  events: Array<{ type: string }>
  /** What the router logged (the test app's logger keeps lines instead of printing them). */
  logs: string[]
  close(): Promise<void>
}

export type TestAppOptions = Partial<ConnectionsRouterOptions> & {
  keyv?: Keyv
  /** Where the host mounts the router (default /integrations); may have route parameters. */
  mountAt?: string
  /**
   * Give the router its own URL as `baseUrl` and `mountAt` as `mountPath` (stable callback URLs);
   * `'https'`: that URL with https, as behind a proxy that ends TLS.
   */
  selfBaseUrl?: boolean | 'https'
}

/**
 * A host app as a user would write it: its own "login" (the `x-user` header stands for a signed-in
 * user) and the router mounted at /integrations, listening on 127.0.0.1.
 */
export async function startTestApp(
  oauth: OAuthServer | null,
  { mountAt = '/integrations', selfBaseUrl = false, ...options }: TestAppOptions = {},
): Promise<TestApp> {
  const raw = new Map<string, unknown>()
  const store = options.keyv ?? new Keyv({ store: raw })
  const events: Array<{ type: string }> = []
  const logs: string[] = []
  const keep = (level: string) => (message: string, meta?: Record<string, unknown>) => {
    logs.push(`${level} ${message} ${JSON.stringify(meta ?? {})}`)
  }
  if (oauth) watchOAuthServer(oauth)
  // The secret canary (test/support/canary.ts): store, responses, log lines, events and api errors.
  const scannedStore = backingMap(store)
  if (scannedStore) watchStore(scannedStore, options.keyv ? 'keyv store' : 'raw store')
  const app = express()
  app.use(canaryMiddleware)
  app.use((req, _res, next) => {
    const user = req.get('x-user')
    if (user) (req as express.Request & { user?: { id: string } }).user = { id: user }
    next()
  })
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s))
  })
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const providerList = options.providers ?? (oauth ? [localProvider(oauth)] : [])
  const router = createConnectionsRouter({
    store,
    encryptionKey: TEST_KEY,
    providers: providerList,
    ...(selfBaseUrl
      ? { baseUrl: selfBaseUrl === 'https' ? url.replace(/^http:/, 'https:') : url, mountPath: mountAt }
      : {}),
    ...options,
    // A test's own logger or hook replaces the app's, as before; both are scanned.
    logger: scannedLogger(options.logger ?? { warn: keep('warn'), error: keep('error') }),
    onEvent: scannedOnEvent(
      options.onEvent ??
        ((event) => {
          events.push(event)
        }),
    ),
  })
  router.connections = scannedApi(router.connections)
  app.use(mountAt, router)
  app.get('/settings', (_req, res) => {
    res.send('settings page')
  })
  oauth?.setRedirectUris(providerList.map((p) => `${url}${mountAt}/callback/${p.id}`))
  return {
    url,
    mount: `${url}${mountAt}`,
    router,
    store,
    raw,
    events,
    logs,
    close: () =>
      new Promise((resolve) => {
        if (scannedStore) releaseStore(scannedStore)
        server.close(() => resolve())
      }),
  }
}

/** The suite's client as a provider; overrides change anything but how it authenticates (a secret). */
export function localProvider(
  oauth: OAuthServer,
  overrides: Partial<OAuth2ProviderCommonOptions> & {
    tokenAuth?: 'client_secret_post' | 'client_secret_basic'
  } = {},
) {
  watchOAuthServer(oauth)
  return providers.oauth2({
    id: 'local',
    name: 'Local OAuth',
    ...clientSettings(oauth),
    scopes: ['openid', 'email', 'offline_access'],
    authorizationParams: { prompt: 'consent' },
    ...overrides,
  })
}

/** Everything the store holds, as one string: for "no plaintext secret" assertions. */
export function dump(raw: Map<string, unknown>): string {
  return JSON.stringify([...raw.entries()])
}

/** The store's content without sessions and flows, which legitimately change on a refused request. */
export function connectionKeys(raw: Map<string, unknown>): string[] {
  return [...raw.keys()].filter((key) => key.includes('connection') && !key.includes('flow:'))
}
