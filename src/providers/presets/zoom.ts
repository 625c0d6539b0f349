import { type PresetOptions, preset, text } from '../preset.js'
import type { OAuth2Provider } from '../types.js'

/**
 * Zoom user-managed OAuth app (General app). The client authenticates with HTTP Basic at the token
 * and revocation endpoints; each refresh returns a new refresh token and ends the old one. The
 * scopes are those chosen for the app in the Zoom App Marketplace (granular ones such as
 * `user:read:user` on apps made since 2024), so none are asked for by default.
 *
 * @example providers.zoom({ clientId, clientSecret })
 */
export function zoom(options: PresetOptions): OAuth2Provider {
  return preset(options, {
    id: 'zoom',
    name: 'Zoom',
    authorizationUrl: 'https://zoom.us/oauth/authorize',
    tokenUrl: 'https://zoom.us/oauth/token',
    userInfoUrl: 'https://api.zoom.us/v2/users/me',
    revocationUrl: 'https://zoom.us/oauth/revoke',
    apiBaseUrl: 'https://api.zoom.us/v2',
    scopes: [],
    tokenAuth: 'client_secret_basic',
    profile: (user) => {
      const fullName = [text(user.first_name), text(user.last_name)].filter(Boolean).join(' ')
      return {
        accountId: text(user.id),
        accountEmail: text(user.email),
        displayName: text(user.display_name) ?? (fullName || null),
      }
    },
    details: async ({ userInfo }) => {
      const accountId = text(userInfo.account_id)
      return accountId ? { metadata: { zoomAccountId: accountId } } : {}
    },
    docsUrl: 'https://developers.zoom.us/docs/integrations/oauth/',
    quirks: [
      'client_secret_basic at the token and revocation endpoints',
      'refresh tokens rotate on every refresh',
      'scopes are set on the app in the Marketplace, none requested by default',
      'Zoom account id kept in metadata',
    ],
  })
}
