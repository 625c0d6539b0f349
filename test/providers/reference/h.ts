import type { ReferenceRow } from './row.js'

const READ = '(2026-12-07)'

/**
 * The presets added by engineer H for issue 14, each checked against its provider's documentation on
 * 2026-12-07. Where a URL is the connection's own (Pipedrive's api_domain, Docusign's base_uri,
 * Mailchimp's api_endpoint), the preset has no API base of its own: null here.
 */
export const rows: ReferenceRow[] = [
  {
    factory: 'githubApp',
    id: 'github_app',
    authorizationUrl: 'https://github.com/login/oauth/authorize',
    tokenUrl: 'https://github.com/login/oauth/access_token',
    userInfoUrl: 'https://api.github.com/user',
    // The grant is deleted with DELETE /applications/{client_id}/grant, not RFC 7009.
    revocationUrl: null,
    apiBaseUrl: 'https://api.github.com',
    tokenAuth: 'client_secret_post',
    pkce: true,
    scopes: [],
    sources: {
      all: `https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-user-access-token-for-a-github-app ${READ}`,
      refreshUrl: `https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/refreshing-user-access-tokens ${READ}`,
      userInfoUrl: `https://docs.github.com/en/rest/users/users#get-the-authenticated-user ${READ}`,
      revocationUrl: `https://docs.github.com/en/rest/apps/oauth-applications#delete-an-app-authorization ${READ}`,
      pkce: `https://github.blog/changelog/2025-07-14-pkce-support-for-oauth-and-github-app-authentication/ ${READ}`,
    },
  },
  {
    factory: 'linkedin',
    id: 'linkedin',
    authorizationUrl: 'https://www.linkedin.com/oauth/v2/authorization',
    tokenUrl: 'https://www.linkedin.com/oauth/v2/accessToken',
    userInfoUrl: 'https://api.linkedin.com/v2/userinfo',
    revocationUrl: null,
    apiBaseUrl: 'https://api.linkedin.com',
    tokenAuth: 'client_secret_post',
    pkce: true,
    scopes: ['openid', 'profile', 'email'],
    sources: {
      all: `https://learn.microsoft.com/en-us/linkedin/shared/authentication/authorization-code-flow ${READ}`,
      userInfoUrl: `https://learn.microsoft.com/en-us/linkedin/consumer/integrations/self-serve/sign-in-with-linkedin-v2 ${READ}`,
      scopes: `https://learn.microsoft.com/en-us/linkedin/consumer/integrations/self-serve/sign-in-with-linkedin-v2 ${READ}`,
      apiBaseUrl: `https://learn.microsoft.com/en-us/linkedin/marketing/versioning ${READ}`,
      pkce: `https://learn.microsoft.com/en-us/linkedin/shared/authentication/authorization-code-flow-native (PKCE documented for native apps only; web apps: not refused, not documented) ${READ}`,
    },
  },
  {
    factory: 'facebook',
    id: 'facebook',
    authorizationUrl: 'https://www.facebook.com/v26.0/dialog/oauth',
    tokenUrl: 'https://graph.facebook.com/v26.0/oauth/access_token',
    userInfoUrl: 'https://graph.facebook.com/v26.0/me?fields=id,name,email',
    // Permissions are withdrawn with DELETE /me/permissions, not RFC 7009.
    revocationUrl: null,
    apiBaseUrl: 'https://graph.facebook.com/v26.0',
    tokenAuth: 'client_secret_post',
    pkce: true,
    scopes: ['public_profile', 'email'],
    sources: {
      all: `https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow ${READ}`,
      apiBaseUrl: `https://developers.facebook.com/docs/graph-api/changelog/versions/ (v26.0, released 2026-07-29) ${READ}`,
      userInfoUrl: `https://developers.facebook.com/docs/graph-api/reference/user ${READ}`,
      revocationUrl: `https://developers.facebook.com/docs/facebook-login/guides/permissions/request-revoke ${READ}`,
      scopes: `https://developers.facebook.com/docs/permissions ${READ}`,
      pkce: `https://developers.facebook.com/documentation/facebook-login/guides/advanced/oidc-token ${READ}`,
    },
  },
  {
    factory: 'instagram',
    id: 'instagram',
    authorizationUrl: 'https://www.instagram.com/oauth/authorize',
    tokenUrl: 'https://api.instagram.com/oauth/access_token',
    refreshUrl: 'https://graph.instagram.com/refresh_access_token',
    userInfoUrl: 'https://graph.instagram.com/v26.0/me?fields=user_id,username,name,account_type',
    revocationUrl: null,
    apiBaseUrl: 'https://graph.instagram.com/v26.0',
    tokenAuth: 'client_secret_post',
    // Not documented either way; Instagram ignores parameters it does not know.
    pkce: true,
    scopes: ['instagram_business_basic'],
    sources: {
      all: `https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/business-login ${READ}`,
      refreshUrl: `https://developers.facebook.com/documentation/instagram-platform/reference/refresh_access_token ${READ}`,
      userInfoUrl: `https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/get-started ${READ}`,
      apiBaseUrl: `https://developers.facebook.com/docs/graph-api/changelog/versions/ (v26.0) ${READ}`,
    },
  },
  {
    factory: 'pipedrive',
    id: 'pipedrive',
    authorizationUrl: 'https://oauth.pipedrive.com/oauth/authorize',
    tokenUrl: 'https://oauth.pipedrive.com/oauth/token',
    // The user is read at the company's api_domain (/api/v1/users/me) after the exchange.
    userInfoUrl: null,
    revocationUrl: 'https://oauth.pipedrive.com/oauth/revoke',
    // Per company: the token response's api_domain.
    apiBaseUrl: null,
    tokenAuth: 'client_secret_basic',
    pkce: true,
    scopes: [],
    sources: {
      all: `https://pipedrive.readme.io/docs/marketplace-oauth-authorization ${READ}`,
      revocationUrl: `https://pipedrive.readme.io/docs/app-uninstallation ${READ}`,
      apiBaseUrl: `https://developers.pipedrive.com/changelog/post/new-parameter-in-oauth-oauthtoken-responses ${READ}`,
      scopes: `https://pipedrive.readme.io/docs/marketplace-scopes-and-permissions-explanations ${READ}`,
    },
  },
  {
    factory: 'docusign',
    id: 'docusign',
    authorizationUrl: 'https://account.docusign.com/oauth/auth',
    tokenUrl: 'https://account.docusign.com/oauth/token',
    userInfoUrl: 'https://account.docusign.com/oauth/userinfo',
    revocationUrl: null,
    // Per account: the default account's base_uri + /restapi, from the user info.
    apiBaseUrl: null,
    tokenAuth: 'client_secret_basic',
    pkce: true,
    scopes: ['signature', 'extended'],
    sources: {
      all: `https://developers.docusign.com/platform/auth/confidential-authcode-get-token/ ${READ}`,
      userInfoUrl: `https://developers.docusign.com/platform/auth/reference/user-info ${READ}`,
      apiBaseUrl: `https://developers.docusign.com/platform/auth/reference/user-info ${READ}`,
      pkce: `https://developers.docusign.com/platform/auth/authcode ${READ}`,
      scopes: `https://developers.docusign.com/platform/auth/reference/scopes ${READ}`,
    },
  },
  {
    factory: 'mailchimp',
    id: 'mailchimp',
    authorizationUrl: 'https://login.mailchimp.com/oauth2/authorize',
    tokenUrl: 'https://login.mailchimp.com/oauth2/token',
    userInfoUrl: 'https://login.mailchimp.com/oauth2/metadata',
    revocationUrl: null,
    // Per account: the metadata's api_endpoint + /3.0.
    apiBaseUrl: null,
    tokenAuth: 'client_secret_post',
    pkce: true,
    scopes: [],
    sources: { all: `https://mailchimp.com/developer/marketing/guides/access-user-data-oauth-2/ ${READ}` },
  },
]
