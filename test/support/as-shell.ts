import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import express from 'express'
import { type ClientAuthenticationOptions, type OAuth2Provider, providers } from '../../src/index.js'
import { exemptResponse, marked } from './canary.js'

/**
 * An authorization server from npm wrapped in a small Express app, as its users run it: a login page
 * (any login name, then consent is automatic), the token and revocation endpoints, a protected API
 * route, and RFC 8414 metadata saying what it really does.
 */
export interface LocalAuthServer {
  /** The server's origin, also its issuer. */
  url: string
  issuer: string
  authorizationUrl: string
  tokenUrl: string
  revocationUrl: string
  /** `GET` with a bearer token: `{ sub, email, name }` of the token's user; 401 for a dead token. */
  apiUrl: string
  clientId: string
  /** Null for a public client. */
  clientSecret: string | null
  setRedirectUris(uris: string[]): void
  /** Successful token endpoint grants, by grant type. */
  grants: { authorizationCode: number; refreshToken: number }
  /** Every token response sent, oldest first (the secret canary watches it). */
  issued: Array<Record<string, unknown>>
  /** How each token and revocation request authenticated the client: `basic`, `post` or `none`. */
  clientAuthentication: string[]
  /** Whether `token` (access or refresh) still works at this server. */
  isActive(token: string): Promise<boolean>
  close(): Promise<void>
}

export interface LocalAuthServerOptions {
  /** The client's secret (default: a marked base64 one with `/`, `+` and `=`); null: a public client. */
  clientSecret?: string | null
  /** Access token lifetime in seconds (default 3600). */
  accessTokenTtl?: number
}

/** A client secret in base64, as many servers generate them: with `/`, `+` and `=`. */
export const BASE64_SECRET = `${marked('s3cr/t+with=pad')}==`

export interface ShellParts {
  app: express.Express
  /**
   * The login page: a form posting back to the authorization request's own URL, shaped like
   * oidc-provider's (`prompt=login`, `login`, `password`) so that `loginAndConsent` fills it too.
   */
  loginPage(req: express.Request, res: express.Response): void
  /** Records how a request at the token or revocation endpoint authenticated the client. */
  noteClientAuthentication(req: express.Request): void
}

/** The Express app every local server is built in, with its login page. */
export function createShell(clientAuthentication: string[]): ShellParts {
  const app = express()
  app.use(express.urlencoded({ extended: false }))
  return {
    app,
    loginPage(req, res) {
      const query = new URL(req.originalUrl, 'http://x').search
      const action = `${req.baseUrl}${req.path}${query}`.replace(/&/g, '&amp;').replace(/"/g, '&quot;')
      res
        .type('html')
        .send(
          `<!doctype html><form method="post" action="${action}"><input type="hidden" name="prompt" value="login">` +
            '<input name="login"><input name="password" type="password"><button>Sign in</button></form>',
        )
    },
    noteClientAuthentication(req) {
      const header = req.get('authorization') ?? ''
      const body = req.body as Record<string, string | undefined>
      clientAuthentication.push(
        header.startsWith('Basic ') ? 'basic' : body.client_secret !== undefined ? 'post' : 'none',
      )
    },
  }
}

/** Where a local server answers: the part of {@link LocalAuthServer} every server has alike. */
export type Endpoints = Pick<
  LocalAuthServer,
  'url' | 'issuer' | 'authorizationUrl' | 'tokenUrl' | 'revocationUrl' | 'apiUrl' | 'close'
>

/**
 * Binds the app on 127.0.0.1 (a free port) with RFC 8414 metadata listing what its token endpoint
 * really takes (a public client: `none` only).
 */
export async function listen(app: express.Express, clientSecret: string | null): Promise<Endpoints> {
  // The server's answers hold tokens by design: the canary watches what the router does with them.
  const server = createServer((req, res) => {
    exemptResponse(res)
    app(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const methods = clientSecret === null ? ['none'] : ['client_secret_basic', 'client_secret_post']
  app.get('/.well-known/oauth-authorization-server', (_req, res) => {
    res.json({
      issuer: url,
      authorization_endpoint: `${url}/authorize`,
      token_endpoint: `${url}/token`,
      revocation_endpoint: `${url}/revoke`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: methods,
      revocation_endpoint_auth_methods_supported: methods,
    })
  })
  return {
    url,
    issuer: url,
    authorizationUrl: `${url}/authorize`,
    tokenUrl: `${url}/token`,
    revocationUrl: `${url}/revoke`,
    apiUrl: `${url}/api/me`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** An opaque token carrying the canary marker. */
export function newToken(kind: string): string {
  return marked(`${kind}-${randomBytes(18).toString('base64url')}`)
}

/** The user a login name stands for. */
export function userOf(login: string): { id: string; email: string; name: string } {
  return { id: `user-${login}`, email: `${login}@example.com`, name: login }
}

/** How the router's client authenticates at a local server (see `tokenAuth` in the README). */
export type Authentication = ClientAuthenticationOptions & { basicAuthEncoding?: 'form' | 'raw' }

/**
 * The router's provider for a local server, id `as` (callback `<mount>/callback/as`), asking for
 * `read`, with the server's API as user info and proxy base.
 *
 * @example
 * const server = await startJmondiServer()
 * const app = await startTestApp(null, { providers: [outsideProvider(server, { clientSecret: server.clientSecret! })] })
 * server.setRedirectUris([`${app.mount}/callback/as`])
 */
export function outsideProvider(server: LocalAuthServer, authentication: Authentication): OAuth2Provider {
  return providers.oauth2({
    id: 'as',
    name: 'Outside AS',
    authorizationUrl: server.authorizationUrl,
    tokenUrl: server.tokenUrl,
    revocationUrl: server.revocationUrl,
    userInfoUrl: server.apiUrl,
    apiBaseUrl: server.url,
    clientId: server.clientId,
    scopes: ['read'],
    ...authentication,
  })
}
