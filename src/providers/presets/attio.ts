import { type PresetOptions, preset, text } from '../preset.js'
import type { OAuth2Provider } from '../types.js'

/**
 * Attio. A token is for one workspace, and its scopes are the ones set on the app at build.attio.com
 * (the authorization request names none). The workspace is the account: GET /v2/self names it.
 *
 * @example providers.attio({ clientId, clientSecret })
 */
export function attio(options: PresetOptions): OAuth2Provider {
  return preset(options, {
    id: 'attio',
    name: 'Attio',
    // https://docs.attio.com/docs/oauth/authorize (read 2026-12-07)
    authorizationUrl: 'https://app.attio.com/authorize',
    // https://docs.attio.com/docs/oauth/token (read 2026-12-07)
    tokenUrl: 'https://app.attio.com/oauth/token',
    // https://docs.attio.com/rest-api/endpoint-reference/meta/identify (read 2026-12-07)
    userInfoUrl: 'https://api.attio.com/v2/self',
    // https://docs.attio.com/rest-api/guides/authentication (read 2026-12-07)
    apiBaseUrl: 'https://api.attio.com/v2',
    scopes: [],
    profile: (self) => ({
      accountId: text(self.workspace_id),
      accountEmail: null,
      displayName: text(self.workspace_name),
    }),
    details: async ({ userInfo }) => ({
      metadata: {
        workspaceId: text(userInfo.workspace_id),
        workspaceSlug: text(userInfo.workspace_slug),
        authorizedBy: text(userInfo.authorized_by_workspace_member_id),
      },
    }),
    docsUrl: 'https://docs.attio.com/rest-api/guides/authentication',
    quirks: [
      'scopes are set on the app, not requested',
      'tokens do not expire and have no refresh token',
      'account is the workspace, from GET /v2/self',
      'no revocation endpoint',
    ],
  })
}
