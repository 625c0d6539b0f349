import { META_GRAPH_VERSION, metaTokenFetch } from '../meta-tokens.js'
import { type PresetOptions, preset, text } from '../preset.js'
import type { OAuth2Provider } from '../types.js'

export interface FacebookOptions extends PresetOptions {
  /** The Graph API version in every URL. Default `v26.0`. */
  graphVersion?: string
  /** Trade the short-lived user token for a long-lived one (60 days) at connect time. Default true. */
  longLived?: boolean
}

/**
 * Facebook Login and the Graph API (Meta). Graph URLs carry a version (`v26.0`). The code exchange
 * gives a short-lived user token, traded at once for a long-lived one (about 60 days) with the app
 * secret; there is no refresh token: when it runs out, the user connects again.
 *
 * @example providers.facebook({ clientId: appId, clientSecret: appSecret, scopes: ['email', 'pages_show_list'] })
 */
export function facebook(options: FacebookOptions): OAuth2Provider {
  const version = options.graphVersion ?? META_GRAPH_VERSION
  if (!/^v\d{1,3}\.\d$/.test(version)) {
    throw new TypeError(
      `providers.facebook: graphVersion must look like v26.0, got ${JSON.stringify(version)}`,
    )
  }
  const graph = `https://graph.facebook.com/${version}`
  const tokenUrl = options.endpoints?.tokenUrl ?? `${graph}/oauth/access_token`
  // The trade is a Graph API call (the same URL as the token endpoint, with GET).
  const tradeUrl = `${(options.endpoints?.apiBaseUrl ?? graph).replace(/\/+$/, '')}/oauth/access_token`
  const provider = preset(options, {
    id: 'facebook',
    name: 'Facebook',
    // https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow (read 2026-12-07)
    authorizationUrl: `https://www.facebook.com/${version}/dialog/oauth`,
    // https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow (read 2026-12-07)
    tokenUrl: `${graph}/oauth/access_token`,
    // https://developers.facebook.com/docs/graph-api/reference/user (read 2026-12-07)
    userInfoUrl: `${graph}/me?fields=id,name,email`,
    // https://developers.facebook.com/docs/graph-api/overview (read 2026-12-07)
    apiBaseUrl: graph,
    // https://developers.facebook.com/docs/permissions (read 2026-12-07)
    scopes: ['public_profile', 'email'],
    // "A comma or space separated list of Permissions": the manual flow's examples use commas.
    scopeSeparator: ',',
    docsUrl: 'https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow',
    quirks: [
      'versioned Graph URLs (graphVersion option, default v26.0)',
      'short-lived user token traded for a long-lived one (60 days) at connect time',
      'no refresh token: the user connects again when the token runs out',
      'email only with the email permission and a confirmed address',
      'appsecret_proof on every Graph call (works with "Require App Secret" on)',
      'no RFC 7009 revocation (DELETE /me/permissions)',
    ],
    profile: (user) => ({
      accountId: text(user.id),
      accountEmail: text(user.email),
      displayName: text(user.name),
    }),
  })
  const secret = options.clientSecret
  // https://developers.facebook.com/docs/facebook-login/guides/access-tokens/get-long-lived (read 2026-12-07)
  const longLivedUrl =
    options.longLived === false || !secret
      ? null
      : (shortLived: string) =>
          `${tradeUrl}?${new URLSearchParams({
            grant_type: 'fb_exchange_token',
            client_id: options.clientId,
            client_secret: secret,
            fb_exchange_token: shortLived,
          })}`
  const graphOrigin = new URL(options.endpoints?.apiBaseUrl ?? graph).origin
  provider.fetch = metaTokenFetch({
    tokenUrl,
    parse: provider.parseTokenResponse,
    longLivedUrl,
    ...(secret ? { appSecretProof: { origin: graphOrigin, secret } } : {}),
  })
  return provider
}
