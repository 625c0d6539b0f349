import { type PresetOptions, preset, record, text } from '../preset.js'
import type { OAuth2Provider, TokenResponse } from '../types.js'

const API = 'https://api.bitbucket.org/2.0'

/**
 * Bitbucket Cloud (an OAuth consumer of a workspace). Its permissions are set on the consumer;
 * the token endpoint answers them as `scopes`. Access tokens last two hours. The email is not in
 * the profile: it comes from `/user/emails` (the primary one) when the consumer has `email`.
 *
 * @example providers.bitbucket({ clientId: consumerKey, clientSecret: consumerSecret })
 */
export function bitbucket(options: PresetOptions): OAuth2Provider {
  const api = (options.endpoints?.apiBaseUrl ?? API).replace(/\/+$/, '')
  return preset(options, {
    id: 'bitbucket',
    name: 'Bitbucket',
    authorizationUrl: 'https://bitbucket.org/site/oauth2/authorize',
    tokenUrl: 'https://bitbucket.org/site/oauth2/access_token',
    userInfoUrl: `${API}/user`,
    apiBaseUrl: API,
    scopes: ['account', 'email'],
    tokenAuth: 'client_secret_basic',
    parseTokenResponse: (raw) => {
      const tokens = { ...raw } as TokenResponse
      if (typeof tokens.scope !== 'string' && typeof raw.scopes === 'string') tokens.scope = raw.scopes
      return tokens
    },
    profile: (user) => ({
      accountId: text(user.account_id) ?? text(user.uuid),
      accountEmail: null,
      displayName: text(user.display_name),
    }),
    details: async ({ userInfo, fetchJson }) => {
      const metadata = { uuid: text(userInfo.uuid), nickname: text(userInfo.nickname) }
      let emails: unknown[] = []
      try {
        const answer = record(await fetchJson(`${api}/user/emails`))
        emails = Array.isArray(answer.values) ? answer.values : []
      } catch {
        // Without the consumer's `email` permission the list is refused: the account has no email.
        return { metadata }
      }
      const entries = emails.map(record)
      const primary =
        entries.find((e) => e.is_primary === true && e.is_confirmed === true) ??
        entries.find((e) => e.is_primary === true) ??
        entries.find((e) => e.is_confirmed === true)
      const email = text(primary?.email)
      return email ? { metadata, account: { accountEmail: email } } : { metadata }
    },
    docsUrl: 'https://developer.atlassian.com/cloud/bitbucket/oauth-2/',
    quirks: [
      'client authenticates with HTTP Basic',
      'granted scopes answered as `scopes`',
      'email from /user/emails (primary, confirmed), optional',
      'Atlassian account_id as account id (uuid in metadata)',
      'two-hour access tokens with a refresh token',
    ],
  })
}
