import { type PresetOptions, preset, text } from '../preset.js'
import type { OAuth2Provider } from '../types.js'

/**
 * Figma REST API. Scopes are comma-separated; the client authenticates with HTTP Basic at
 * `api.figma.com/v1/oauth/token`. Access tokens last 90 days and are refreshed at Figma's separate
 * refresh endpoint (`/v1/oauth/refresh`).
 *
 * @example providers.figma({ clientId, clientSecret, scopes: ['current_user:read', 'file_content:read'] })
 */
export function figma(options: PresetOptions): OAuth2Provider {
  return preset(options, {
    id: 'figma',
    name: 'Figma',
    authorizationUrl: 'https://www.figma.com/oauth',
    tokenUrl: 'https://api.figma.com/v1/oauth/token',
    refreshUrl: 'https://api.figma.com/v1/oauth/refresh',
    userInfoUrl: 'https://api.figma.com/v1/me',
    apiBaseUrl: 'https://api.figma.com/v1',
    scopes: ['current_user:read', 'file_content:read'],
    scopeSeparator: ',',
    tokenAuth: 'client_secret_basic',
    profile: (user, tokens) => ({
      accountId: text(user.id) ?? text(tokens.user_id_string),
      accountEmail: text(user.email),
      displayName: text(user.handle),
    }),
    details: async ({ userInfo }) => {
      const handle = text(userInfo.handle)
      return handle ? { metadata: { handle } } : {}
    },
    docsUrl: 'https://developers.figma.com/docs/rest-api/authentication/',
    quirks: [
      'comma-separated scopes',
      'client_secret_basic at the token endpoint',
      'refreshes go to /v1/oauth/refresh, not the token endpoint',
      'no revocation endpoint',
    ],
  })
}
