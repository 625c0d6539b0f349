import { type PresetOptions, preset, text } from '../preset.js'
import type { OAuth2Provider } from '../types.js'

export interface GitLabOptions extends PresetOptions {
  /** A self-managed GitLab, e.g. `https://gitlab.example.com`. Default `https://gitlab.com`. */
  baseUrl?: string
}

/**
 * GitLab (gitlab.com or self-managed) OAuth application. Access tokens last two hours; each refresh
 * returns a new refresh token and retires the old one.
 *
 * @example providers.gitlab({ clientId, clientSecret, baseUrl: 'https://gitlab.example.com' })
 */
export function gitlab(options: GitLabOptions): OAuth2Provider {
  const base = options.baseUrl?.replace(/\/+$/, '') ?? 'https://gitlab.com'
  return preset(options, {
    id: 'gitlab',
    name: 'GitLab',
    authorizationUrl: `${base}/oauth/authorize`,
    tokenUrl: `${base}/oauth/token`,
    userInfoUrl: `${base}/api/v4/user`,
    revocationUrl: `${base}/oauth/revoke`,
    apiBaseUrl: `${base}/api/v4`,
    scopes: ['read_user', 'read_api'],
    profile: (user) => ({
      accountId: text(user.id),
      accountEmail: text(user.email),
      displayName: text(user.name) ?? text(user.username),
    }),
    docsUrl: 'https://docs.gitlab.com/api/oauth2/',
    quirks: [
      'access tokens expire after 2 hours; refresh tokens rotate',
      'self-managed base URL option',
      'RFC 7009 revocation at /oauth/revoke',
    ],
  })
}
