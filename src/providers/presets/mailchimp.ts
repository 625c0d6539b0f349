import { ConnectionsError } from '../../core/errors.js'
import { handedOverOrigin } from '../handed-over-url.js'
import { type PresetOptions, preset, record, text } from '../preset.js'
import type { OAuth2Provider } from '../types.js'

/**
 * Mailchimp Marketing API. Each account lives in a data centre (`us6`, …): the metadata endpoint,
 * read after the exchange, names it, and its `api_endpoint` + `/3.0` becomes the connection's API base,
 * checked to be that data centre's Mailchimp host. Tokens never expire and come without a refresh
 * token; Mailchimp has no scopes.
 *
 * @example providers.mailchimp({ clientId, clientSecret })
 */
export function mailchimp(options: PresetOptions): OAuth2Provider {
  // api_endpoint receives the user's token: `https://<dc>.api.mailchimp.com` for the dc Mailchimp
  // named, or the host the metadata came from (a test double).
  const metadataOrigin = new URL(options.endpoints?.userInfoUrl ?? METADATA_URL).origin
  return preset(options, {
    id: 'mailchimp',
    name: 'Mailchimp',
    // https://mailchimp.com/developer/marketing/guides/access-user-data-oauth-2/ (read 2026-12-07)
    authorizationUrl: 'https://login.mailchimp.com/oauth2/authorize',
    // https://mailchimp.com/developer/marketing/guides/access-user-data-oauth-2/ (read 2026-12-07)
    tokenUrl: 'https://login.mailchimp.com/oauth2/token',
    // The metadata endpoint names the account and its data centre.
    // https://mailchimp.com/developer/marketing/guides/access-user-data-oauth-2/ (read 2026-12-07)
    userInfoUrl: METADATA_URL,
    // Mailchimp has no OAuth scopes: a token reaches everything its user can.
    // https://mailchimp.com/developer/marketing/guides/access-user-data-oauth-2/ (read 2026-12-07)
    scopes: [],
    profile: (metadata) => {
      const login = record(metadata.login)
      return {
        accountId: text(metadata.user_id),
        accountEmail: text(login.login_email) ?? text(login.email),
        displayName: text(metadata.accountname),
      }
    },
    details: async ({ userInfo }) => {
      // The metadata endpoint answers 200 with { error: 'invalid_token' } to a token it refuses.
      const refused = text(userInfo.error)
      if (refused) throw new ConnectionsError('provider_error', `Mailchimp refused the token (${refused}).`)
      const dc = text(userInfo.dc)
      const endpoint = handedOverOrigin(text(userInfo.api_endpoint), {
        provider: 'Mailchimp',
        field: 'an api_endpoint',
        ownHost: (hostname) => dc !== null && DATA_CENTRE.test(dc) && hostname === `${dc}.api.mailchimp.com`,
        trustedOrigin: metadataOrigin,
      })
      return {
        // https://mailchimp.com/developer/marketing/guides/access-user-data-oauth-2/ (read 2026-12-07)
        apiBaseUrl: `${endpoint}/3.0`,
        metadata: {
          dc,
          accountName: text(userInfo.accountname),
          role: text(userInfo.role),
          loginId: text(record(userInfo.login).login_id),
        },
      }
    },
    docsUrl: 'https://mailchimp.com/developer/marketing/guides/access-user-data-oauth-2/',
    quirks: [
      'data centre from the metadata endpoint: api_endpoint/3.0 is the connection API base (checked to be {dc}.api.mailchimp.com)',
      'tokens never expire (expires_in 0) and have no refresh token',
      'no OAuth scopes',
      'metadata endpoint answers a refused token with 200 and an error field',
    ],
  })
}

// https://mailchimp.com/developer/marketing/guides/access-user-data-oauth-2/ (read 2026-12-07)
const METADATA_URL = 'https://login.mailchimp.com/oauth2/metadata'

/** A data centre name: `us1`, `us21`, … */
const DATA_CENTRE = /^[a-z]{2,4}[0-9]{1,3}$/
