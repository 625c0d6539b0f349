/**
 * A real OAuth 2.0 / OpenID Connect authorization server (oidc-provider) with its development login
 * and consent pages, which accept any login name. Shipped as `express-connections/dev-server` (and the
 * `express-connections-dev-oauth` command) so a first connection needs no internet and no account;
 * the demo's local provider and the tests' server. It keeps everything in memory: localhost only.
 */
import type { JsonWebKey } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface OAuthClientConfig {
  clientId: string
  /** Not registered when the client has `jwks`: it then authenticates with its key only. */
  clientSecret: string
  redirectUris: string[]
  /**
   * The client's public keys: it then authenticates with `private_key_jwt` (RFC 7523 §2.2) instead of
   * its secret, at the token, revocation and introspection endpoints.
   */
  jwks?: { keys: JsonWebKey[] }
}

/** What the token endpoint answers instead of oidc-provider: a status (and body), or nothing for a while. */
export type TokenEndpointFault =
  | { status: number; headers?: Record<string, string>; body?: Record<string, unknown> }
  | { hangMs: number }

export interface OAuthServerOptions {
  /** Access token lifetime in seconds (default 3600), or a function read at each issuance. */
  accessTokenTtl?: number | (() => number)
  /** For tests: a fault of the token endpoint, read at each token request (none by default). */
  tokenEndpointFault?: () => TokenEndpointFault | undefined
  /** Confidential clients (default: `DEV_CLIENT`). Redirect URIs can be changed after start. */
  clients?: OAuthClientConfig[]
  /** Port to listen on (default 0: any free port). */
  port?: number
  /** Host name or IPv4 address to listen on, also the issuer's host (default `127.0.0.1`). */
  host?: string
}

export interface OAuthServer {
  issuer: string
  /** Same as `issuer`: the server's origin. */
  url: string
  authorizationUrl: string
  tokenUrl: string
  userInfoUrl: string
  revocationUrl: string
  introspectionUrl: string
  /** The first client's credentials. */
  clientId: string
  clientSecret: string
  /** Replace a client's redirect URIs (default: the first client). Takes effect immediately. */
  setRedirectUris(uris: string[], clientId?: string): void
  /** Successful token endpoint grants, by grant type. */
  grants: { authorizationCode: number; refreshToken: number }
  /** Token requests answered by `tokenEndpointFault` instead. */
  faults: { answered: number }
  /** Every token response the server sent, oldest first. */
  issued: IssuedTokens[]
  /** The newest token response, for "is this secret anywhere it must not be" checks. */
  lastTokens(): IssuedTokens | undefined
  close(): Promise<void>
}

const DAY = 24 * 60 * 60

/** What a client of the server is configured with: its endpoints and the first client's credentials. */
export function clientSettings(oauth: OAuthServer) {
  const { issuer, authorizationUrl, tokenUrl, userInfoUrl, revocationUrl, clientId, clientSecret } = oauth
  return { issuer, authorizationUrl, tokenUrl, userInfoUrl, revocationUrl, clientId, clientSecret }
}

/** The client the server registers unless told otherwise (the README's quick start uses it). */
export const DEV_CLIENT = {
  clientId: 'dev-client',
  clientSecret: 'dev-client-secret',
  redirectUri: 'http://localhost:3000/integrations/callback/local',
} as const

// oidc-provider ships no type declarations; these are the few parts used here.
type Payload = Record<string, unknown>

interface Adapter {
  upsert(id: string, payload: Payload, expiresIn?: number): Promise<void>
  find(id: string): Promise<Payload | undefined>
  findByUid(uid: string): Promise<Payload | undefined>
  findByUserCode(userCode: string): Promise<Payload | undefined>
  consume(id: string): Promise<void>
  destroy(id: string): Promise<void>
  revokeByGrantId(grantId: string): Promise<void>
}

interface Account {
  accountId: string
  claims(): Promise<Record<string, unknown>>
}

interface GrantSuccessContext {
  oidc: { params?: { grant_type?: unknown } }
  body?: unknown
}

/** A token endpoint response as the server sent it. */
export interface IssuedTokens {
  access_token?: string
  refresh_token?: string
  [field: string]: unknown
}

interface ProviderInstance {
  callback(): (req: IncomingMessage, res: ServerResponse) => void
  use(middleware: (ctx: KoaContext, next: () => Promise<void>) => Promise<void>): unknown
  on(event: 'grant.success', listener: (ctx: GrantSuccessContext) => void): unknown
}

interface ProviderModule {
  default: new (issuer: string, configuration: Record<string, unknown>) => ProviderInstance
}

