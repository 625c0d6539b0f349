import { type PresetOptions, preset, text } from '../preset.js'
import type { OAuth2Provider } from '../types.js'

/**
 * Box. Access tokens last about an hour; refresh tokens are single use (each refresh returns a new
 * one, valid 60 days) and are stored on every refresh. Scopes are those enabled on the app in the
 * Box developer console; the default asks for read access to all files and folders.
 *
 * @example providers.box({ clientId, clientSecret, scopes: ['root_readwrite'] })
 */
export function box(options: PresetOptions): OAuth2Provider {
  return preset(options, {
    id: 'box',
    name: 'Box',
    authorizationUrl: 'https://account.box.com/api/oauth2/authorize',
    tokenUrl: 'https://api.box.com/oauth2/token',
    userInfoUrl: 'https://api.box.com/2.0/users/me',
    revocationUrl: 'https://api.box.com/oauth2/revoke',
    apiBaseUrl: 'https://api.box.com/2.0',
    scopes: ['root_readonly'],
    profile: (user) => ({
      accountId: text(user.id),
      accountEmail: text(user.login),
      displayName: text(user.name),
    }),
    docsUrl: 'https://developer.box.com/guides/authentication/oauth2/',
    quirks: [
      'refresh tokens are single use and rotate on every refresh',
      'the account email is the user login',
      'scopes must be enabled on the app in the developer console',
    ],
  })
}
