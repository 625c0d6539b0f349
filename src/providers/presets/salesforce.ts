import { ConnectionsError } from '../../core/errors.js'
import { handedOverUrl } from '../handed-over-url.js'
import { type PresetOptions, preset, record, text } from '../preset.js'
import type { OAuth2Provider } from '../types.js'

export interface SalesforceOptions extends PresetOptions {
  /**
   * Where every user logs in: `https://test.salesforce.com` for sandboxes, or a My Domain URL
   * (`https://acme.my.salesforce.com`). Without it, each connection may name its own login host at
   * connect time (`?domain=acme.my`, `?domain=test`); the default is `login`.
   */
  loginUrl?: string
}

/**
 * A Salesforce login host before `.salesforce.com`: `login`, `test` (sandboxes), or a My Domain
 * (`acme.my`, `acme--dev.sandbox.my`).
 * https://help.salesforce.com/s/articleView?id=xcloud.domain_name_url_formats.htm&type=5 (read 2026-12-07)
 */
const LOGIN_HOST = /^(?:login|test|[a-z0-9][a-z0-9-]{0,79}(?:\.sandbox)?\.my)$/

/**
 * Salesforce connected app. Each org has its own API host: the token response's `instance_url`
 * becomes the connection's API base, and its `id` (the identity URL) names the user. The token
 * response has no `expires_in` (the session timeout is the org's); a 401 triggers the refresh.
 *
 * @example providers.salesforce({ clientId, clientSecret, loginUrl: 'https://test.salesforce.com' })
 */
export function salesforce(options: SalesforceOptions): OAuth2Provider {
  const login = `${options.loginUrl?.replace(/\/+$/, '') ?? 'https://{domain}.salesforce.com'}/services/oauth2`
  // instance_url and the identity URL come from the token response and receive the user's token:
  // only Salesforce's own hosts, or the host the token came from (a My Domain, a test double).
  const tokenOrigin = new URL(options.endpoints?.tokenUrl ?? `${login}/token`).origin
  const salesforceUrl = (value: string | null, field: string): string => {
    handedOverUrl(value, {
      provider: 'Salesforce',
      field,
      ownHost: (hostname) => SALESFORCE_HOSTS.some((suffix) => hostname.endsWith(suffix)),
      trustedOrigin: tokenOrigin,
    })
    return value as string
  }
  return preset(options, {
    id: 'salesforce',
    name: 'Salesforce',
    connectionParams: options.loginUrl
      ? {}
      : {
          domain: {
            pattern: LOGIN_HOST,
            description: 'the login host before .salesforce.com: login, test, or a My Domain such as acme.my',
            example: 'acme.my',
            default: 'login',
          },
        },
    authorizationUrl: `${login}/authorize`,
    tokenUrl: `${login}/token`,
    revocationUrl: `${login}/revoke`,
    scopes: ['api', 'refresh_token', 'id'],
    profile: () => ({ accountId: null, accountEmail: null }),
    details: async ({ tokens, fetchJson }) => {
      if (!text(tokens.instance_url) || !text(tokens.id)) {
        throw new ConnectionsError('provider_error', 'Salesforce sent no instance_url or identity URL.')
      }
      const instanceUrl = salesforceUrl(text(tokens.instance_url), 'an instance_url')
      const identityUrl = salesforceUrl(text(tokens.id), 'an identity URL')
      const identity = record(await fetchJson(identityUrl))
      return {
        apiBaseUrl: instanceUrl,
        account: {
          accountId: text(identity.user_id),
          accountEmail: text(identity.email),
          displayName: text(identity.display_name),
        },
        metadata: {
          organizationId: text(identity.organization_id),
          username: text(identity.username),
          instanceUrl,
        },
      }
    },
    docsUrl: 'https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm&type=5',
    quirks: [
      'instance_url is the connection API base',
      'profile from the identity URL in the token response',
      'no expires_in: tokens refreshed when the API answers 401',
      'login host per connection (?domain=acme.my or test), or a fixed loginUrl option',
      'refresh_token scope for a refresh token',
    ],
  })
}

/** Hosts Salesforce serves instances and identity URLs from (production, sandboxes, Government Cloud). */
const SALESFORCE_HOSTS = ['.salesforce.com', '.force.com', '.cloudforce.com', '.salesforce.mil']
