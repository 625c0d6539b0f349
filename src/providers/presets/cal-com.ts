import { type PresetOptions, preset, record, text } from '../preset.js'
import type { OAuth2Provider } from '../types.js'

/**
 * Cal.com OAuth client (created under Settings → Developer → OAuth and approved by Cal.com). Scopes
 * are upper-case `RESOURCE_ACTION` names and must also be selected on the client; the profile is
 * `GET /v2/me` (`data.id`, `data.email`, `data.username`). Many v2 endpoints want a
 * `cal-api-version` header of their own, which the caller sets per request.
 *
 * @example providers.calCom({ clientId, clientSecret, scopes: ['PROFILE_READ', 'BOOKING_READ', 'BOOKING_WRITE'] })
 */
export function calCom(options: PresetOptions): OAuth2Provider {
  return preset(options, {
    id: 'cal_com',
    name: 'Cal.com',
    authorizationUrl: 'https://app.cal.com/auth/oauth2/authorize',
    tokenUrl: 'https://api.cal.com/v2/auth/oauth2/token',
    userInfoUrl: 'https://api.cal.com/v2/me',
    apiBaseUrl: 'https://api.cal.com/v2',
    scopes: ['PROFILE_READ', 'BOOKING_READ', 'EVENT_TYPE_READ', 'SCHEDULE_READ'],
    profile: (body) => {
      const me = record(body.data)
      return {
        accountId: text(me.id),
        accountEmail: text(me.email),
        displayName: text(me.name) ?? text(me.username),
      }
    },
    details: async ({ userInfo }) => {
      const me = record(userInfo.data)
      const metadata: Record<string, unknown> = {}
      const username = text(me.username)
      const organizationId = text(me.organizationId)
      if (username) metadata.username = username
      if (organizationId) metadata.organizationId = organizationId
      return { metadata }
    },
    docsUrl: 'https://cal.com/docs/api-reference/v2/oauth',
    quirks: [
      'upper-case RESOURCE_ACTION scopes that must also be enabled on the client',
      'profile wrapped in { status, data }',
      'per-endpoint cal-api-version header left to the caller',
      'no revocation endpoint',
    ],
  })
}
