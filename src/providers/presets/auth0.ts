import { type PresetOptions, preset, text } from '../preset.js'
import type { OAuth2Provider } from '../types.js'

export interface Auth0Options extends PresetOptions {
  /**
   * For US tenants created before 2020-06-11, whose domain has no region (`acme.auth0.com`): then a
   * connection names its tenant only. Otherwise a connection names its region too (`us` by default).
   */
  legacyUsDomain?: boolean
  /** The API whose access token (a JWT) the flow asks for, e.g. `https://api.example.com`. */
  audience?: string
}

// https://auth0.com/docs/get-started/auth0-overview/create-tenants (read 2026-12-07): lowercase
// letters, digits and hyphens, 3 to 63 characters, no hyphen first or last.
const TENANT = /^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])$/
// https://auth0.com/docs/troubleshoot/customer-support/operational-policies/public-cloud-service-endpoints
// (read 2026-12-07): {yourAccount}.[us|au|ca|eu|jp|uk].auth0.com
const REGION = /^(?:us|eu|au|jp|uk|ca)$/

/**
 * Auth0, per tenant: each connection names its tenant and region (`/connect/auth0?tenant=acme&region=eu`
 * for `acme.eu.auth0.com`), kept on the connection for every later call. Only Auth0's own domains,
 * never a custom domain or any host a connection picks.
 *
 * @example providers.auth0({ clientId, clientSecret, audience: 'https://api.example.com' })
 */
export function auth0(options: Auth0Options): OAuth2Provider {
  const site = options.legacyUsDomain ? 'https://{tenant}.auth0.com' : 'https://{tenant}.{region}.auth0.com'
  if (options.audience !== undefined && !URL.canParse(options.audience)) {
    throw new TypeError(
      "providers.auth0: audience must be an API's identifier URL, e.g. https://api.example.com",
    )
  }
  return preset(options, {
    id: 'auth0',
    name: 'Auth0',
    connectionParams: {
      tenant: {
        pattern: TENANT,
        description: "the Auth0 tenant's name (acme for acme.eu.auth0.com)",
        example: 'acme',
      },
      ...(options.legacyUsDomain
        ? {}
        : {
            region: {
              pattern: REGION,
              description: "the tenant's region: us, eu, au, jp, uk or ca",
              example: 'eu',
              default: 'us',
            },
          }),
    },
    // https://auth0.com/docs/api/authentication (read 2026-12-07): GET /authorize, POST /oauth/token,
    // GET /userinfo, POST /oauth/revoke.
    authorizationUrl: `${site}/authorize`,
    tokenUrl: `${site}/oauth/token`,
    userInfoUrl: `${site}/userinfo`,
    revocationUrl: `${site}/oauth/revoke`,
    // /oauth/revoke takes refresh tokens only, as JSON with the client's credentials in the body.
    // https://auth0.com/docs/api/authentication#revoke-refresh-token (read 2026-12-07)
    revocation: { format: 'json', hint: false, tokens: 'refresh' },
    // https://auth0.com/docs/api/management/v2 (read 2026-12-07)
    apiBaseUrl: `${site}/api/v2`,
    // https://auth0.com/docs/get-started/apis/scopes/openid-connect-scopes and
    // https://auth0.com/docs/secure/tokens/refresh-tokens/get-refresh-tokens (read 2026-12-07)
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    // Regular web applications authenticate with client_secret_post by default.
    // https://auth0.com/docs/get-started/applications/confidential-and-public-applications (read 2026-12-07)
    tokenAuth: 'client_secret_post',
    ...(options.audience ? { authorizationParams: { audience: options.audience } } : {}),
    // The tenant's issuer, with its trailing slash (the id token's iss).
    // https://auth0.com/docs/get-started/applications/configure-applications-with-oidc-discovery (read 2026-12-07)
    issuer: `${site}/`,
    requireIss: false,
    profile: (info) => ({
      accountId: text(info.sub),
      accountEmail: text(info.email),
      displayName: text(info.name) ?? text(info.nickname),
    }),
    docsUrl: 'https://auth0.com/docs/api/authentication',
    quirks: [
      'per-connection tenant and region (?tenant=acme&region=eu; region us by default)',
      'legacyUsDomain option for US tenants created before 2020-06-11 ({tenant}.auth0.com)',
      'audience option for an API access token (a JWT), else the token reads /userinfo only',
      'offline_access for a refresh token (the API must allow offline access)',
      'revocation takes refresh tokens only, as JSON',
    ],
  })
}
