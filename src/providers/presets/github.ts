import { type PresetOptions, preset, text } from '../preset.js'
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
    docsUrl: 'https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps',
    quirks: ['tokens do not expire and have no refresh token', 'Enterprise Server base URL option'],
  })
}
