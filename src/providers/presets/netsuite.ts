import { type PresetOptions, preset } from '../preset.js'
import type { OAuth2Provider } from '../types.js'

/**
 * NetSuite (REST web services, RESTlets), per account: each connection names its account id as it
 * appears in NetSuite's hosts (`/connect/netsuite?accountId=1234567`; the sandbox `1234567_SB1` is
 * `1234567-sb1`), kept on the connection for every later call. The redirect back names the
 * company, role and entity (user) the token acts as.
 *
 * @example providers.netsuite({ clientId, clientSecret, scopes: ['rest_webservices', 'restlets'] })
 */
export function netsuite(options: PresetOptions): OAuth2Provider {
  const app = 'https://{accountId}.app.netsuite.com'
  const suitetalk = 'https://{accountId}.suitetalk.api.netsuite.com'
  return preset(options, {
    id: 'netsuite',
    name: 'NetSuite',
    connectionParams: {
      accountId: {
        // Hosts spell the account id in lower case with "-" for "_": 1234567_SB1 → 1234567-sb1.
        pattern: /^[a-z0-9]{1,30}(?:-(?:sb|rp)[0-9]{0,3})?$/i,
        description: 'the NetSuite account id as in its hosts (1234567, or 1234567-sb1 for 1234567_SB1)',
        example: '1234567',
      },
    },
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_158081944642.html (read 2026-12-07)
    authorizationUrl: `${app}/app/login/oauth2/authorize.nl`,
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_160855590788.html (read 2026-12-07)
    tokenUrl: `${suitetalk}/services/rest/auth/oauth2/v1/token`,
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_161071224088.html (read 2026-12-07)
    // Takes the refresh token (its access tokens go with it).
    revocationUrl: `${suitetalk}/services/rest/auth/oauth2/v1/revoke`,
    revocation: { tokens: 'refresh', hint: false },
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_157780312610.html (read 2026-12-07)
    apiBaseUrl: `${suitetalk}/services/rest`,
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_158081944642.html (read 2026-12-07)
    scopes: ['rest_webservices'],
    // The token endpoint takes the client id and secret as HTTP Basic only.
    tokenAuth: 'client_secret_basic',
    profile: () => ({ accountId: null, accountEmail: null }),
    details: async ({ callbackParams }) => {
      const { company, entity, role } = callbackParams
      return {
        ...(company && entity ? { account: { accountId: `${company}:${entity}` } } : {}),
        metadata: { company: company ?? null, entity: entity ?? null, role: role ?? null },
      }
    },
    docsUrl: 'https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_158074210415.html',
    quirks: [
      'per-connection accountId (?accountId=1234567; sandbox 1234567_SB1 as 1234567-sb1)',
      'authorization on app.netsuite.com, tokens and API on suitetalk.api.netsuite.com',
      'client authenticates with HTTP Basic',
      'company, role and entity from the redirect: account id company:entity',
      'no profile endpoint',
      'revocation takes the refresh token only',
    ],
  })
}
