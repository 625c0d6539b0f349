import { type PresetOptions, preset, text } from '../preset.js'
import type { OAuth2Provider } from '../types.js'

/**
 * Spotify Web API. The client authenticates with HTTP Basic; access tokens last an hour and a
 * refresh may come back without a refresh token, in which case the one stored is kept. Spotify has
 * no revocation endpoint: users remove apps from their account page. The account is named by its
 * immutable `account_id` (the user `id`, which can change, only when a profile has none).
 *
 * @example providers.spotify({ clientId, clientSecret, scopes: ['user-read-email', 'playlist-read-private'] })
 */
export function spotify(options: PresetOptions): OAuth2Provider {
  return preset(options, {
    id: 'spotify',
    name: 'Spotify',
    authorizationUrl: 'https://accounts.spotify.com/authorize',
    tokenUrl: 'https://accounts.spotify.com/api/token',
    userInfoUrl: 'https://api.spotify.com/v1/me',
    apiBaseUrl: 'https://api.spotify.com/v1',
    scopes: ['user-read-email', 'user-read-private'],
    tokenAuth: 'client_secret_basic',
    // The user id (`id`) can change; Spotify says to link accounts by the immutable `account_id`.
    // https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids (read 2026-12-07)
    profile: (user) => ({
      accountId: text(user.account_id) ?? text(user.id),
      accountEmail: text(user.email),
      displayName: text(user.display_name),
    }),
    docsUrl: 'https://developer.spotify.com/documentation/web-api/tutorials/code-flow',
    quirks: [
      'client_secret_basic at the token endpoint',
      'account id is the immutable account_id, not the user id',
      'a refresh may omit refresh_token; the stored one is kept',
      'no revocation endpoint',
    ],
  })
}
