import { type PresetOptions, preset, record, text } from '../preset.js'
import type { OAuth2Provider, TokenResponse } from '../types.js'

// The dated OAuth API replaces /oauth/v1/token and /oauth/v1/access-tokens/{token}, which switch off
// on 2027-02-16, and adds RFC 7009 revocation.
// https://developers.hubspot.com/docs/api-reference/legacy/authentication/oauth-tokens/v1/migration-guide
// https://developers.hubspot.com/docs/api-reference/2026-03/authentication/oauth-tokens/token-introspect
// (read 2026-12-07)
const OAUTH = 'https://api.hubapi.com/oauth/2026-03'

/**
 * HubSpot public app, on the dated OAuth API (2026-03). The token response names nobody: the
 * account (hub and user) is read from the token introspection endpoint, which takes the client's
 * credentials in the form body. Access tokens last 30 minutes; the refresh token does not change.
 *
 * @example providers.hubspot({ clientId, clientSecret, scopes: ['oauth', 'crm.objects.deals.read'] })
 */
export function hubspot(options: PresetOptions): OAuth2Provider {
  const api = (options.endpoints?.apiBaseUrl ?? 'https://api.hubapi.com').replace(/\/+$/, '')
  const introspection = `${options.endpoints?.tokenUrl ?? `${OAUTH}/token`}/introspect`
  return preset(options, {
    id: 'hubspot',
    name: 'HubSpot',
    authorizationUrl: 'https://app.hubspot.com/oauth/authorize',
    tokenUrl: `${OAUTH}/token`,
    revocationUrl: `${OAUTH}/token/revoke`,
    apiBaseUrl: api,
    scopes: ['oauth', 'crm.objects.contacts.read'],
    // The dated endpoint documents camelCase fields (accessToken, expiresIn, …); accept both spellings.
    parseTokenResponse: (raw): TokenResponse => ({
      ...raw,
      access_token: text(raw.access_token) ?? text(raw.accessToken) ?? undefined,
      refresh_token: text(raw.refresh_token) ?? text(raw.refreshToken) ?? undefined,
      expires_in: (raw.expires_in ?? raw.expiresIn) as number | undefined,
      token_type: text(raw.token_type) ?? text(raw.tokenType) ?? undefined,
    }),
    profile: () => ({ accountId: null, accountEmail: null }),
    details: async ({ tokens, fetchJson }) => {
      const fields = record(
        await fetchJson(introspection, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            client_id: options.clientId,
            client_secret: options.clientSecret ?? '',
            token: String(tokens.access_token),
            token_type_hint: 'access_token',
          }).toString(),
        }),
      )
      // The dated token response documents hubId and userId; introspection adds the user's email.
      const hub = text(tokens.hubId) ?? text(tokens.hub_id) ?? text(fields.hub_id) ?? text(fields.hubId)
      const user = text(tokens.userId) ?? text(tokens.user_id) ?? text(fields.user_id) ?? text(fields.userId)
      return {
        // One connection per HubSpot account (hub) and user: a user may belong to several hubs.
        account: {
          accountId: hub && user ? `${hub}:${user}` : hub,
          accountEmail: text(fields.user) ?? text(fields.email),
        },
        metadata: { hubId: hub, hubDomain: text(fields.hub_domain) ?? text(fields.hubDomain), userId: user },
      }
    },
    docsUrl: 'https://developers.hubspot.com/docs/api-reference/latest/authentication/manage-oauth-tokens',
    quirks: [
      'dated OAuth API (/oauth/2026-03/…): /oauth/v1 switches off on 2027-02-16',
      'account from POST /oauth/2026-03/token/introspect',
      'hub id and domain in metadata',
      'access tokens last 30 minutes',
      'revocation at /oauth/2026-03/token/revoke',
    ],
  })
}
