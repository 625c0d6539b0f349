import { githubInstallationToken } from '../github-app-installation.js'
import { type PresetOptions, preset, record, text } from '../preset.js'
import type { OAuth2Provider } from '../types.js'
import { github } from './github.js'

export interface GitHubAppOptions extends PresetOptions {
  /** GitHub Enterprise Server, e.g. `https://github.example.com` (its API is at `/api/v3`). */
  enterpriseUrl?: string
}

/**
 * GitHub App, acting for a user (user access tokens, "user-to-server"). With token expiration on (the
 * default for new apps) the token lasts 8 hours and comes with a refresh token that lasts 6 months and
 * rotates on every refresh. What the token reaches is the app's permissions, not OAuth scopes: none
 * are asked for. The installations the user can reach are listed in metadata; an `installation_id` the
 * callback carries (an install with "Request user authorization during installation") is kept only
 * when it is one of them, as GitHub warns it can be spoofed.
 *
 * The app's own credential, an installation access token signed for with its private key, is another
 * thing: `providers.githubApp.installationToken({ appId, privateKey, installationId })`.
 *
 * @example providers.githubApp({ clientId: 'Iv23li…', clientSecret })
 */
export const githubApp = Object.assign(githubAppProvider, { installationToken: githubInstallationToken })

function githubAppProvider(options: GitHubAppOptions): OAuth2Provider {
  const web = options.enterpriseUrl?.replace(/\/+$/, '') ?? 'https://github.com'
  const api = options.enterpriseUrl ? `${web}/api/v3` : 'https://api.github.com'
  const apiBase = (options.endpoints?.apiBaseUrl ?? api).replace(/\/+$/, '')
  // Same host, profile and email lookup as the OAuth app preset.
  const oauthApp = github({ ...options, scopes: [] })
  return preset(options, {
    id: 'github_app',
    name: 'GitHub App',
    // https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-user-access-token-for-a-github-app (read 2026-12-07)
    authorizationUrl: `${web}/login/oauth/authorize`,
    // Same page; refreshes too: https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/refreshing-user-access-tokens (read 2026-12-07)
    tokenUrl: `${web}/login/oauth/access_token`,
    // https://docs.github.com/en/rest/users/users#get-the-authenticated-user (read 2026-12-07)
    userInfoUrl: `${api}/user`,
    // https://docs.github.com/en/rest/using-the-rest-api/getting-started-with-the-rest-api (read 2026-12-07)
    apiBaseUrl: api,
    // A GitHub App's access is its permissions: the scope parameter is ignored.
    // https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-user-access-token-for-a-github-app (read 2026-12-07)
    scopes: [],
    userInfoHeaders: oauthApp.userInfoHeaders,
    apiHeaders: oauthApp.apiHeaders,
    profile: oauthApp.profile,
    details: async (context) => {
      const found = (await oauthApp.details?.(context)) ?? {}
      // https://docs.github.com/en/rest/apps/installations#list-app-installations-accessible-to-the-user-access-token (read 2026-12-07)
      const listed = record(await context.fetchJson(`${apiBase}/user/installations?per_page=100`))
      const installations = (Array.isArray(listed.installations) ? listed.installations : [])
        .map(record)
        .map((entry) => ({
          id: text(entry.id),
          account: text(record(entry.account).login),
          targetType: text(entry.target_type),
          repositorySelection: text(entry.repository_selection),
        }))
      // https://docs.github.com/en/apps/creating-github-apps/setting-up-a-github-app/about-the-setup-url (read 2026-12-07):
      // "Bad actors can hit this URL with a spoofed installation_id."
      const claimed = context.callbackParams.installation_id
      const installationId = installations.some((entry) => entry.id === claimed) ? (claimed ?? null) : null
      return {
        ...found,
        metadata: {
          installationId,
          setupAction: installationId ? (context.callbackParams.setup_action ?? null) : null,
          installations,
        },
      }
    },
    // github.com sends iss on its redirect back (RFC 9207), as for OAuth apps.
    ...(options.enterpriseUrl ? {} : { issuer: 'https://github.com/login/oauth', requireIss: false }),
    docsUrl:
      'https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-user-access-token-for-a-github-app',
    quirks: [
      'user access tokens expire after 8 hours; refresh tokens last 6 months and rotate',
      'no OAuth scopes: access is the app permissions',
      'installations reachable by the user in metadata (GET /user/installations)',
      'installation_id from the callback kept only when it is one of them (it can be spoofed)',
      'iss checked when sent (github.com)',
      'Enterprise Server base URL option',
    ],
  })
}
