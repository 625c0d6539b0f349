import { type PresetOptions, preset, record, text } from '../preset.js'
import type { OAuth2Provider } from '../types.js'

/**
 * Dropbox (scoped app). Access tokens are short-lived (4 hours) and a refresh token only comes
 * with `token_access_type=offline`; a refresh answers without a new refresh token, so the first
 * one is kept. The account is read with a POST (Dropbox's RPC style) to `users/get_current_account`.
 * File contents live on another host (`https://content.dropboxapi.com/2`), outside `apiBaseUrl`.
 *
 * @example providers.dropbox({ clientId, clientSecret, scopes: ['account_info.read', 'files.content.read'] })
 */
export function dropbox(options: PresetOptions): OAuth2Provider {
  return preset(options, {
    id: 'dropbox',
    name: 'Dropbox',
    authorizationUrl: 'https://www.dropbox.com/oauth2/authorize',
    tokenUrl: 'https://api.dropboxapi.com/oauth2/token',
    userInfoUrl: 'https://api.dropboxapi.com/2/users/get_current_account',
    // RPC endpoints take POST; this one has no arguments, so no body (and no content type).
    userInfoMethod: 'POST',
    apiBaseUrl: 'https://api.dropboxapi.com/2',
    scopes: ['account_info.read', 'files.metadata.read'],
    authorizationParams: { token_access_type: 'offline' },
    profile: (account, tokens) => ({
      accountId: text(account.account_id) ?? text(tokens.account_id),
      accountEmail: text(account.email),
      displayName: text(record(account.name).display_name),
    }),
    docsUrl: 'https://developers.dropbox.com/oauth-guide',
    quirks: [
      'token_access_type=offline for a refresh token',
      'short-lived access tokens; refresh keeps the first refresh token',
      'profile read with POST users/get_current_account',
      'revocation is POST /2/auth/token/revoke with the bearer token (not RFC 7009), so not called',
    ],
  })
}
