import { type PresetOptions, preset, text } from '../preset.js'
import type { OAuth2Provider } from '../types.js'

/**
 * Airtable. PKCE (S256) is required, which every flow here sends; a confidential client
 * authenticates with HTTP Basic. Access tokens last an hour and refresh tokens are single use (each
 * refresh returns a new one). The email is only in `whoami` with `user.email:read`.
 *
 * @example providers.airtable({ clientId, clientSecret, scopes: ['data.records:read', 'data.records:write'] })
 */
export function airtable(options: PresetOptions): OAuth2Provider {
  return preset(options, {
    id: 'airtable',
    name: 'Airtable',
    authorizationUrl: 'https://airtable.com/oauth2/v1/authorize',
    tokenUrl: 'https://airtable.com/oauth2/v1/token',
    userInfoUrl: 'https://api.airtable.com/v0/meta/whoami',
    apiBaseUrl: 'https://api.airtable.com/v0',
    scopes: ['data.records:read', 'schema.bases:read', 'user.email:read'],
    tokenAuth: 'client_secret_basic',
    profile: (user) => ({
      accountId: text(user.id),
      accountEmail: text(user.email),
      displayName: null,
    }),
    docsUrl: 'https://airtable.com/developers/web/guides/oauth-integrations',
    quirks: [
      'PKCE S256 required',
      'client_secret_basic at the token endpoint',
      'refresh tokens are single use and rotate',
      'email only with user.email:read',
      'no revocation endpoint',
    ],
  })
}
