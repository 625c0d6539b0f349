import { type PresetOptions, preset, record, text } from '../preset.js'
import type { OAuth2Provider } from '../types.js'

export interface ZendeskOptions extends PresetOptions {
  /** The account's subdomain: `acme` for `https://acme.zendesk.com`. */
  subdomain: string
}

const SUBDOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/

/**
 * Zendesk (Support, Help Center, Voice APIs) of one account, named by its subdomain. The OAuth
 * client is registered in that account's Admin Center; its "unique identifier" is the client id.
 *
 * @example providers.zendesk({ clientId: 'acme_connector', clientSecret, subdomain: 'acme' })
 */
export function zendesk(options: ZendeskOptions): OAuth2Provider {
  const subdomain = typeof options.subdomain === 'string' ? options.subdomain.trim().toLowerCase() : ''
  if (!SUBDOMAIN.test(subdomain)) {
    throw new TypeError(
      `providers.zendesk: subdomain must be the account's subdomain ("acme" for acme.zendesk.com), got ${JSON.stringify(options.subdomain)}`,
    )
  }
  const site = `https://${subdomain}.zendesk.com`
  return preset(options, {
    id: 'zendesk',
    name: 'Zendesk',
    authorizationUrl: `${site}/oauth/authorizations/new`,
    tokenUrl: `${site}/oauth/tokens`,
    userInfoUrl: `${site}/api/v2/users/me.json`,
    apiBaseUrl: `${site}/api/v2`,
    scopes: ['read'],
    // The documented token request is a JSON body carrying the client id and secret.
    tokenRequestFormat: 'json',
    profile: (info) => {
      const user = record(info.user)
      return {
        accountId: text(user.id),
        accountEmail: text(user.email),
        displayName: text(user.name),
      }
    },
    details: async () => ({ metadata: { subdomain } }),
    docsUrl:
      'https://support.zendesk.com/hc/en-us/articles/4408845965210-Using-OAuth-authentication-with-your-application',
    quirks: [
      'per-account subdomain (required option)',
      'token request as a JSON body',
      'profile nested under user in /users/me.json',
      'access tokens expire only when the client asks for it (then refresh tokens rotate)',
    ],
  })
}
