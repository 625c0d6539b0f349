import { handedOverOrigin } from '../handed-over-url.js'
import { type PresetOptions, preset, record, text } from '../preset.js'
import type { OAuth2Provider } from '../types.js'

/**
 * Pipedrive (Marketplace app). Each company has its own API host: the token response's `api_domain`
 * (`https://acme.pipedrive.com`) becomes the connection's API base, checked to be a Pipedrive host
 * before the token goes there. Scopes are chosen on the app in Developer Hub, not asked for in the
 * authorization request.
 *
 * @example providers.pipedrive({ clientId, clientSecret })
 */
export function pipedrive(options: PresetOptions): OAuth2Provider {
  // api_domain comes from the token response and receives the user's token: only Pipedrive's hosts,
  // or the host the token came from (a test double).
  const tokenOrigin = new URL(options.endpoints?.tokenUrl ?? TOKEN_URL).origin
  return preset(options, {
    id: 'pipedrive',
    name: 'Pipedrive',
    // https://pipedrive.readme.io/docs/marketplace-oauth-authorization (read 2026-12-07)
    authorizationUrl: 'https://oauth.pipedrive.com/oauth/authorize',
    // https://pipedrive.readme.io/docs/marketplace-oauth-authorization (read 2026-12-07)
    tokenUrl: TOKEN_URL,
    // RFC 7009, Basic: https://pipedrive.readme.io/docs/app-uninstallation (read 2026-12-07)
    revocationUrl: 'https://oauth.pipedrive.com/oauth/revoke',
    // Scopes are set on the app in Developer Hub: the authorization request carries none.
    // https://pipedrive.readme.io/docs/marketplace-scopes-and-permissions-explanations (read 2026-12-07)
    scopes: [],
    // "Authorization: Basic base64(client_id:client_secret)" on the token and revocation requests.
    tokenAuth: 'client_secret_basic',
    profile: () => ({ accountId: null, accountEmail: null }),
    details: async ({ tokens, fetchJson }) => {
      const apiDomain = handedOverOrigin(text(tokens.api_domain), {
        provider: 'Pipedrive',
        field: 'an api_domain',
        ownHost: (hostname) => PIPEDRIVE_HOST.test(hostname),
        trustedOrigin: tokenOrigin,
      })
      // https://developers.pipedrive.com/docs/api/v1/Users#getCurrentUser (read 2026-12-07)
      const me = record(record(await fetchJson(`${apiDomain}/api/v1/users/me`)).data)
      const companyId = text(me.company_id)
      const userId = text(me.id)
      return {
        // https://developers.pipedrive.com/changelog/post/new-parameter-in-oauth-oauthtoken-responses (read 2026-12-07)
        apiBaseUrl: apiDomain,
        account: {
          // User ids are per company: the same person in two companies is two connections.
          accountId: companyId && userId ? `${companyId}:${userId}` : userId,
          accountEmail: text(me.email),
          displayName: text(me.name),
        },
        metadata: {
          companyId,
          companyName: text(me.company_name),
          companyDomain: text(me.company_domain),
          apiDomain,
        },
      }
    },
    docsUrl: 'https://pipedrive.readme.io/docs/marketplace-oauth-authorization',
    quirks: [
      'api_domain in the token response is the connection API base (checked to be a pipedrive.com subdomain)',
      'client authenticates with HTTP Basic',
      'scopes are set on the app in Developer Hub, none requested by default',
      'account id is company id and user id (user ids are per company)',
      'refresh tokens rotate',
    ],
  })
}

// https://pipedrive.readme.io/docs/marketplace-oauth-authorization (read 2026-12-07)
const TOKEN_URL = 'https://oauth.pipedrive.com/oauth/token'

/** A company's host: `acme.pipedrive.com` (the only shape api_domain takes). */
const PIPEDRIVE_HOST = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.pipedrive\.com$/
