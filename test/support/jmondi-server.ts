import { randomBytes } from 'node:crypto'
import {
  AuthorizationServer,
  DateInterval,
  JwtService,
  type OAuthAuthCode,
  type OAuthClient,
  type OAuthScope,
  type OAuthToken,
  type OAuthUser,
} from '@jmondi/oauth2-server'
import { handleExpressError, handleExpressResponse, requestFromExpress } from '@jmondi/oauth2-server/express'
import {
  BASE64_SECRET,
  createShell,
  type LocalAuthServer,
  type LocalAuthServerOptions,
  listen,
  newToken,
  userOf,
} from './as-shell.js'

export interface JmondiServer extends LocalAuthServer {
  /**
   * Revokes, on the server's side, every grant issued so far (an admin or the user ending the app's
   * access): their access and refresh tokens stop working. jmondi then answers a refresh with
   * `invalid_request` ("Token has been revoked"), not RFC 6749's `invalid_grant`. Returns how many.
   */
  revokeGrants(): number
}

/** The scopes this server knows; a flow must ask for at least one. */
export const JMONDI_SCOPES = ['read', 'write']

/**
 * @jmondi/oauth2-server 4 (ts-oauth2-server) in an Express app: PKCE S256 required, access tokens
 * are JWTs, refresh tokens rotate, and revocation (RFC 7009) authenticates the client first but
 * answers 200 either way. Its Basic client authentication does not form-decode id and secret.
 */
