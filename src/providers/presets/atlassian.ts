import { ConnectionsError } from '../../core/errors.js'
import { type PresetOptions, preset, record, text } from '../preset.js'
import type { OAuth2Provider } from '../types.js'

export interface AtlassianOptions extends PresetOptions {
  /**
   * The site to connect when the user granted several, by URL (`https://acme.atlassian.net`) or
   * name. Default: the first site of the product that the token can reach.
   */
  site?: string
}

/** One Atlassian 3LO app, two products: each entry its own scopes and its own API path. */
const PRODUCTS = {
  jira: { name: 'Jira', scopes: ['read:jira-work', 'read:jira-user'] },
  confluence: {
    name: 'Confluence',
    scopes: ['read:confluence-content.all', 'read:confluence-space.summary'],
  },
} as const

export type AtlassianProduct = keyof typeof PRODUCTS

function atlassianProduct(product: AtlassianProduct, options: AtlassianOptions): OAuth2Provider {
  const entry = PRODUCTS[product]
  const gateway = (options.endpoints?.apiBaseUrl ?? 'https://api.atlassian.com').replace(/\/+$/, '')
  return preset(options, {
    id: product,
    name: entry.name,
    authorizationUrl: 'https://auth.atlassian.com/authorize',
    tokenUrl: 'https://auth.atlassian.com/oauth/token',
    userInfoUrl: `${gateway}/me`,
    apiBaseUrl: gateway,
    // read:me for the profile, offline_access for a refresh token.
    scopes: [...entry.scopes, 'read:me', 'offline_access'],
    authorizationParams: { audience: 'api.atlassian.com', prompt: 'consent' },
    tokenRequestFormat: 'json',
    profile: (me) => ({
      accountId: text(me.account_id),
      accountEmail: text(me.email),
      displayName: text(me.name),
    }),
    // The token reaches every site the user granted; the API of one is under /ex/<product>/<cloudId>.
    details: async ({ fetchJson, userInfo }) => {
      const answer = await fetchJson(`${gateway}/oauth/token/accessible-resources`)
      const sites = (Array.isArray(answer) ? answer : []).map(record).filter((site) => {
        const scopes = Array.isArray(site.scopes) ? site.scopes : []
        return scopes.some((scope) => typeof scope === 'string' && scope.includes(product))
      })
      const wanted = options.site?.replace(/\/+$/, '')
      const site = wanted ? sites.find((s) => s.url === wanted || s.name === wanted) : sites[0]
      const cloudId = text(site?.id)
      if (!site || !cloudId) {
        throw new ConnectionsError(
          'provider_error',
          `No ${entry.name} site${wanted ? ` "${wanted}"` : ''} was granted to this app.`,
        )
      }
      // One connection per site: the same person connecting a second site adds a connection.
      const accountId = text(userInfo.account_id)
      return {
        apiBaseUrl: `${gateway}/ex/${product}/${cloudId}`,
        metadata: { cloudId, siteUrl: text(site.url), siteName: text(site.name) },
        ...(accountId ? { account: { accountId: `${cloudId}:${accountId}` } } : {}),
      }
    },
    docsUrl: 'https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/',
    quirks: [
      'audience=api.atlassian.com and prompt=consent on the authorization request',
      'offline_access for a refresh token; refresh tokens rotate',
      'cloud id from accessible-resources sets the per-site API base',
      'site option when the user granted several',
      'one Atlassian app shared by jira and confluence',
    ],
  })
}

/**
 * Atlassian Cloud (OAuth 2.0 3LO): `jira` and `confluence` are the same app with each product's
 * scopes. After the exchange the granted site is looked up, and API calls go to
 * `https://api.atlassian.com/ex/<product>/<cloudId>`.
 *
 * @example providers.jira({ clientId, clientSecret, site: 'https://acme.atlassian.net' })
 */
export const jira = (options: AtlassianOptions) => atlassianProduct('jira', options)
export const confluence = (options: AtlassianOptions) => atlassianProduct('confluence', options)
