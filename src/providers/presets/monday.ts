import { type PresetOptions, preset, record, text } from '../preset.js'
import type { OAuth2Provider } from '../types.js'

const API = 'https://api.monday.com/v2'
const ME_QUERY = '{ me { id email name account { id name slug } } }'

/**
 * monday.com. The app must be installed on the customer's account; its tokens do not expire and come
 * without a refresh token. There is no profile endpoint: the user and account are read with a
 * GraphQL query on the API (`endpoints.apiBaseUrl`, the GraphQL URL itself).
 *
 * @example providers.monday({ clientId, clientSecret, scopes: ['me:read', 'boards:read', 'boards:write'] })
 */
export function monday(options: PresetOptions): OAuth2Provider {
  const graphql = options.endpoints?.apiBaseUrl ?? API
  return preset(options, {
    id: 'monday',
    name: 'monday.com',
    authorizationUrl: 'https://auth.monday.com/oauth2/authorize',
    tokenUrl: 'https://auth.monday.com/oauth2/token',
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
      'tokens do not expire and have no refresh token',
      'monday account (organisation) in metadata',
    ],
  })
}
