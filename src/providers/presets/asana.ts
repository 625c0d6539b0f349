import { type PresetOptions, preset, record, text } from '../preset.js'
import type { OAuth2Provider } from '../types.js'

/**
 * Asana. The token response names the user in `data` (`gid`, `name`, `email`), so no profile
 * request is made. Access tokens last an hour; a refresh keeps the refresh token. Revoking the
 * refresh token at `/-/oauth_revoke` ends the grant. Apps registered for specific scopes ask for
 * them here; apps with full permissions may pass `scopes: ['default']`.
 *
 * @example providers.asana({ clientId, clientSecret, scopes: ['tasks:read', 'projects:read'] })
 */
export function asana(options: PresetOptions): OAuth2Provider {
  return preset(options, {
    id: 'asana',
    name: 'Asana',
    authorizationUrl: 'https://app.asana.com/-/oauth_authorize',
    tokenUrl: 'https://app.asana.com/-/oauth_token',
    revocationUrl: 'https://app.asana.com/-/oauth_revoke',
    apiBaseUrl: 'https://app.asana.com/api/1.0',
    scopes: ['users:read', 'workspaces:read', 'projects:read', 'tasks:read'],
    profile: (_userInfo, tokens) => {
      const user = record(tokens.data)
      return {
        accountId: text(user.gid) ?? text(user.id),
        accountEmail: text(user.email),
        displayName: text(user.name),
      }
    },
    docsUrl: 'https://developers.asana.com/docs/oauth',
    quirks: [
      'user read from the token response data (gid, name, email), no profile request',
      'revocation takes the refresh token',
    ],
  })
}