export async function startJmondiServer(options: LocalAuthServerOptions = {}): Promise<JmondiServer> {
  const clientSecret = options.clientSecret === undefined ? BASE64_SECRET : options.clientSecret
  const scopes: OAuthScope[] = JMONDI_SCOPES.map((name) => ({ name }))
  const client: OAuthClient = {
    id: 'jmondi-client',
    name: 'jmondi client',
    secret: clientSecret,
    redirectUris: [],
    allowedGrants: ['authorization_code', 'refresh_token'],
    scopes,
  }
  const codes = new Map<string, OAuthAuthCode>()
  const revokedCodes = new Set<string>()
  const byAccess = new Map<string, OAuthToken>()
  const byRefresh = new Map<string, OAuthToken>()
  const grants = { authorizationCode: 0, refreshToken: 0 }
  const issued: Array<Record<string, unknown>> = []
  const seen: string[] = []
  const ttlSeconds = options.accessTokenTtl ?? 3600

  const revoke = (token: OAuthToken) => {
    const past = new Date(Date.now() - 1000)
    token.accessTokenExpiresAt = past
    token.refreshTokenExpiresAt = past
  }
  const live = (token: OAuthToken | undefined, expires: Date | null | undefined): token is OAuthToken =>
    token !== undefined && (expires?.getTime() ?? 0) > Date.now()

  const jwt = new JwtService(randomBytes(32).toString('hex'))
  const server = new AuthorizationServer(
    {
      async getByIdentifier(id: string) {
        if (id !== client.id) throw new Error('unknown client')
        return client
      },
      // No grant check here: jmondi authenticates a revocation as a client_credentials request.
      async isClientValid(_grantType, c, secret) {
        return c.secret ? secret === c.secret : true
      },
    },
    {
      async issueToken(c: OAuthClient, granted: OAuthScope[], user?: OAuthUser | null) {
        return {
          accessToken: newToken('jmondi-at'),
          accessTokenExpiresAt: new Date(Date.now() + ttlSeconds * 1000),
          client: c,
          user: user ?? null,
          scopes: granted,
        }
      },
      // jmondi leaves storing the refresh token to the repository: the access token's entity gets it.
      async issueRefreshToken(token: OAuthToken) {
        token.refreshToken = newToken('jmondi-rt')
        token.refreshTokenExpiresAt = new Date(Date.now() + 30 * 24 * 3600 * 1000)
        byRefresh.set(token.refreshToken, token)
        return token
      },
      async persist(token: OAuthToken) {
        byAccess.set(token.accessToken, token)
        if (token.refreshToken) byRefresh.set(token.refreshToken, token)
      },
      async revoke(token: OAuthToken) {
        revoke(token)
      },
      async isRefreshTokenRevoked(token: OAuthToken) {
        return !live(token, token.refreshTokenExpiresAt)
      },
      async getByRefreshToken(refreshToken: string) {
        const token = byRefresh.get(refreshToken)
        if (!token) throw new Error('unknown refresh token')
        return token
      },
      async getByAccessToken(accessToken: string) {
        const token = byAccess.get(accessToken)
        if (!token) throw new Error('unknown access token')
        return token
      },
    },
    {
      async getAllByIdentifiers(names: string[]) {
        return scopes.filter((scope) => names.includes(scope.name))
      },
      async finalize(requested: OAuthScope[]) {
        return requested
      },
    },
    jwt,
    { requiresPKCE: true, requiresS256: true, authenticateRevoke: true },
  )
  const ttl = new DateInterval(`${ttlSeconds}s`)
  server.enableGrantTypes(
    [
      {
        grant: 'authorization_code',
        authCodeRepository: {
          async getByIdentifier(code: string) {
            const found = codes.get(code)
            if (!found) throw new Error('unknown code')
            return found
          },
          issueAuthCode(c: OAuthClient, user: OAuthUser | undefined, granted: OAuthScope[]) {
            return {
              code: newToken('jmondi-code'),
              user: user ?? null,
              client: c,
              scopes: granted,
              expiresAt: new Date(Date.now() + 600_000),
            }
          },
          async persist(code: OAuthAuthCode) {
            codes.set(code.code, code)
          },
          async isRevoked(code: string) {
            return revokedCodes.has(code)
          },
          async revoke(code: string) {
            revokedCodes.add(code)
          },
        },
        userRepository: {
          async getUserByCredentials(id) {
            return { id: String(id) }
          },
        },
      },
      ttl,
    ],
    ['refresh_token', ttl],
  )

  const shell = createShell(seen)
  const { app } = shell
  app.get('/authorize', shell.loginPage)
  app.post('/authorize', async (req, res) => {
    try {
      const request = await server.validateAuthorizationRequest(requestFromExpress(req))
      const login = String((req.body as { login?: string }).login ?? '')
      request.user = { id: login }
      request.isAuthorizationApproved = true
      handleExpressResponse(res, await server.completeAuthorizationRequest(request))
    } catch (error) {
      handleExpressError(error, res)
    }
  })

  app.post('/token', async (req, res) => {
    shell.noteClientAuthentication(req)
    try {
      const response = await server.respondToAccessTokenRequest(requestFromExpress(req))
      const grant = (req.body as { grant_type?: string }).grant_type
      if (grant === 'refresh_token') grants.refreshToken += 1
      else grants.authorizationCode += 1
      issued.push(response.body as Record<string, unknown>)
      handleExpressResponse(res, response)
    } catch (error) {
      handleExpressError(error, res)
    }
  })

  app.post('/revoke', async (req, res) => {
    shell.noteClientAuthentication(req)
    try {
      handleExpressResponse(res, await server.revoke(requestFromExpress(req)))
    } catch (error) {
      handleExpressError(error, res)
    }
  })

  /** The access token is a JWT signed by the server; its `jti` is the token the repository keeps. */
  const tokenOf = async (authorization: string | undefined): Promise<OAuthToken | undefined> => {
    const bearer = /^Bearer (.+)$/.exec(authorization ?? '')?.[1]
    if (!bearer) return undefined
    const claims = await jwt.verify(bearer).catch(() => undefined)
    const token = typeof claims?.jti === 'string' ? byAccess.get(claims.jti) : undefined
    return live(token, token?.accessTokenExpiresAt) ? token : undefined
  }

  app.get('/api/me', async (req, res) => {
    const token = await tokenOf(req.get('authorization'))
    if (!token?.user) return void res.status(401).json({ error: 'invalid_token' })
    const { id, email, name } = userOf(String(token.user.id))
    res.json({ sub: id, email, name })
  })

  return {
    ...(await listen(app, clientSecret)),
    clientId: client.id,
    clientSecret,
    setRedirectUris(uris) {
      client.redirectUris = uris
    },
    grants,
    issued,
    clientAuthentication: seen,
    async isActive(token) {
      const byJwt = await tokenOf(`Bearer ${token}`)
      if (byJwt) return true
      // Refresh tokens are signed JWTs too (jmondi's default), naming the stored one.
      const claims = await jwt.verify(token).catch(() => undefined)
      const id = claims?.refresh_token_id
      const refresh = typeof id === 'string' ? byRefresh.get(id) : undefined
      return live(refresh, refresh?.refreshTokenExpiresAt)
    },
    revokeGrants() {
      let count = 0
      for (const token of byRefresh.values()) {
        if (live(token, token.refreshTokenExpiresAt)) count += 1
        revoke(token)
      }
      return count
    },
  }
}
