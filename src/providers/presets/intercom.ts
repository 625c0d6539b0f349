import { type PresetOptions, preset, record, text } from '../preset.js'
import type { OAuth2Provider, TokenResponse } from '../types.js'

/**
 * Intercom workspace access. Permissions are chosen in the app's Developer Hub settings, not per
 * request; tokens do not expire and come without a refresh token. Workspaces hosted in the EU or
 * Australia answer on `api.eu.intercom.io` / `api.au.intercom.io` (set `endpoints`).
 *
 * @example providers.intercom({ clientId, clientSecret })
 */
export function intercom(options: PresetOptions): OAuth2Provider {
  return preset(options, {
    id: 'intercom',
    name: 'Intercom',
    authorizationUrl: 'https://app.intercom.com/oauth',
    tokenUrl: 'https://api.intercom.io/auth/eagle/token',
    userInfoUrl: 'https://api.intercom.io/me',
    apiBaseUrl: 'https://api.intercom.io',
    scopes: [],
    // Older apps get the token as `token`; newer answers carry both `token` and `access_token`.
    parseTokenResponse: (raw) => {
      const tokens = { ...raw } as TokenResponse
      if (typeof tokens.access_token !== 'string' && typeof raw.token === 'string') {
        tokens.access_token = raw.token
      }
      return tokens
    },
    profile: (admin) => ({
      accountId: text(admin.id),
      accountEmail: text(admin.email),
      displayName: text(admin.name),
    }),
    details: async ({ userInfo }) => {
      const app = record(userInfo.app)
      return { metadata: { appId: text(app.id_code), appName: text(app.name) } }
    },
    docsUrl:
      'https://developers.intercom.com/docs/build-an-integration/learn-more/authentication/setting-up-oauth',
    quirks: [
      'scopes are set in the app settings, not requested',
      'tokens do not expire and have no refresh token',
      'token sometimes only in `token`',
      'workspace (app.id_code) in metadata',
    ],
  })
}
