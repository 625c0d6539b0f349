import { META_GRAPH_VERSION, metaTokenFetch } from '../meta-tokens.js'
import { type PresetOptions, preset, record, text } from '../preset.js'
import type { OAuth2Provider, TokenResponse } from '../types.js'

export interface InstagramOptions extends PresetOptions {
  /** The Graph API version of the profile and API URLs. Default `v26.0`. */
  graphVersion?: string
}

/**
 * Instagram API with Instagram Login (professional accounts: business and creator). The code
 * exchange gives a short-lived token (an hour), traded at once for a long-lived one (60 days) with the
 * app secret. Long-lived tokens are renewed with `ig_refresh_token`, which takes the token itself: the
 * connection keeps it as its own refresh token and renews it at half its life, while Instagram still
 * renews it (it renews only unexpired tokens at least 24 hours old).
 *
 * @example providers.instagram({ clientId: instagramAppId, clientSecret, scopes: ['instagram_business_basic', 'instagram_business_content_publish'] })
 */
export function instagram(options: InstagramOptions): OAuth2Provider {
  const version = options.graphVersion ?? META_GRAPH_VERSION
  if (!/^v\d{1,3}\.\d$/.test(version)) {
    throw new TypeError(
      `providers.instagram: graphVersion must look like v26.0, got ${JSON.stringify(version)}`,
    )
  }
  const graph = 'https://graph.instagram.com'
  const tokenUrl = options.endpoints?.tokenUrl ?? TOKEN_URL
  const refreshUrl = options.endpoints?.refreshUrl ?? `${graph}/refresh_access_token`
  const provider = preset(options, {
    id: 'instagram',
    name: 'Instagram',
    // https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/business-login (read 2026-12-07)
    authorizationUrl: 'https://www.instagram.com/oauth/authorize',
    // Same page, step 2: the code exchange.
    tokenUrl: TOKEN_URL,
    // https://developers.facebook.com/documentation/instagram-platform/reference/refresh_access_token (read 2026-12-07)
    refreshUrl: `${graph}/refresh_access_token`,
    // https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/get-started (read 2026-12-07)
    userInfoUrl: `${graph}/${version}/me?fields=user_id,username,name,account_type`,
    // https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/get-started (read 2026-12-07)
    apiBaseUrl: `${graph}/${version}`,
    // https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/business-login (read 2026-12-07)
    scopes: ['instagram_business_basic'],
    scopeSeparator: ',',
    parseTokenResponse: flattenTokenResponse,
    // user_id is the professional account's Instagram id (the one the API's /<id> paths take).
    profile: (user) => ({
      accountId: text(user.user_id) ?? text(user.id),
      accountEmail: null,
      displayName: text(user.username),
    }),
    details: async ({ userInfo }) => ({
      metadata: { username: text(userInfo.username), accountType: text(userInfo.account_type) },
    }),
    docsUrl:
      'https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/business-login',
    quirks: [
      'token answer wrapped in data[] with permissions for scope',
      'short-lived token traded for a long-lived one (60 days) at connect time',
      'long-lived token renewed with ig_refresh_token at half its life (it is its own refresh token)',
      'comma-separated scopes',
      'no email; username and account type in metadata',
      'no revocation endpoint',
    ],
  })
  const secret = options.clientSecret
  const graphOrigin = new URL(refreshUrl).origin
  provider.fetch = metaTokenFetch({
    tokenUrl,
    parse: flattenTokenResponse,
    // https://developers.facebook.com/documentation/instagram-platform/reference/access_token (read 2026-12-07)
    longLivedUrl: secret
      ? (shortLived) =>
          `${graphOrigin}/access_token?${new URLSearchParams({
            grant_type: 'ig_exchange_token',
            client_secret: secret,
            access_token: shortLived,
          })}`
      : null,
    renewal: {
      refreshUrl,
      renewUrl: (longLived) =>
        `${refreshUrl}?${new URLSearchParams({ grant_type: 'ig_refresh_token', access_token: longLived })}`,
    },
  })
  return provider
}

// https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/business-login (read 2026-12-07)
const TOKEN_URL = 'https://api.instagram.com/oauth/access_token'

/** The code exchange answers `{ data: [{ access_token, user_id, permissions }] }` (or the entry alone). */
function flattenTokenResponse(raw: Record<string, unknown>): TokenResponse {
  const entry = Array.isArray(raw.data) ? record(raw.data[0]) : raw
  const permissions = entry.permissions
  const scope = Array.isArray(permissions) ? permissions.join(',') : text(permissions)
  return { ...entry, ...(scope ? { scope } : {}) } as TokenResponse
}
