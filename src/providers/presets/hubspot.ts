import { type PresetOptions, preset, record, text } from '../preset.js'
import type { OAuth2Provider } from '../types.js'

/**
 * HubSpot public app. The token response names nobody: the account (hub and user) is read from the
 * access-token information endpoint. Access tokens last 30 minutes; the refresh token does not change.
 *
 * @example providers.hubspot({ clientId, clientSecret, scopes: ['oauth', 'crm.objects.deals.read'] })
 */
export function hubspot(options: PresetOptions): OAuth2Provider {
  const api = (options.endpoints?.apiBaseUrl ?? 'https://api.hubapi.com').replace(/\/+$/, '')
  return preset(options, {
    id: 'hubspot',
    name: 'HubSpot',
    authorizationUrl: 'https://app.hubspot.com/oauth/authorize',
    tokenUrl: 'https://api.hubapi.com/oauth/v1/token',
    apiBaseUrl: api,
    scopes: ['oauth', 'crm.objects.contacts.read'],
    profile: () => ({ accountId: null, accountEmail: null }),
    details: async ({ tokens, fetchJson }) => {
      const token = encodeURIComponent(String(tokens.access_token))
      const fields = record(await fetchJson(`${api}/oauth/v1/access-tokens/${token}`))
      const hub = text(fields.hub_id)
      const user = text(fields.user_id)
      return {
        // One connection per HubSpot account (hub) and user: a user may belong to several hubs.
        account: {
          accountId: hub && user ? `${hub}:${user}` : hub,
          accountEmail: text(fields.user),
        },
        metadata: { hubId: hub, hubDomain: text(fields.hub_domain), userId: user },
      }
    },
    docsUrl: 'https://developers.hubspot.com/docs/api/oauth-quickstart-guide',
    quirks: [
      'account from GET /oauth/v1/access-tokens/<token>',
      'hub id and domain in metadata',
      'access tokens last 30 minutes',
      'no RFC 7009 revocation endpoint',
    ],
  })
}
