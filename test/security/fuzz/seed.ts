/**
 * The fuzz app and its seeded data. The app's `authorize` is the default one (token and proxy refused,
 * so no response may carry an access token), plus the `admin` action for requests with the admin
 * header, so that custom-provider registration is fuzzed past authorization.
 *
 * Seeded: the fuzz owner's two OAuth connections, an API-key one and a revoked one; another owner's
 * connection; a custom provider; and three pending flows whose callback can be fuzzed (a server-side
 * link, one with a return URL, one bound to a browser session). The store is then snapshotted, and
 * `restore()` puts it back before every request, so a failure replays from the printed seed and path.
 */
import { randomBytes } from 'node:crypto'
import { expect } from 'vitest'
import { providers } from '../../../src/index.js'
import { localProvider, startTestApp, TEST_KEY, type TestApp } from '../../support/app.js'
import { connect } from '../../support/flows.js'
import type { OAuthSuite } from '../../support/suite.js'
import { ADMIN_HEADER, ADMIN_VALUE, GOOD_KEY_PREFIX, type Targets } from './targets.js'

export const FUZZ_OWNER = 'fuzz-owner'
export const OTHER_OWNER = 'other-owner'
const SEEDED_API_KEY = `${GOOD_KEY_PREFIX}seeded-${randomBytes(12).toString('hex')}`
const CUSTOM_SECRET = `custom-secret-${randomBytes(12).toString('hex')}`
const CUSTOM_PROVIDER = {
  slug: 'fuzz-sso',
  name: 'Fuzz SSO',
  authorizationUrl: 'https://sso.example.com/oauth/authorize',
  tokenUrl: 'https://sso.example.com/oauth/token',
  scopes: ['openid'],
  clientId: 'fuzz-sso-client',
  clientSecret: CUSTOM_SECRET,
}

export interface FuzzApp {
  app: TestApp
  /** What the generators aim at. */
  targets: Targets
  /** The fuzz owner's connections that are not revoked. */
  activeOwnIds: readonly string[]
  /** Seeded connection id → its owner, for the "never another owner's id" check. */
  ownerOf: ReadonlyMap<string, string>
  /** The authorization endpoints of the seeded providers: the only place a redirect may leave for. */
  authorizationUrls: readonly string[]
  /** A copy of the store's raw entries. */
  snapshot(): Map<string, unknown>
  /** Puts the store back to the seeded snapshot. */
  restore(): void
  /** Every secret that must never be in a response or a log line. */
  knownSecrets(): string[]
}

export async function seedFuzzApp(suite: OAuthSuite): Promise<FuzzApp> {
  const app = await startTestApp(suite.oauth, {
    providers: [
      localProvider(suite.oauth),
      providers.apiKey({
        id: 'vendor',
        name: 'Vendor',
        apiBaseUrl: 'https://api.vendor.example',
        header: 'x-api-key',
        validate: async (key) =>
          key.startsWith(GOOD_KEY_PREFIX)
            ? { accountId: 'acct-fuzz', accountEmail: 'fuzz@vendor.example' }
            : false,
      }),
    ],
    // The default policy (token and proxy refused), plus `admin` for whoever sends the admin header,
    // so that custom-provider registration is fuzzed past authorization.
    authorize: ({ req, action }) =>
      action === 'admin' ? req.get(ADMIN_HEADER) === ADMIN_VALUE : action !== 'token' && action !== 'proxy',
  })

  const own = [await connect(app, FUZZ_OWNER, 'fuzz-a'), await connect(app, FUZZ_OWNER, 'fuzz-b')]
  const revoked = await connect(app, FUZZ_OWNER, 'fuzz-c')
  await app.router.connections.revoke(FUZZ_OWNER, revoked)
  const other = await connect(app, OTHER_OWNER, 'other-a')
  const keyed = await fetch(`${app.mount}/connections`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-user': FUZZ_OWNER },
    body: JSON.stringify({ provider: 'vendor', credentials: { apiKey: SEEDED_API_KEY } }),
  })
  expect(keyed.status).toBe(201)
  const apiKeyConnection = ((await keyed.json()) as { data: { id: string } }).data.id
  await app.router.connections.customProviders.register(FUZZ_OWNER, CUSTOM_PROVIDER)

  // Pending flows the callback can be fuzzed with: a server-side link, one with a return URL, and
  // one bound to a browser session.
  const link = async (body: Record<string, unknown>) => {
    const response = await fetch(`${app.mount}/connections/start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-user': FUZZ_OWNER },
      body: JSON.stringify({ provider: 'local', ...body }),
    })
    expect(response.status).toBe(201)
    const { authorizationUrl } = ((await response.json()) as { data: { authorizationUrl: string } }).data
    return new URL(authorizationUrl).searchParams.get('state') ?? ''
  }
  const sessionless = await link({})
  const withReturnUrl = await link({ returnUrl: '/settings' })
  const browser = await fetch(`${app.mount}/connect/local`, {
    headers: { 'x-user': FUZZ_OWNER },
    redirect: 'manual',
  })
  expect(browser.status).toBe(302)
  const browserState = new URL(browser.headers.get('location') ?? '').searchParams.get('state') ?? ''
  const sessionCookie = (browser.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  expect(sessionCookie).toMatch(/^connections\.sid=/)

  const ownerOf = new Map<string, string>()
  for (const id of [...own, revoked, apiKeyConnection]) ownerOf.set(id, FUZZ_OWNER)
  ownerOf.set(other, OTHER_OWNER)
  const targets: Targets = {
    origin: app.url,
    fuzzOwner: FUZZ_OWNER,
    otherOwner: OTHER_OWNER,
    ownIds: [...own, apiKeyConnection, revoked],
    otherIds: [other],
    customSlug: CUSTOM_PROVIDER.slug,
    liveStates: [sessionless, withReturnUrl, browserState],
    sessionCookie,
    issuer: suite.oauth.issuer,
  }
  const snapshot = () => new Map(app.raw)
  const baseline: ReadonlyMap<string, unknown> = snapshot()
  app.events.length = 0
  app.logs.length = 0

  return {
    app,
    targets,
    activeOwnIds: [...own, apiKeyConnection],
    ownerOf,
    authorizationUrls: [suite.oauth.authorizationUrl, CUSTOM_PROVIDER.authorizationUrl],
    snapshot,
    restore() {
      app.raw.clear()
      for (const [key, value] of baseline) app.raw.set(key, value)
    },
    knownSecrets() {
      const tokens = suite.oauth.issued.flatMap((issued) =>
        [issued.access_token, issued.refresh_token, issued.id_token].filter(
          (token): token is string => typeof token === 'string' && token.length > 0,
        ),
      )
      return [
        suite.oauth.clientSecret,
        TEST_KEY,
        Buffer.from(TEST_KEY, 'base64').toString('hex'),
        SEEDED_API_KEY,
        CUSTOM_SECRET,
        ...tokens,
      ]
    },
  }
}
