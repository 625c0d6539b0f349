import { ConnectionsError } from '../../core/errors.js'
import { handedOverOrigin } from '../handed-over-url.js'
import { type PresetOptions, preset, record, text } from '../preset.js'
import type { OAuth2Provider } from '../types.js'

export interface DocuSignOptions extends PresetOptions {
  /** `demo` for the developer environment (`account-d.docusign.com`). Default `production`. */
  environment?: 'production' | 'demo'
}

/**
 * Docusign eSignature (Confidential Authorization Code Grant; `tokenAuth: 'none'` for the public
 * one). The API host is per account: `/oauth/userinfo` lists the user's accounts, and the default
 * account's `base_uri` + `/restapi` becomes the connection's API base, checked to be a Docusign host.
 *
 * @example providers.docusign({ clientId: integrationKey, clientSecret, environment: 'demo' })
 */
export function docusign(options: DocuSignOptions): OAuth2Provider {
  const environment = options.environment === 'demo' ? 'demo' : 'production'
  // https://developers.docusign.com/platform/auth/reference/user-info (read 2026-12-07):
  // account-d.docusign.com for the developer environment, account.docusign.com for production.
  const server = environment === 'demo' ? 'https://account-d.docusign.com' : 'https://account.docusign.com'
  // base_uri receives the user's token: a Docusign host, or the host the user info came from (a test
  // double).
  const userInfoOrigin = new URL(options.endpoints?.userInfoUrl ?? `${server}/oauth/userinfo`).origin
  return preset(options, {
    id: 'docusign',
    name: 'Docusign',
    // https://developers.docusign.com/platform/auth/confidential-authcode-get-token (read 2026-12-07)
    authorizationUrl: `${server}/oauth/auth`,
    // https://developers.docusign.com/platform/auth/confidential-authcode-get-token (read 2026-12-07)
    tokenUrl: `${server}/oauth/token`,
    // https://developers.docusign.com/platform/auth/reference/user-info (read 2026-12-07)
    userInfoUrl: `${server}/oauth/userinfo`,
    // signature: the eSignature API; extended: each refresh renews the refresh token's 30 days.
    // https://developers.docusign.com/platform/auth/reference/scopes (read 2026-12-07)
    scopes: ['signature', 'extended'],
    // "Authorization: Basic base64(integration key:secret key)" on the token request.
    tokenAuth: 'client_secret_basic',
    profile: (info) => ({
      accountId: text(info.sub),
      accountEmail: text(info.email),
      displayName: text(info.name),
    }),
    details: async ({ userInfo }) => {
      const accounts = (Array.isArray(userInfo.accounts) ? userInfo.accounts : []).map(record)
      const account = accounts.find((entry) => entry.is_default === true) ?? accounts[0]
      if (!account) throw new ConnectionsError('provider_error', 'Docusign listed no account for this user.')
      const baseUri = handedOverOrigin(text(account.base_uri), {
        provider: 'Docusign',
        field: 'a base_uri',
        ownHost: (hostname) => DOCUSIGN_HOSTS.some((suffix) => hostname.endsWith(suffix)),
        trustedOrigin: userInfoOrigin,
      })
      return {
        // https://developers.docusign.com/platform/auth/reference/user-info (read 2026-12-07): base_uri + /restapi
        apiBaseUrl: `${baseUri}/restapi`,
        metadata: {
          environment,
          accountId: text(account.account_id),
          accountName: text(account.account_name),
          baseUri,
          accounts: accounts.map((entry) => ({
            accountId: text(entry.account_id),
            accountName: text(entry.account_name),
            isDefault: entry.is_default === true,
          })),
        },
      }
    },
    docsUrl: 'https://developers.docusign.com/platform/auth/confidential-authcode-get-token/',
    quirks: [
      "default account's base_uri + /restapi is the connection API base (checked to be a Docusign host)",
      'account ids and names of every account in metadata',
      'client authenticates with HTTP Basic',
      'environment option: demo uses account-d.docusign.com',
      'extended scope keeps the refresh token alive across refreshes',
    ],
  })
}

/** Hosts Docusign serves account APIs from (`na3.docusign.net`, `demo.docusign.net`, `eu.docusign.net`). */
const DOCUSIGN_HOSTS = ['.docusign.net', '.docusign.com']
