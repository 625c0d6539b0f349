import { handedOverUrl } from '../handed-over-url.js'
import { type PresetOptions, preset, text } from '../preset.js'
import type { OAuth2Provider } from '../types.js'

/**
 * Gong. Each customer's data lives in its own region: the token response's
 * `api_base_url_for_customer` (`https://us-12345.api.gong.io`) becomes the connection's API base, and
 * only Gong's API hosts are accepted there, since every proxied call carries the token to it.
 * Authorizing takes a Gong technical administrator.
 *
 * @example providers.gong({ clientId, clientSecret, scopes: ['api:calls:read:basic'] })
 */
export function gong(options: PresetOptions): OAuth2Provider {
  // https://help.gong.io/docs/create-an-app-for-gong (read 2026-12-07)
  const tokenUrl = 'https://app.gong.io/oauth2/generate-customer-token'
  const tokenOrigin = new URL(options.endpoints?.tokenUrl ?? tokenUrl).origin
  return preset(options, {
    id: 'gong',
    name: 'Gong',
    // https://help.gong.io/docs/create-an-app-for-gong (read 2026-12-07)
    authorizationUrl: 'https://app.gong.io/oauth2/authorize',
    tokenUrl,
    // https://gong.app.gong.io/settings/api/documentation#overview, scopes per endpoint (read 2026-12-07)
    scopes: ['api:users:read', 'api:calls:read:basic'],
    // The client authenticates with HTTP Basic (client id and secret) at generate-customer-token.
    tokenAuth: 'client_secret_basic',
    profile: () => ({ accountId: null, accountEmail: null }),
    details: async ({ tokens }) => {
      const apiBaseUrl = gongApiBase(text(tokens.api_base_url_for_customer), tokenOrigin)
      return { apiBaseUrl, metadata: { apiBaseUrl } }
    },
    docsUrl: 'https://help.gong.io/docs/create-an-app-for-gong',
    quirks: [
      'api_base_url_for_customer from the token response is the connection API base (Gong hosts only)',
      'client authenticates with HTTP Basic',
      'refresh tokens are single use and rotate',
      'authorized by a Gong technical administrator; no profile endpoint',
      'no revocation endpoint',
    ],
  })
}

/** A `*.api.gong.io` https URL, or the token endpoint's own origin (a test double, a proxy). */
function gongApiBase(value: string | null, tokenOrigin: string): string {
  const url = handedOverUrl(value, {
    provider: 'Gong',
    field: 'an api_base_url_for_customer',
    ownHost: (hostname) => /^(?:[a-z0-9-]+\.)*api\.gong\.io$/.test(hostname),
    trustedOrigin: tokenOrigin,
  })
  return url.toString().replace(/\/+$/, '')
}
