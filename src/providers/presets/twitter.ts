import { type PresetOptions, preset, record, text } from '../preset.js'
import type { OAuth2Provider } from '../types.js'

/**
 * X (Twitter) API v2 with OAuth 2.0 for a confidential client (a "Web App" in the developer
 * portal): the client authenticates with a Basic header, PKCE is mandatory, `offline.access` brings
 * a refresh token. X never shares the account's email through this API.
 *
 * @example providers.twitter({ clientId, clientSecret, scopes: ['tweet.read', 'tweet.write', 'users.read', 'offline.access'] })
 */
export function twitter(options: PresetOptions): OAuth2Provider {
  return preset(options, {
    id: 'twitter',
    name: 'X (Twitter)',
    // X authorizes on x.com and serves the API (token, revocation included) on api.x.com.
    // https://docs.x.com/fundamentals/authentication/oauth-2-0/user-access-token (read 2026-12-07)
    authorizationUrl: 'https://x.com/i/oauth2/authorize',
    tokenUrl: 'https://api.x.com/2/oauth2/token',
    userInfoUrl: 'https://api.x.com/2/users/me',
    revocationUrl: 'https://api.x.com/2/oauth2/revoke',
    apiBaseUrl: 'https://api.x.com/2',
    scopes: ['tweet.read', 'users.read', 'offline.access'],
    tokenAuth: 'client_secret_basic',
    profile: (info) => {
      const user = record(info.data)
      return { accountId: text(user.id), accountEmail: null, displayName: text(user.username) }
    },
    // Without an email the connection would only say "X (Twitter)": the handle names it.
    details: async ({ userInfo }) => {
      const user = record(userInfo.data)
      return { metadata: { username: text(user.username), name: text(user.name) } }
    },
    docsUrl: 'https://docs.x.com/fundamentals/authentication/oauth-2-0/authorization-code',
    quirks: [
      'authorizes on x.com, API on api.x.com',
      'confidential client authenticates with HTTP Basic',
      'PKCE required',
      'offline.access for a refresh token; refresh tokens rotate',
      'no email: the @username goes to metadata',
      'user object nested under data',
    ],
  })
}
