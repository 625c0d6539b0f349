import { type PresetOptions, preset, text } from '../preset.js'
import type { OAuth2Provider } from '../types.js'

/**
 * Discord. `identify email` names the account; access tokens last a week and come with a refresh
 * token. The username is kept in metadata (the display name is `global_name` when set).
 *
 * @example providers.discord({ clientId, clientSecret, scopes: ['identify', 'email', 'guilds'] })
 */
export function discord(options: PresetOptions): OAuth2Provider {
  return preset(options, {
    id: 'discord',
    name: 'Discord',
    authorizationUrl: 'https://discord.com/oauth2/authorize',
    tokenUrl: 'https://discord.com/api/oauth2/token',
    userInfoUrl: 'https://discord.com/api/v10/users/@me',
    revocationUrl: 'https://discord.com/api/oauth2/token/revoke',
    apiBaseUrl: 'https://discord.com/api/v10',
    scopes: ['identify', 'email'],
    profile: (user) => ({
      accountId: text(user.id),
      accountEmail: text(user.email),
      displayName: text(user.global_name) ?? text(user.username),
    }),
    details: async ({ userInfo }) => {
      const username = text(userInfo.username)
      return username ? { metadata: { username } } : {}
    },
    docsUrl: 'https://discord.com/developers/docs/topics/oauth2',
    quirks: [
      'email only with the email scope',
      'display name is global_name, falling back to username',
      'versioned API base (v10)',
    ],
  })
}
