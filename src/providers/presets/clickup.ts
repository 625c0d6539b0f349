import { type PresetOptions, preset, record, text } from '../preset.js'
import type { OAuth2Provider } from '../types.js'

/**
 * ClickUp. The user picks the Workspaces the app may see on the consent screen; there are no
 * scopes, and tokens do not expire (no refresh token).
 *
 * @example providers.clickup({ clientId, clientSecret })
 */
export function clickup(options: PresetOptions): OAuth2Provider {
  return preset(options, {
    id: 'clickup',
    name: 'ClickUp',
    authorizationUrl: 'https://app.clickup.com/api',
    tokenUrl: 'https://api.clickup.com/api/v2/oauth/token',
    userInfoUrl: 'https://api.clickup.com/api/v2/user',
    apiBaseUrl: 'https://api.clickup.com/api/v2',
    scopes: [],
    profile: (info) => {
      const user = record(info.user)
      return {
        accountId: text(user.id),
        accountEmail: text(user.email),
        displayName: text(user.username),
      }
    },
    docsUrl: 'https://developer.clickup.com/docs/authentication',
    quirks: [
      'no scopes: Workspaces are chosen on the consent screen',
      'tokens do not expire and have no refresh token',
      'profile nested under user',
    ],
  })
}
