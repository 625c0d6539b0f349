import { type PresetOptions, preset, text } from '../preset.js'
import type { OAuth2Provider } from '../types.js'

export interface LinkedInOptions extends PresetOptions {
  /**
   * The `LinkedIn-Version` (`YYYYMM`) sent on every API call: the versioned `/rest` APIs refuse calls
   * without one, and each version is retired after about a year, so it is yours to pick and move.
   */
  apiVersion?: string
}

/**
 * LinkedIn, through "Sign In with LinkedIn using OpenID Connect" (scopes `openid profile email`), plus
 * any product scopes the app is approved for. Access tokens last 60 days; refresh tokens come only to
 * apps LinkedIn approved for programmatic refresh (Marketing partners), and are used when they do.
 *
 * @example providers.linkedin({ clientId, clientSecret, apiVersion: '202611' })
 */
export function linkedin(options: LinkedInOptions): OAuth2Provider {
  const version = options.apiVersion
  if (version !== undefined && !/^\d{6}(\.\d{2})?$/.test(version)) {
    throw new TypeError(
      `providers.linkedin: apiVersion must look like 202611, got ${JSON.stringify(version)}`,
    )
  }
  return preset(options, {
    id: 'linkedin',
    name: 'LinkedIn',
    // https://learn.microsoft.com/en-us/linkedin/shared/authentication/authorization-code-flow (read 2026-12-07)
    authorizationUrl: 'https://www.linkedin.com/oauth/v2/authorization',
    // https://learn.microsoft.com/en-us/linkedin/shared/authentication/authorization-code-flow (read 2026-12-07)
    tokenUrl: 'https://www.linkedin.com/oauth/v2/accessToken',
    // https://learn.microsoft.com/en-us/linkedin/consumer/integrations/self-serve/sign-in-with-linkedin-v2 (read 2026-12-07)
    userInfoUrl: 'https://api.linkedin.com/v2/userinfo',
    // https://learn.microsoft.com/en-us/linkedin/marketing/versioning (read 2026-12-07)
    apiBaseUrl: 'https://api.linkedin.com',
    // https://learn.microsoft.com/en-us/linkedin/consumer/integrations/self-serve/sign-in-with-linkedin-v2 (read 2026-12-07)
    scopes: ['openid', 'profile', 'email'],
    // Rest.li 2.0 is what the /rest APIs speak; the version header is the app's choice.
    apiHeaders: {
      'x-restli-protocol-version': '2.0.0',
      ...(version ? { 'linkedin-version': version } : {}),
    },
    profile: (info) => ({
      accountId: text(info.sub),
      accountEmail: info.email_verified === false ? null : text(info.email),
      displayName: text(info.name),
    }),
    docsUrl:
      'https://learn.microsoft.com/en-us/linkedin/consumer/integrations/self-serve/sign-in-with-linkedin-v2',
    quirks: [
      'OpenID Connect userinfo for the profile (sub, name, email)',
      'access tokens last 60 days; refresh tokens only for apps LinkedIn approved for them',
      'granted scopes answered comma-separated',
      'apiVersion option for the LinkedIn-Version header of the /rest APIs',
      'no RFC 7009 revocation endpoint documented',
    ],
  })
}
