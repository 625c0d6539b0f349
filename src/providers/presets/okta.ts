import { type PresetOptions, preset, text } from '../preset.js'
import type { OAuth2Provider } from '../types.js'

/** The domains Okta serves orgs from: production, preview (sandbox) and the EMEA cell. */
const OKTA_DOMAINS = ['okta.com', 'oktapreview.com', 'okta-emea.com'] as const

export interface OktaOptions extends PresetOptions {
  /** Where the orgs that connect live: `okta.com` (the default), `oktapreview.com` or `okta-emea.com`. */
  oktaDomain?: (typeof OKTA_DOMAINS)[number]
  /**
   * A custom authorization server (`default`, or its id `aus…`): its `/oauth2/<id>/v1/…` endpoints.
   * Without it, the org authorization server, whose tokens also call the Okta API (`/api/v1`).
   */
  authorizationServerId?: string
}

const SERVER_ID = /^[A-Za-z0-9]{1,64}$/

/**
 * Okta, per org: each connection names its org (`/connect/okta?org=acme` for `acme.okta.com`), kept
 * on the connection for every later call. The org must be on the app's Okta domain, never any host.
 *
 * @example providers.okta({ clientId, clientSecret, oktaDomain: 'oktapreview.com' })
 */
export function okta(options: OktaOptions): OAuth2Provider {
  const domain = options.oktaDomain ?? 'okta.com'
  if (!OKTA_DOMAINS.includes(domain)) {
    throw new TypeError(`providers.okta: oktaDomain must be one of ${OKTA_DOMAINS.join(', ')}`)
  }
  const serverId = options.authorizationServerId
  if (serverId !== undefined && !SERVER_ID.test(serverId)) {
    throw new TypeError(
      "providers.okta: authorizationServerId must be an authorization server's id, e.g. default",
    )
  }
  const site = `https://{org}.${domain}`
  // https://developer.okta.com/docs/concepts/auth-servers (read 2026-12-07): the org server's
  // endpoints are /oauth2/v1/…, a custom server's /oauth2/<id>/v1/….
  const oauth = `${site}/oauth2${serverId ? `/${serverId}` : ''}/v1`
  return preset(options, {
    id: 'okta',
    name: 'Okta',
    connectionParams: {
      org: {
        pattern: /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i,
        description: `the Okta org's subdomain (acme for acme.${domain})`,
        example: 'acme',
      },
    },
    // https://developer.okta.com/docs/api/openapi/okta-oauth/oauth (read 2026-12-07)
    authorizationUrl: `${oauth}/authorize`,
    tokenUrl: `${oauth}/token`,
    userInfoUrl: `${oauth}/userinfo`,
    revocationUrl: `${oauth}/revoke`,
    // Okta's management API takes org authorization server tokens only (okta.* scopes).
    // https://developer.okta.com/docs/concepts/auth-servers (read 2026-12-07)
    ...(serverId ? {} : { apiBaseUrl: `${site}/api/v1` }),
    // https://developer.okta.com/docs/api/openapi/okta-oauth/oauth (read 2026-12-07)
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    // Okta web apps authenticate with client_secret_basic by default.
    tokenAuth: 'client_secret_basic',
    profile: (info) => ({
      accountId: text(info.sub),
      accountEmail: text(info.email),
      displayName: text(info.name) ?? text(info.preferred_username),
    }),
    details: async () => ({ metadata: { authorizationServer: serverId ?? 'org' } }),
    docsUrl: 'https://developer.okta.com/docs/concepts/auth-servers',
    quirks: [
      'per-connection org (?org=acme), on the oktaDomain option (okta.com, oktapreview.com, okta-emea.com)',
      'authorizationServerId option for a custom authorization server (/oauth2/<id>/v1)',
      'offline_access for a refresh token (the app must allow the refresh token grant)',
      'client authenticates with HTTP Basic',
      'Okta API (/api/v1) only with the org authorization server',
    ],
  })
}