interface Discovery {
  authorization_endpoint: string
  token_endpoint: string
  userinfo_endpoint: string
  revocation_endpoint: string
  introspection_endpoint: string
}

/**
 * In-memory storage for every model. Clients are looked up through the adapter instead of the
 * static `clients` option so that their redirect URIs can change after the provider is built
 * (oidc-provider re-reads adapter-backed clients on every lookup, caching by content hash).
 */
function createAdapterFactory(clientMetadata: () => Map<string, Payload>): (model: string) => Adapter {
  const entries = new Map<string, { payload: Payload; expiresAt: number }>()
  const live = (key: string): Payload | undefined => {
    const entry = entries.get(key)
    if (!entry) return undefined
    if (entry.expiresAt <= Date.now()) {
      entries.delete(key)
      return undefined
    }
    return entry.payload
  }
  const findWhere = (model: string, field: string, value: string): Payload | undefined => {
    for (const key of entries.keys()) {
      const payload = key.startsWith(`${model}:`) ? live(key) : undefined
      if (payload?.[field] === value) return payload
    }
    return undefined
  }

  return (model) => ({
    async upsert(id, payload, expiresIn) {
      const expiresAt = expiresIn === undefined ? Number.POSITIVE_INFINITY : Date.now() + expiresIn * 1000
      entries.set(`${model}:${id}`, { payload, expiresAt })
    },
    async find(id) {
      return model === 'Client' ? clientMetadata().get(id) : live(`${model}:${id}`)
    },
    async findByUid(uid) {
      return findWhere(model, 'uid', uid)
    },
    async findByUserCode(userCode) {
      return findWhere(model, 'userCode', userCode)
    },
    async consume(id) {
      const payload = live(`${model}:${id}`)
      if (payload) payload.consumed = Math.floor(Date.now() / 1000)
    },
    async destroy(id) {
      entries.delete(`${model}:${id}`)
    },
    async revokeByGrantId(grantId) {
      for (const [key, { payload }] of entries) {
        if (payload.grantId === grantId) entries.delete(key)
      }
    },
  })
}

/**
 * Importing oidc-provider on Node 20 prints "Unsupported runtime", and building a provider prints
 * development-mode notices. Drop those lines (only those) while `fn` runs.
 */
async function withoutProviderNotices<T>(fn: () => Promise<T>): Promise<T> {
  const { warn, info } = console
  const filter =
    (original: (...args: unknown[]) => void) =>
    (...args: unknown[]): void => {
      if (typeof args[0] === 'string' && args[0].includes('oidc-provider ')) return
      original(...args)
    }
  console.warn = filter(warn)
  console.info = filter(info)
  try {
    return await fn()
  } finally {
    console.warn = warn
    console.info = info
  }
}

/** Thrown when the optional peer dependency oidc-provider is not installed. */
export const MISSING_OIDC_PROVIDER =
  'express-connections/dev-server needs the oidc-provider package, an optional peer dependency: ' +
  'run `npm install -D oidc-provider@9` in your app, then start it again.'

/** @internal the specifier is a parameter only so that a test can name a package that is not installed. */
export async function loadProvider(specifier = 'oidc-provider'): Promise<ProviderModule['default']> {
  try {
    // A non-literal specifier: the package has no types, and a literal import would be an implicit any.
    const mod = (await import(specifier)) as ProviderModule
    return mod.default
  } catch (error) {
    const code = (error as { code?: unknown }).code
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new Error(MISSING_OIDC_PROVIDER, { cause: error })
    }
    throw error
  }
}

/** The login name as typed, or `name@example.com`: whoever signs in as `ana@example.com` keeps it. */
export function emailOf(login: string): string {
  return login.includes('@') ? login : `${login}@example.com`
}

// oidc-provider's development login and consent pages import a web font from fonts.googleapis.com:
// drop it, so that the pages load offline and nothing the browser fetches leaves this machine.
const REMOTE_FONT = /@import url\(https:\/\/fonts\.googleapis\.com\/[^)]*\);?/g

interface KoaContext {
  body: unknown
  type: string
}

async function withoutRemoteFonts(ctx: KoaContext, next: () => Promise<void>): Promise<void> {
  await next()
  if (typeof ctx.body === 'string' && ctx.type.startsWith('text/html')) {
    ctx.body = ctx.body.replace(REMOTE_FONT, '')
  }
}

