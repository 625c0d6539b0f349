import { type PresetOptions, preset, record, text } from '../preset.js'
import type { OAuth2Provider } from '../types.js'

const API = 'https://api.monday.com/v2'
const ME_QUERY = '{ me { id email name account { id name slug } } }'

/**
 * monday.com with OAuth 2.1, the only flow of apps created since it became the default: access
 * tokens expire and come with a refresh token. The app must be installed on the customer's account:
 * `force_install_if_needed=true` takes an admin through the installation instead of stopping at
 * "app is not installed". There is no profile endpoint: the user and account are read with a
 * GraphQL query on the API (`endpoints.apiBaseUrl`, the GraphQL URL itself). Apps still on the
 * legacy flow point `endpoints.tokenUrl` at `https://auth.monday.com/oauth2/token`.
 *
 * @example providers.monday({ clientId, clientSecret, scopes: ['me:read', 'boards:read', 'boards:write'] })
 */
export function monday(options: PresetOptions): OAuth2Provider {
  const graphql = options.endpoints?.apiBaseUrl ?? API
  return preset(options, {
    id: 'monday',
    name: 'monday.com',
    // OAuth 2.1: same authorization URL, new token endpoint; tokens expire and refresh.
    // https://developer.monday.com/apps/docs/oauth-2-1 (read 2026-12-07)
    authorizationUrl: 'https://auth.monday.com/oauth2/authorize',
    tokenUrl: 'https://auth.monday.com/oauth_ms/oauth/token',
    // Without it a user whose account has not installed the app is blocked ("app is not installed").
    // Authorization request parameters: https://developer.monday.com/apps/docs/oauth-2-0 (the request
    // is unchanged in 2.1); seen used in https://github.com/simstudioai/sim/pull/7436 (read 2026-12-07)
    authorizationParams: { force_install_if_needed: 'true' },
    apiBaseUrl: API,
    scopes: ['me:read', 'boards:read'],
    profile: () => ({ accountId: null, accountEmail: null }),
    details: async ({ fetchJson }) => {
      const answer = record(
        await fetchJson(graphql, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: ME_QUERY }),
        }),
      )
      const me = record(record(answer.data).me)
      const account = record(me.account)
      return {
        account: { accountId: text(me.id), accountEmail: text(me.email), displayName: text(me.name) },
        metadata: {
          mondayAccountId: text(account.id),
          mondayAccountName: text(account.name),
          mondayAccountSlug: text(account.slug),
        },
      }
    },
    docsUrl: 'https://developer.monday.com/apps/docs/oauth',
    quirks: [
      'no profile endpoint: GraphQL `me` query after the exchange',
      'OAuth 2.1 token endpoint (oauth_ms): expiring access tokens with a refresh token',
      'force_install_if_needed=true: an admin installs the app on the way',
      'monday account (organisation) in metadata',
    ],
  })
}
