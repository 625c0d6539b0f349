import { createHmac } from 'node:crypto'
import { sameSecret } from '../../crypto/compare.js'
import { type PresetOptions, preset, record, text } from '../preset.js'
import type { OAuth2Provider } from '../types.js'

export interface ShopifyOptions extends PresetOptions {
  /**
   * The Admin API version of the shop lookup after the exchange (`YYYY-MM`). Default `2026-10`, the
   * `latest` version on 2026-12-07 (https://shopify.dev/docs/api/usage/versioning).
   */
  apiVersion?: string
}

/** A shop's subdomain: `acme` for acme.myshopify.com (Shopify's sanitizeShop, lower-cased). */
const SHOP = /^[a-z0-9][a-z0-9-]{0,59}$/
const API_VERSION = /^\d{4}-\d{2}$/
const SHOP_QUERY = '{ shop { id name email myshopifyDomain } }'

/**
 * Shopify's signature over the redirect to the callback: HMAC-SHA256 (hex) with the client secret of
 * every query parameter but `hmac` (and the legacy `signature`), decoded, sorted by name and joined
 * as `name=value&…`.
 * https://shopify.dev/docs/apps/build/authentication-authorization/authenticate-standalone-apps
 * (read 2026-12-07, "Validate the callback")
 */
export function shopifyCallbackHmac(query: Readonly<Record<string, string>>, secret: string): string {
  const message = Object.entries(query)
    .filter(([name]) => name !== 'hmac' && name !== 'signature')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&')
  return createHmac('sha256', secret).update(message).digest('hex')
}

/** The callback is Shopify's own for this flow's shop, or it is refused before the code is exchanged. */
function checkShopifyCallback(
  query: Readonly<Record<string, string>>,
  provider: OAuth2Provider,
): string | null {
  if (!provider.clientSecret || !sameSecret(query.hmac, shopifyCallbackHmac(query, provider.clientSecret))) {
    return "the redirect does not carry Shopify's signature"
  }
  const shop = provider.boundParams?.shop
  if (query.shop !== `${shop}.myshopify.com`) return 'the redirect names another shop than the one connected'
  return null
}

/**
 * Shopify Admin API of one shop, given at connect time: `GET <mount>/connect/shopify?shop=acme`
 * (or `params: { shop: 'acme' }`). Offline access tokens, expiring ones (an hour, with a 90-day
 * rotating refresh token) as Shopify requires of public apps. The redirect back is checked against
 * Shopify's HMAC and shop before the code is exchanged. API calls carry `X-Shopify-Access-Token`;
 * the API base is the shop's `/admin`: call `/api/2026-10/graphql.json`.
 *
 * @example providers.shopify({ clientId, clientSecret, scopes: ['read_products', 'read_orders'] })
 */
export function shopify(options: ShopifyOptions): OAuth2Provider {
  const version = options.apiVersion ?? '2026-10'
  if (!API_VERSION.test(version)) {
    throw new TypeError(`providers.shopify: apiVersion must be YYYY-MM, got ${JSON.stringify(version)}`)
  }
  return preset(options, {
    id: 'shopify',
    name: 'Shopify',
    connectionParams: {
      shop: {
        pattern: SHOP,
        description: "the shop's subdomain (acme for acme.myshopify.com)",
        example: 'acme',
      },
    },
    // https://shopify.dev/docs/apps/build/authentication-authorization/authenticate-standalone-apps (read 2026-12-07)
    authorizationUrl: 'https://{shop}.myshopify.com/admin/oauth/authorize',
    tokenUrl: 'https://{shop}.myshopify.com/admin/oauth/access_token',
    apiBaseUrl: 'https://{shop}.myshopify.com/admin',
    // Access scopes are comma-separated; offline access is the default mode (no grant_options[]).
    scopes: ['read_products'],
    scopeSeparator: ',',
    // The token request is JSON with the client id and secret in it, as Shopify's own library sends it.
    tokenRequestFormat: 'json',
    // Expiring offline tokens (3600 s, refresh token 90 days, rotated): required of public apps
    // created since 2026-04-01 and of all public apps from 2027-01-01.
    // https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/offline-access-tokens (read 2026-12-07)
    tokenParams: { expiring: 1 },
    // https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens (read 2026-12-07)
    apiTokenHeader: 'X-Shopify-Access-Token',
    checkCallback: checkShopifyCallback,
    profile: () => ({ accountId: null, accountEmail: null, displayName: null }),
    details: async ({ fetchJson, callbackParams, apiBaseUrl }) => {
      if (!apiBaseUrl) return {}
      const answer = record(
        await fetchJson(`${apiBaseUrl}/api/${version}/graphql.json`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: SHOP_QUERY }),
        }),
      )
      const shop = record(record(answer.data).shop)
      return {
        account: { accountId: text(shop.id), accountEmail: text(shop.email), displayName: text(shop.name) },
        metadata: {
          shop: text(shop.myshopifyDomain) ?? text(callbackParams.shop),
          shopName: text(shop.name),
        },
      }
    },
    docsUrl: 'https://shopify.dev/docs/apps/build/authentication-authorization/authenticate-standalone-apps',
    quirks: [
      'per-shop URLs: ?shop=acme for acme.myshopify.com',
      'redirect signed with an HMAC of the client secret, checked before the exchange',
      'expiring offline tokens (expiring=1), refresh tokens rotate',
      'token in X-Shopify-Access-Token, not Authorization',
      'comma-separated scopes',
      'no revocation endpoint: uninstalling the app revokes',
    ],
  })
}