export async function startOAuthServer(options: OAuthServerOptions = {}): Promise<OAuthServer> {
  const { accessTokenTtl = 3600, port: requestedPort = 0, host = '127.0.0.1' } = options
  const { clientId, clientSecret, redirectUri } = DEV_CLIENT
  const devClient: OAuthClientConfig = { clientId, clientSecret, redirectUris: [redirectUri] }
  const clients = (options.clients ?? [devClient]).map((c) => ({
    ...c,
    redirectUris: [...c.redirectUris],
  }))
  const [primary] = clients
  if (!primary) throw new Error('startOAuthServer: at least one client is required')

  const clientMetadata = (): Map<string, Payload> =>
    new Map(
      clients.map((c) => [
        c.clientId,
        {
          client_id: c.clientId,
          redirect_uris: c.redirectUris,
          ...(c.jwks
            ? { token_endpoint_auth_method: 'private_key_jwt', jwks: c.jwks }
            : { token_endpoint_auth_method: 'client_secret_post', client_secret: c.clientSecret }),
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
        },
      ]),
    )

  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined
  const faults = { answered: 0 }
  const server = createServer((req, res) => {
    const fault = req.method === 'POST' && req.url === '/token' ? options.tokenEndpointFault?.() : undefined
    if (fault) {
      faults.answered += 1
      req.resume()
      if ('hangMs' in fault) setTimeout(() => res.writeHead(504).end(), fault.hangMs)
      else
        res
          .writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers })
          .end(JSON.stringify(fault.body ?? {}))
    } else if (handler) handler(req, res)
    else res.writeHead(503).end()
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(requestedPort, host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const issuer = `http://${host}:${port}`

  const grants = { authorizationCode: 0, refreshToken: 0 }
  const issued: IssuedTokens[] = []

  const provider = await withoutProviderNotices(async () => {
    const Provider = await loadProvider()
    return new Provider(issuer, {
      adapter: createAdapterFactory(clientMetadata),
      cookies: { keys: ['oauth-test-server-cookie-key'] },
      scopes: ['openid', 'email', 'profile', 'offline_access'],
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
      features: {
        devInteractions: { enabled: true },
        revocation: { enabled: true },
        introspection: { enabled: true },
        userinfo: { enabled: true },
      },
      pkce: { required: () => true },
      // The default only issues refresh tokens for offline_access scope granted with prompt=consent.
      issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(type: string): boolean }) =>
        client.grantTypeAllowed('refresh_token'),
      rotateRefreshToken: true,
      // Explicit values: each default lifetime prints a "you SHOULD change it" notice on first use.
      ttl: {
        AccessToken: typeof accessTokenTtl === 'function' ? () => accessTokenTtl() : accessTokenTtl,
        AuthorizationCode: 60,
        IdToken: 3600,
        Interaction: 3600,
        Grant: DAY * 14,
        Session: DAY * 14,
        RefreshToken: DAY * 14,
      },
      // Plain JSON error pages ({ error, error_description, state? }) instead of the noisy default.
      renderError: async (ctx: { type: string; body: unknown }, out: Record<string, string>) => {
        ctx.type = 'json'
        ctx.body = out
      },
      findAccount: async (_ctx: unknown, sub: string): Promise<Account> => ({
        accountId: sub,
        claims: async () => ({
          sub,
          email: emailOf(sub),
          email_verified: true,
          name: `Test User ${sub}`,
        }),
      }),
    })
  })

  provider.on('grant.success', (ctx) => {
    const grantType = ctx.oidc.params?.grant_type
    if (grantType === 'authorization_code') grants.authorizationCode += 1
    else if (grantType === 'refresh_token') grants.refreshToken += 1
    if (typeof ctx.body === 'object' && ctx.body !== null) issued.push({ ...(ctx.body as IssuedTokens) })
  })
  provider.use(withoutRemoteFonts)
  handler = provider.callback()

  const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as Discovery

  return {
    issuer,
    url: issuer,
    authorizationUrl: discovery.authorization_endpoint,
    tokenUrl: discovery.token_endpoint,
    userInfoUrl: discovery.userinfo_endpoint,
    revocationUrl: discovery.revocation_endpoint,
    introspectionUrl: discovery.introspection_endpoint,
    clientId: primary.clientId,
    clientSecret: primary.clientSecret,
    grants,
    faults,
    issued,
    lastTokens: () => issued.at(-1),
    setRedirectUris(uris, clientId = primary.clientId) {
      const client = clients.find((c) => c.clientId === clientId)
      if (!client) throw new Error(`Unknown client ${clientId}`)
      client.redirectUris = [...uris]
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()))
        // fetch keeps connections alive; without this close() waits for them to time out.
        server.closeAllConnections()
      }),
  }
}
