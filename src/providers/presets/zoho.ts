import { ConnectionsError } from '../../core/errors.js'
import { handedOverUrl } from '../handed-over-url.js'
import { type PresetOptions, preset, text } from '../preset.js'
import type { OAuth2Provider } from '../types.js'

/**
 * Zoho's data centres: each holds its users' accounts and data, with its own accounts server and API
 * domain. https://www.zoho.com/accounts/protocol/oauth/multi-dc.html and
 * https://www.bigin.com/developer/docs/apis/multi-dc.html (read 2026-12-07)
 */
const DATA_CENTERS = {
  us: { accounts: 'https://accounts.zoho.com', api: 'https://www.zohoapis.com' },
  eu: { accounts: 'https://accounts.zoho.eu', api: 'https://www.zohoapis.eu' },
  in: { accounts: 'https://accounts.zoho.in', api: 'https://www.zohoapis.in' },
  au: { accounts: 'https://accounts.zoho.com.au', api: 'https://www.zohoapis.com.au' },
  jp: { accounts: 'https://accounts.zoho.jp', api: 'https://www.zohoapis.jp' },
  ca: { accounts: 'https://accounts.zohocloud.ca', api: 'https://www.zohoapis.ca' },
  sa: { accounts: 'https://accounts.zoho.sa', api: 'https://www.zohoapis.sa' },
  cn: { accounts: 'https://accounts.zoho.com.cn', api: 'https://www.zohoapis.com.cn' },
} as const

export type ZohoDataCenter = keyof typeof DATA_CENTERS

export interface ZohoOptions extends PresetOptions {
  /**
   * The data centre whose users connect: `us` (accounts.zoho.com, the default), `eu`, `in`, `au`, `jp`,
   * `ca`, `sa` or `cn`. A code can only be exchanged at its user's own accounts server, so an app with
   * Multi-DC enabled registers one preset per data centre (`id: 'zoho_eu'`) and lets the user choose.
   */
  dataCenter?: ZohoDataCenter
}

/**
 * Zoho (CRM, Books, Desk, … through one Zoho API Console client). The token response's `api_domain`
 * becomes the connection's API base (only a Zoho API domain is accepted); the redirect's `location`
 * and `accounts-server` land in metadata.
 *
 * @example providers.zoho({ clientId, clientSecret, dataCenter: 'eu', scopes: ['ZohoCRM.modules.ALL'] })
 */
export function zoho(options: ZohoOptions): OAuth2Provider {
  const dataCenter = options.dataCenter ?? 'us'
  const dc = Object.hasOwn(DATA_CENTERS, dataCenter) ? DATA_CENTERS[dataCenter] : undefined
  if (!dc) {
    throw new TypeError(
      `providers.zoho: dataCenter must be one of ${Object.keys(DATA_CENTERS).join(', ')}, got ${JSON.stringify(options.dataCenter)}`,
    )
  }
  const tokenOrigin = new URL(options.endpoints?.tokenUrl ?? dc.accounts).origin
  return preset(options, {
    id: 'zoho',
    name: 'Zoho',
    // https://www.zoho.com/accounts/protocol/oauth/web-apps/authorization.html (read 2026-12-07)
    authorizationUrl: `${dc.accounts}/oauth/v2/auth`,
    // https://www.zoho.com/accounts/protocol/oauth/web-apps/access-token.html (read 2026-12-07)
    tokenUrl: `${dc.accounts}/oauth/v2/token`,
    // https://www.zoho.com/accounts/protocol/oauth/use-access-token.html (read 2026-12-07)
    userInfoUrl: `${dc.accounts}/oauth/user/info`,
    // Revokes the refresh token (and the access tokens made with it).
    // https://www.zoho.com/accounts/protocol/oauth/web-apps/revoke-refresh-token.html (read 2026-12-07)
    revocationUrl: `${dc.accounts}/oauth/v2/token/revoke`,
    revocation: { tokens: 'refresh', hint: false },
    apiBaseUrl: dc.api,
    // https://www.zoho.com/accounts/protocol/oauth/use-access-token.html (read 2026-12-07)
    scopes: ['AaaServer.profile.READ'],
    // Zoho's scope grammar is Service.scope.operation, comma-separated.
    scopeSeparator: ',',
    // A refresh token only with offline access, and again only on a consent screen shown again.
    authorizationParams: { access_type: 'offline', prompt: 'consent' },
    // A code is only good at its user's own accounts server, which the redirect names: a user of
    // another data centre is refused before the code is spent, with where to go instead.
    // https://www.zoho.com/accounts/protocol/oauth/multi-dc/client-authorization.html (read 2026-12-07)
    checkCallback: (query) => {
      const server = query['accounts-server']
      if (server === undefined || server === dc.accounts) return null
      const other = Object.entries(DATA_CENTERS).find(([, entry]) => entry.accounts === server)?.[0]
      return other
        ? `this Zoho account is in the ${other} data centre: connect it with providers.zoho({ dataCenter: '${other}' })`
        : "Zoho named an accounts server that is not Zoho's"
    },
    profile: (info) => ({
      accountId: text(info.ZUID),
      accountEmail: text(info.Email),
      displayName: text(info.Display_Name),
    }),
    details: async ({ tokens, callbackParams }) => {
      const apiBaseUrl = zohoApiDomain(text(tokens.api_domain), tokenOrigin) ?? dc.api
      return {
        apiBaseUrl,
        metadata: {
          dataCenter,
          location: callbackParams.location ?? null,
          accountsServer: callbackParams['accounts-server'] ?? null,
          apiDomain: apiBaseUrl,
        },
      }
    },
    docsUrl: 'https://www.zoho.com/accounts/protocol/oauth/multi-dc.html',
    quirks: [
      'dataCenter option (us, eu, in, au, jp, ca, sa, cn): accounts server and API domain per data centre',
      'api_domain from the token response is the connection API base (Zoho API domains only)',
      'location and accounts-server from the redirect in metadata; another data centre is refused before the exchange',
      'access_type=offline and prompt=consent for a refresh token',
      'comma-separated scopes',
      'refresh tokens do not rotate; Zoho keeps 20 per user and client and drops the oldest',
      'revocation revokes the refresh token',
    ],
  })
}

/** A `https://www.zohoapis.<dc>` domain (any data centre's), or the token endpoint's own origin (a test double). */
function zohoApiDomain(value: string | null, tokenOrigin: string): string | null {
  if (value === null) return null
  const check = { provider: 'Zoho', field: 'an api_domain', trustedOrigin: tokenOrigin }
  const apiHosts = Object.values(DATA_CENTERS).map((dc) => new URL(dc.api).hostname)
  const url = handedOverUrl(value, { ...check, ownHost: (hostname) => apiHosts.includes(hostname) })
  // A domain, not a path on it: API paths are appended to it.
  if (url.pathname !== '/')
    throw new ConnectionsError('provider_error', 'Zoho sent an api_domain outside Zoho.')
  return url.origin
}
