import { type PresetOptions, preset, record, text } from '../preset.js'
import type { OAuth2Provider, TokenResponse } from '../types.js'

/**
 * Twitch. Helix wants the app's `Client-Id` header beside the token on every call; the token
 * endpoint answers `scope` as an array. Access tokens last about four hours; refresh tokens rotate.
 *
 * @example providers.twitch({ clientId, clientSecret, scopes: ['user:read:email', 'channel:read:subscriptions'] })
 */
export function twitch(options: PresetOptions): OAuth2Provider {
  const clientIdHeader = { 'Client-Id': options.clientId }
  return preset(options, {
    id: 'twitch',
    name: 'Twitch',
    authorizationUrl: 'https://id.twitch.tv/oauth2/authorize',
    tokenUrl: 'https://id.twitch.tv/oauth2/token',
    userInfoUrl: 'https://api.twitch.tv/helix/users',
    revocationUrl: 'https://id.twitch.tv/oauth2/revoke',
    apiBaseUrl: 'https://api.twitch.tv/helix',
    scopes: ['user:read:email'],
    userInfoHeaders: clientIdHeader,
    apiHeaders: clientIdHeader,
    parseTokenResponse: (raw) => {
      const tokens = { ...raw } as TokenResponse
      if (Array.isArray(raw.scope)) {
        tokens.scope = raw.scope.filter((s): s is string => typeof s === 'string').join(' ')
      }
      return tokens
    },
    profile: (info) => {
      const user = record(Array.isArray(info.data) ? info.data[0] : undefined)
      return {
        accountId: text(user.id),
        accountEmail: text(user.email),
        displayName: text(user.display_name) ?? text(user.login),
      }
    },
    details: async ({ userInfo }) => {
      const user = record(Array.isArray(userInfo.data) ? userInfo.data[0] : undefined)
      return { metadata: { login: text(user.login) } }
    },
    docsUrl: 'https://dev.twitch.tv/docs/authentication/getting-tokens-oauth/#authorization-code-grant-flow',
    quirks: [
      'Client-Id header on profile and API calls',
      'scope answered as an array',
      'user is data[0] of /helix/users',
      'refresh tokens rotate',
    ],
  })
}
