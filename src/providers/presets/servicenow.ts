import { type PresetOptions, preset, record, text } from '../preset.js'
import type { OAuth2Provider } from '../types.js'

/**
 * ServiceNow, per instance: each connection names its instance (`/connect/servicenow?instance=acme`
 * for `acme.service-now.com`), kept on the connection for every later call. The OAuth client is an
 * "OAuth API endpoint for external clients" registered on that instance (Application Registry).
 *
 * @example providers.servicenow({ clientId, clientSecret })
 */
export function servicenow(options: PresetOptions): OAuth2Provider {
  const site = 'https://{instance}.service-now.com'
  return preset(options, {
    id: 'servicenow',
    name: 'ServiceNow',
    connectionParams: {
      instance: {
        pattern: /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i,
        description: 'the instance name (acme for acme.service-now.com)',
        example: 'acme',
      },
    },
    // https://www.servicenow.com/docs/r/zurich/platform-security/authentication/authorization-workflow.html (read 2026-12-07)
    authorizationUrl: `${site}/oauth_auth.do`,
    // https://www.servicenow.com/docs/r/yokohama/platform-security/authentication/r_OAuthAPIRequestParameters.html (read 2026-12-07)
    tokenUrl: `${site}/oauth_token.do`,
    // Takes the access or refresh token as `token`, without client authentication.
    // https://www.servicenow.com/docs/r/australia/platform-security/authentication/t_RevokeOAuthToken.html (read 2026-12-07)
    revocationUrl: `${site}/oauth_revoke_token.do`,
    // No user-info endpoint: the Table API reads the signed-in user's own sys_user record.
    // https://developer.servicenow.com/dev.do#!/reference/api/latest/rest/c_TableAPI (read 2026-12-07)
    userInfoUrl: `${site}/api/now/table/sys_user?sysparm_query=sys_id%3Djavascript:gs.getUserID()&sysparm_fields=sys_id,user_name,email,name&sysparm_limit=1`,
    apiBaseUrl: `${site}/api`,
    // The scope tokens carry when the client asks for none in particular.
    // https://docs.servicenow.com/bundle/geneva-servicenow-platform/page/administer/security/reference/r_OAuthTokens.html (read 2026-12-07)
    scopes: ['useraccount'],
    // ServiceNow documents PKCE for public clients; a confidential client authenticates with its
    // secret (same page as the authorization URL).
    pkce: false,
    // The API answers XML unless asked for JSON.
    apiHeaders: { accept: 'application/json' },
    userInfoHeaders: { accept: 'application/json' },
    profile: (answer) => {
      const user = record(Array.isArray(answer.result) ? answer.result[0] : undefined)
      return {
        accountId: text(user.sys_id),
        accountEmail: text(user.email),
        displayName: text(user.name) ?? text(user.user_name),
      }
    },
    docsUrl:
      'https://www.servicenow.com/docs/r/zurich/platform-security/authentication/authorization-workflow.html',
    quirks: [
      'per-connection instance (?instance=acme for acme.service-now.com)',
      'profile from the Table API (sys_user of gs.getUserID()), no user-info endpoint',
      'accept: application/json on API calls',
      'no PKCE for confidential clients (documented for public clients only)',
      'access tokens last 30 minutes; refresh tokens 100 days and do not rotate',
    ],
  })
}
