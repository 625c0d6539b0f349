import { randomUUID } from 'node:crypto'
import OAuth2Server, {
  type AuthorizationCode,
  type Client,
  type RefreshToken,
  type Token,
  type User,
} from '@node-oauth/oauth2-server'
import type express from 'express'
import {
  BASE64_SECRET,
  createShell,
  type LocalAuthServer,
  type LocalAuthServerOptions,
  listen,
  newToken,
  userOf,
} from './as-shell.js'

export interface NodeOAuthServerOptions extends LocalAuthServerOptions {
  /**
   * Extra fields on each token response, through the server's `allowExtendedTokenAttributes` (a
   * field it already sends, like `expires_in`, is replaced): what an odd server answers.
   */
  tokenExtras?: () => Record<string, unknown>
}

/**
 * @node-oauth/oauth2-server 5 (the maintained fork of oauth2-server) in an Express app. Its Basic
 * client authentication does not form-decode id and secret (RFC 6749 §2.3.1 says to); it has no
 * revocation endpoint, so the app adds an RFC 7009 one that authenticates the client the same way.
 * Revoking either token ends the whole grant.
 */
export async function startNodeOAuthServer(options: NodeOAuthServerOptions = {}): Promise<LocalAuthServer> {
  const clientSecret = options.clientSecret === undefined ? BASE64_SECRET : options.clientSecret
  const client: Client = {
    id: 'node-oauth-client',
    grants: ['authorization_code', 'refresh_token'],
    redirectUris: [],
    accessTokenLifetime: options.accessTokenTtl ?? 3600,
  }
  const codes = new Map<string, AuthorizationCode>()
  const tokens = new Map<string, Token>()
  const grantOf = new Map<string, string>()
  const deadGrants = new Set<string>()
  const grants = { authorizationCode: 0, refreshToken: 0 }
  const issued: Array<Record<string, unknown>> = []
  const seen: string[] = []

  const alive = (token: Token | undefined, field: 'accessToken' | 'refreshToken'): boolean => {
    if (!token || deadGrants.has(grantOf.get(token[field] ?? '') ?? '')) return false
    const expires = field === 'accessToken' ? token.accessTokenExpiresAt : token.refreshTokenExpiresAt
    return !expires || expires.getTime() > Date.now()
  }

  const model = {
    async getClient(id: string, secret: string | null | undefined) {
      if (id !== client.id) return false
      // null: the authorization request looks the client up. undefined: a token request without a
      // secret, which node-oauth lets through for PKCE; a confidential client must still send it.
      if (secret === null) return client
      if (clientSecret === null) return secret === undefined ? client : false
      return secret === clientSecret ? client : false
    },
    async saveAuthorizationCode(code: AuthorizationCode, c: Client, user: User) {
      const saved = { ...code, client: c, user }
      codes.set(code.authorizationCode, saved)
      return saved
    },
    async getAuthorizationCode(code: string) {
      return codes.get(code) ?? false
    },
    async revokeAuthorizationCode(code: AuthorizationCode) {
      return codes.delete(code.authorizationCode)
    },
    async generateAccessToken() {
      return newToken('node-oauth-at')
    },
    async generateRefreshToken() {
      return newToken('node-oauth-rt')
    },
    async saveToken(token: Token, c: Client, user: User) {
      const saved: Token = { ...token, client: c, user, ...options.tokenExtras?.() }
      // A refresh continues its grant (the refresh token grant looks it up first); a code starts one.
      const grant = (user as { grant?: string }).grant ?? `grant-${randomUUID()}`
      const withGrant = { ...saved, user: { ...user, grant } }
      for (const value of [token.accessToken, token.refreshToken]) {
        if (value) {
          tokens.set(value, withGrant)
          grantOf.set(value, grant)
        }
      }
      return withGrant
    },
    async getAccessToken(accessToken: string) {
      const token = tokens.get(accessToken)
      return alive(token, 'accessToken') ? token : false
    },
    async getRefreshToken(refreshToken: string) {
      const token = tokens.get(refreshToken)
      return alive(token, 'refreshToken') ? (token as RefreshToken) : false
    },
    async revokeToken(token: RefreshToken) {
      // Rotation: the used refresh token dies, the grant lives on.
      tokens.delete(token.refreshToken)
      return true
    },
  }

  const server = new OAuth2Server({
    model,
    allowExtendedTokenAttributes: true,
    // A public client refreshes with its client_id only (RFC 6749 §6).
    requireClientAuthentication: { refresh_token: clientSecret !== null },
  })
  const shell = createShell(seen)
  const { app } = shell

  const send = (res: express.Response, response: OAuth2Server.Response) => {
    res.set(response.headers ?? {})
    res.status(response.status ?? 200)
    if (response.status === 302) res.end()
    else res.json(response.body)
  }

  app.get('/authorize', shell.loginPage)
  app.post('/authorize', async (req, res) => {
    // PKCE with S256 on every flow, as OAuth 2.1 asks (node-oauth makes it optional).
    if (req.query.code_challenge_method !== 'S256') return void res.status(400).send('PKCE S256 required')
    const login = String((req.body as { login?: string }).login ?? '')
    const response = new OAuth2Server.Response(res)
    try {
      await server.authorize(new OAuth2Server.Request(req), response, {
        authenticateHandler: { handle: () => ({ ...userOf(login), login }) },
      })
    } catch {
      // The error is in the response (a redirect to the client, or a status).
    }
    send(res, response)
  })

  app.post('/token', async (req, res) => {
    shell.noteClientAuthentication(req)
    const response = new OAuth2Server.Response(res)
    try {
      await server.token(new OAuth2Server.Request(req), response)
      const grant = (req.body as { grant_type?: string }).grant_type
      if (grant === 'refresh_token') grants.refreshToken += 1
      else grants.authorizationCode += 1
      issued.push(response.body as Record<string, unknown>)
    } catch {
      // The error is in the response.
    }
    send(res, response)
  })

  app.post('/revoke', async (req, res) => {
    shell.noteClientAuthentication(req)
    // The client authenticates as at the token endpoint, read the way node-oauth reads it (its
    // basic-auth dependency splits the decoded header at the first colon and decodes nothing more).
    const body = req.body as Record<string, string | undefined>
    const basic = /^Basic (.+)$/.exec(req.get('authorization') ?? '')?.[1]
    const [id, secret] = basic
      ? splitOnce(Buffer.from(basic, 'base64').toString())
      : [body.client_id, body.client_secret]
    if (!id || !(await model.getClient(id, secret))) {
      return void res.status(401).json({ error: 'invalid_client' })
    }
    const grant = grantOf.get(body.token ?? '')
    if (grant) deadGrants.add(grant)
    res.status(200).end()
  })

  app.get('/api/me', async (req, res) => {
    const response = new OAuth2Server.Response(res)
    try {
      const token = await server.authenticate(new OAuth2Server.Request(req), response)
      const { id, email, name } = token.user as ReturnType<typeof userOf>
      res.json({ sub: id, email, name })
    } catch {
      res.status(401).json({ error: 'invalid_token' })
    }
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
      const found = tokens.get(token)
      return found?.accessToken === token ? alive(found, 'accessToken') : alive(found, 'refreshToken')
    },
  }
}

function splitOnce(credentials: string): [string | undefined, string | undefined] {
  const colon = credentials.indexOf(':')
  return colon < 0 ? [undefined, undefined] : [credentials.slice(0, colon), credentials.slice(colon + 1)]
}
