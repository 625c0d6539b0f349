import { type PresetOptions, preset, record, text } from '../preset.js'
import type { OAuth2Provider } from '../types.js'

export interface GitHubOptions extends PresetOptions {
  /** GitHub Enterprise Server, e.g. `https://github.example.com` (its API is at `/api/v3`). */
  enterpriseUrl?: string
}

/**
 * GitHub OAuth app. Its tokens do not expire and come without a refresh token; the account's email
 * is only in the profile when it is public (scope `user:email` lets `/user/emails` read it).
 *
 * @example providers.github({ clientId, clientSecret, scopes: ['repo'] })
 */
export function github(options: GitHubOptions): OAuth2Provider {
  const web = options.enterpriseUrl?.replace(/\/+$/, '') ?? 'https://github.com'
  const api = options.enterpriseUrl ? `${web}/api/v3` : 'https://api.github.com'
  return preset(options, {
    id: 'github',
    name: 'GitHub',
    authorizationUrl: `${web}/login/oauth/authorize`,
    tokenUrl: `${web}/login/oauth/access_token`,
    userInfoUrl: `${api}/user`,
    apiBaseUrl: api,
    scopes: ['read:user', 'user:email'],
    userInfoHeaders: { accept: 'application/vnd.github+json' },
    apiHeaders: { accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' },
    profile: (user) => ({
      accountId: text(user.id),
      accountEmail: text(user.email),
      displayName: text(user.login),
    }),
    // /user shows the email only when it is public; user:email lets /user/emails name the primary one.
    details: async ({ userInfo, fetchJson }) => {
      if (text(userInfo.email)) return {}
      const base = options.endpoints?.apiBaseUrl ?? api
      const emails = await fetchJson(`${base}/user/emails`).catch(() => [])
      const primary = (Array.isArray(emails) ? emails : [])
        .map(record)
        .find((entry) => entry.primary === true && entry.verified === true)
      const email = text(primary?.email)
      return email ? { account: { accountEmail: email } } : {}
    },
    // github.com sends iss on its redirect back (RFC 9207) without saying so in metadata: a foreign
    // one is refused, a missing one accepted. Enterprise Server's value is not known, so not checked.
    ...(options.enterpriseUrl ? {} : { issuer: 'https://github.com/login/oauth', requireIss: false }),
    docsUrl: 'https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps',
    quirks: [
      'tokens do not expire and have no refresh token',
      'iss checked when sent (github.com)',
      'email from /user/emails (primary, verified) when not public',
      'Enterprise Server base URL option',
    ],
  })
}
