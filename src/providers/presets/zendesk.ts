import { type PresetOptions, preset, record, text } from '../preset.js'
import type { OAuth2Provider } from '../types.js'

export interface ZendeskOptions extends PresetOptions {
  /**
   * The account's subdomain (`acme` for `https://acme.zendesk.com`) when the app serves one account;
   * otherwise each connection gives its own: `GET <mount>/connect/zendesk?subdomain=acme`.
   */
  subdomain?: string
}

const SUBDOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/

/**
 * Zendesk (Support, Help Center, Voice APIs), per account: each connection names its subdomain at
 * connect time (`?subdomain=acme`), or `subdomain` fixes one for an app that serves a single account.
 * The OAuth client is registered in the account's Admin Center (a global OAuth client serves many
 * accounts); its "unique identifier" is the client id.
 *
 * @example providers.zendesk({ clientId: 'acme_connector', clientSecret, subdomain: 'acme' })
 */
export function zendesk(options: ZendeskOptions): OAuth2Provider {
  const fixed = typeof options.subdomain === 'string' ? options.subdomain.trim().toLowerCase() : undefined
  if (fixed !== undefined && !SUBDOMAIN.test(fixed)) {
    throw new TypeError(
      `providers.zendesk: subdomain must be the account's subdomain ("acme" for acme.zendesk.com), got ${JSON.stringify(options.subdomain)}`,
    )
  }
  // https://developer.zendesk.com/api-reference/ticketing/oauth/grant_type_tokens/ (read 2026-12-07)
  const site = 'https://{subdomain}.zendesk.com'
  return preset(options, {
    id: 'zendesk',
    name: 'Zendesk',
    connectionParams: {
      subdomain: {
        pattern: SUBDOMAIN,
        description: "the account's Zendesk subdomain (acme for acme.zendesk.com)",
        example: 'acme',
        ...(fixed ? { default: fixed } : {}),
      },
    },
    authorizationUrl: `${site}/oauth/authorizations/new`,
    tokenUrl: `${site}/oauth/tokens`,
    userInfoUrl: `${site}/api/v2/users/me.json`,
    apiBaseUrl: `${site}/api/v2`,
    scopes: ['read'],
    // The documented token request is a JSON body carrying the client id and secret.
    tokenRequestFormat: 'json',
    // Without expires_in, clients created before 2026-04-30 get tokens that never expire and no refresh
    // token; refresh tokens are mandatory by 2027-04-01. Zendesk's default TTLs (access 30 minutes,
    // refresh 30 days), sent on the code exchange and on every refresh.
    // https://support.zendesk.com/hc/en-us/articles/9182123625370 and
    // https://support.zendesk.com/hc/en-us/articles/10212201463962 (read 2026-12-07)
    tokenParams: { expires_in: 1800, refresh_token_expires_in: 2592000 },
    profile: (info) => {
      const user = record(info.user)
      return {
        accountId: text(user.id),
        accountEmail: text(user.email),
        displayName: text(user.name),
      }
    },
    details: async ({ params }) => ({ metadata: { subdomain: params?.subdomain ?? fixed ?? null } }),
    docsUrl:
      'https://support.zendesk.com/hc/en-us/articles/4408845965210-Using-OAuth-authentication-with-your-application',
    quirks: [
      'per-account subdomain: ?subdomain=acme at connect time, or a fixed subdomain option',
      'token request as a JSON body',
      'expires_in and refresh_token_expires_in sent, or older clients get tokens that never expire',
      'profile nested under user in /users/me.json',
      'refresh tokens rotate',
    ],
  })
}
