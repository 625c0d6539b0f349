import { type PresetOptions, preset, text } from '../preset.js'
import type { OAuth2Provider } from '../types.js'

export interface QuickBooksOptions extends PresetOptions {
  /** `sandbox` for the development keys and sandbox companies. Default `production`. */
  environment?: 'production' | 'sandbox'
}

const HOSTS = {
  production: {
    api: 'https://quickbooks.api.intuit.com/v3',
    userInfo: 'https://accounts.platform.intuit.com/v1/openid_connect/userinfo',
  },
  sandbox: {
    api: 'https://sandbox-quickbooks.api.intuit.com/v3',
    userInfo: 'https://sandbox-accounts.platform.intuit.com/v1/openid_connect/userinfo',
  },
} as const

/**
 * QuickBooks Online (Intuit). The company the user connects comes back as `realmId` on the redirect;
 * it lands in metadata and the connection's API base becomes `…/v3/company/<realmId>`. Access tokens
 * last an hour; refresh tokens rotate (keep the newest) and last 100 days.
 *
 * @example providers.quickbooks({ clientId, clientSecret, environment: 'sandbox' })
 */
export function quickbooks(options: QuickBooksOptions): OAuth2Provider {
  const environment = options.environment === 'sandbox' ? 'sandbox' : 'production'
  const hosts = HOSTS[environment]
  const api = (options.endpoints?.apiBaseUrl ?? hosts.api).replace(/\/+$/, '')
  return preset(options, {
    id: 'quickbooks',
    name: 'QuickBooks Online',
    authorizationUrl: 'https://appcenter.intuit.com/connect/oauth2',
    tokenUrl: 'https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer',
    userInfoUrl: hosts.userInfo,
    revocationUrl: 'https://developer.api.intuit.com/v2/oauth2/tokens/revoke',
    // A JSON body {"token": …} with Basic client authentication; revoking the refresh token revokes
    // the access token with it.
    // https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/oauth-2.0#revoke-token-disconnect
    // (read 2026-12-07)
    revocation: { format: 'json', hint: false, tokens: 'refresh' },
    apiBaseUrl: api,
    scopes: ['com.intuit.quickbooks.accounting', 'openid', 'email', 'profile'],
    tokenAuth: 'client_secret_basic',
    // The API answers in XML unless asked for JSON.
    apiHeaders: { accept: 'application/json' },
    profile: (info) => {
      const fullName = [text(info.givenName), text(info.familyName)].filter(Boolean).join(' ')
      return {
        accountId: text(info.sub),
        accountEmail: text(info.email),
        displayName: fullName || null,
      }
    },
    details: async ({ callbackParams, userInfo }) => {
      const realmId = callbackParams.realmId
      if (!realmId || !/^\d+$/.test(realmId)) return { metadata: { environment } }
      // Tokens are per company: the same user connecting a second company is a second connection.
      const sub = text(userInfo.sub)
      return {
        apiBaseUrl: `${api}/company/${realmId}`,
        metadata: { realmId, environment },
        ...(sub ? { account: { accountId: `${realmId}:${sub}` } } : {}),
      }
    },
    docsUrl:
      'https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/oauth-2.0',
    quirks: [
      'company id (realmId) from the redirect: metadata, per-connection API base, and part of the account id',
      'client authenticates with HTTP Basic',
      'refresh tokens rotate',
      'API answers JSON only with accept: application/json',
      'sandbox environment option',
      'revocation as a JSON body with the refresh token',
    ],
  })
}
