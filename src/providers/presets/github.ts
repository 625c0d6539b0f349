import { type PresetOptions, preset, record, text } from '../preset.js'
import { GITHUB_TOOLS } from '../tools/github.js'
import type { DetailsContext, OAuth2Provider } from '../types.js'

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
    ...githubDefinition(options, web, api),
    id: 'github',
    name: 'GitHub',
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

/**
 * GitHub Enterprise Cloud with data residency, per enterprise: each connection names its GHE.com
 * subdomain (`/connect/github_enterprise_cloud?enterprise=acme` for `acme.ghe.com`, API at
 * `api.acme.ghe.com`). Only `*.ghe.com`: Enterprise Server, on a host the customer runs, is the
 * `github` preset's app-level `enterpriseUrl`, never a host a connection picks.
 *
 * @example providers.githubEnterpriseCloud({ clientId, clientSecret })
 */
export function githubEnterpriseCloud(options: PresetOptions): OAuth2Provider {
  // https://docs.github.com/en/enterprise-cloud@latest/admin/data-residency/network-details-for-ghecom
  // (read 2026-12-07): the enterprise at SUBDOMAIN.ghe.com, its REST API at api.SUBDOMAIN.ghe.com.
  return preset(options, {
    ...githubDefinition(options, 'https://{enterprise}.ghe.com', 'https://api.{enterprise}.ghe.com'),
    id: 'github_enterprise_cloud',
    name: 'GitHub Enterprise Cloud',
    connectionParams: {
      enterprise: {
        pattern: /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i,
        description: "the enterprise's GHE.com subdomain (acme for acme.ghe.com)",
        example: 'acme',
      },
    },
    docsUrl:
      'https://docs.github.com/en/enterprise-cloud@latest/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps',
    quirks: [
      'per-connection enterprise (?enterprise=acme for acme.ghe.com, API at api.acme.ghe.com)',
      'tokens do not expire and have no refresh token',
      'email from /user/emails (primary, verified) when not public',
    ],
  })
}

/** What github.com, Enterprise Server and GHE.com share: the paths, scopes, headers and profile. */
function githubDefinition(options: PresetOptions, web: string, api: string) {
  return {
    // https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps (read 2026-12-07)
    authorizationUrl: `${web}/login/oauth/authorize`,
    tokenUrl: `${web}/login/oauth/access_token`,
    userInfoUrl: `${api}/user`,
    apiBaseUrl: api,
    scopes: ['read:user', 'user:email'],
    // https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/scopes-for-oauth-apps (read 2026-12-07)
    readOnlyScopes: [
      'read:audit_log',
      'read:discussion',
      'read:enterprise',
      'read:gpg_key',
      'read:org',
      'read:packages',
      'read:project',
      'read:public_key',
      'read:repo_hook',
      'read:ssh_signing_key',
      'read:user',
      'user:email',
    ],
    userInfoHeaders: { accept: 'application/vnd.github+json' },
    apiHeaders: { accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' },
    tools: GITHUB_TOOLS,
    profile: (user: Record<string, unknown>) => ({
      accountId: text(user.id),
      accountEmail: text(user.email),
      displayName: text(user.login),
    }),
    // /user shows the email only when it is public; user:email lets /user/emails name the primary one.
    details: async ({ userInfo, fetchJson, apiBaseUrl }: DetailsContext) => {
      if (text(userInfo.email)) return {}
      const base = apiBaseUrl ?? options.endpoints?.apiBaseUrl ?? api
      const emails = await fetchJson(`${base}/user/emails`).catch(() => [])
      const primary = (Array.isArray(emails) ? emails : [])
        .map(record)
        .find((entry) => entry.primary === true && entry.verified === true)
      const email = text(primary?.email)
      return email ? { account: { accountEmail: email } } : {}
    },
  }
}
