import { type PresetOptions, preset, record, text } from '../preset.js'
import type { OAuth2Provider } from '../types.js'

/**
 * Calendly API v2. Access tokens last two hours; refresh tokens do not expire but are single use
 * (each refresh returns a new one). The token response names the user and organization by URI
 * (`owner`, `organization`); the user URI is the account id and the organization URI is kept in
 * metadata, with the scheduling page. Apps created since scopes were introduced get no API access
 * without them.
 *
 * @example providers.calendly({ clientId, clientSecret, scopes: ['users:read', 'scheduled_events:read'] })
 */
export function calendly(options: PresetOptions): OAuth2Provider {
  return preset(options, {
    id: 'calendly',
    name: 'Calendly',
    authorizationUrl: 'https://auth.calendly.com/oauth/authorize',
    tokenUrl: 'https://auth.calendly.com/oauth/token',
    userInfoUrl: 'https://api.calendly.com/users/me',
    revocationUrl: 'https://auth.calendly.com/oauth/revoke',
    apiBaseUrl: 'https://api.calendly.com',
    scopes: ['users:read', 'event_types:read', 'scheduled_events:read'],
    profile: (body, tokens) => {
      const user = record(body.resource)
      return {
        accountId: text(user.uri) ?? text(tokens.owner),
        accountEmail: text(user.email),
        displayName: text(user.name),
      }
    },
    details: async ({ userInfo, tokens }) => {
      const user = record(userInfo.resource)
      const metadata: Record<string, unknown> = {}
      const organization = text(tokens.organization) ?? text(user.current_organization)
      const schedulingUrl = text(user.scheduling_url)
      if (organization) metadata.organization = organization
      if (schedulingUrl) metadata.schedulingUrl = schedulingUrl
      return { metadata }
    },
    docsUrl: 'https://developer.calendly.com/how-to-access-calendly-data-on-behalf-of-authenticated-users',
    quirks: [
      'account id is the user URI (owner in the token response)',
      'organization URI kept in metadata',
      'refresh tokens are single use and rotate',
    ],
  })
}
