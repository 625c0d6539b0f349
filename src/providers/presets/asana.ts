import { type PresetOptions, preset, record, text } from '../preset.js'
import type { OAuth2Provider } from '../types.js'

export interface AsanaOptions extends PresetOptions {
  /**
   * How the app is registered in Asana's developer console, which decides what it may ask for:
   * `granular` (the default, apps with specific scopes) asks for `users:read workspaces:read
   * projects:read tasks:read`; `full` ("Full permissions") asks for `default`. The two modes exclude
   * each other: each refuses the other's scopes. `scopes` still overrides both.
   */
  permissions?: 'granular' | 'full'
}

// Granular scopes and the "Full permissions" mode (scope `default`) exclude each other.
// https://developers.asana.com/docs/oauth-scopes and https://developers.asana.com/docs/oauth (read 2026-12-07)
const DEFAULT_SCOPES = {
  granular: ['users:read', 'workspaces:read', 'projects:read', 'tasks:read'],
  full: ['default'],
} as const

/**
 * Asana. The token response names the user in `data` (`gid`, `name`, `email`), so no profile
 * request is made. Access tokens last an hour; a refresh keeps the refresh token. Revoking the
 * refresh token at `/-/oauth_revoke` ends the grant. Apps registered for specific scopes ask for
 * them (the default); apps in "Full permissions" mode say `permissions: 'full'`.
 *
 * @example providers.asana({ clientId, clientSecret, scopes: ['tasks:read', 'projects:read'] })
 * @example providers.asana({ clientId, clientSecret, permissions: 'full' })
 */
export function asana(options: AsanaOptions): OAuth2Provider {
  const { permissions = 'granular', ...rest } = options
  if (!Object.hasOwn(DEFAULT_SCOPES, permissions)) {
    throw new TypeError("providers.asana: permissions must be 'granular' or 'full'")
  }
  return preset(rest, {
    id: 'asana',
    name: 'Asana',
    authorizationUrl: 'https://app.asana.com/-/oauth_authorize',
    tokenUrl: 'https://app.asana.com/-/oauth_token',
    revocationUrl: 'https://app.asana.com/-/oauth_revoke',
    apiBaseUrl: 'https://app.asana.com/api/1.0',
    scopes: [...DEFAULT_SCOPES[permissions]],
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
      "permissions option: granular scopes (default) or 'full' (scope default) for Full permissions apps",
    ],
  })
}
