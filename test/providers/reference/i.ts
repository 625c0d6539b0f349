import type { ReferenceRow } from './row.js'

const READ = '(2026-12-07)'
const GOOGLE = {
  authorizationUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
  tokenUrl: 'https://oauth2.googleapis.com/token',
  userInfoUrl: 'https://openidconnect.googleapis.com/v1/userinfo',
  revocationUrl: 'https://oauth2.googleapis.com/revoke',
  tokenAuth: 'client_secret_post',
  pkce: true,
} as const
const GOOGLE_OAUTH = `https://developers.google.com/identity/protocols/oauth2/web-server ${READ}`
const MICROSOFT_OAUTH = `https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow ${READ}`

/** Engineer i's presets (issue 14): Google Docs, YouTube, SharePoint, Gong, Attio, Okta, ServiceNow, NetSuite, Zoho. */
export const rows: ReferenceRow[] = [
  {
    factory: 'googleDocs',
    id: 'google_docs',
    ...GOOGLE,
    apiBaseUrl: 'https://docs.googleapis.com/v1',
    scopes: ['openid', 'email', 'profile', 'https://www.googleapis.com/auth/documents.readonly'],
    sources: {
      all: GOOGLE_OAUTH,
      scopes: `https://developers.google.com/workspace/docs/api/auth ${READ}`,
      apiBaseUrl: `https://developers.google.com/workspace/docs/api/reference/rest ${READ}`,
    },
  },
  {
    factory: 'youtube',
    id: 'youtube',
    ...GOOGLE,
    apiBaseUrl: 'https://www.googleapis.com/youtube/v3',
    scopes: ['openid', 'email', 'profile', 'https://www.googleapis.com/auth/youtube.readonly'],
    sources: {
      all: GOOGLE_OAUTH,
      scopes: `https://developers.google.com/youtube/v3/guides/auth/server-side-web-apps ${READ}`,
      apiBaseUrl: `https://developers.google.com/youtube/v3/docs ${READ}`,
    },
  },
  {
    factory: 'sharepoint',
    id: 'sharepoint',
    authorizationUrl: 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize',
    tokenUrl: 'https://login.microsoftonline.com/common/oauth2/v2.0/token',
    userInfoUrl: 'https://graph.microsoft.com/v1.0/me',
    revocationUrl: null,
    apiBaseUrl: 'https://graph.microsoft.com/v1.0',
    tokenAuth: 'client_secret_post',
    pkce: true,
    scopes: ['openid', 'profile', 'email', 'offline_access', 'User.Read', 'Sites.Read.All'],
    sources: {
      all: MICROSOFT_OAUTH,
      scopes: `https://learn.microsoft.com/en-us/graph/permissions-reference#sitesreadall ${READ}`,
      userInfoUrl: `https://learn.microsoft.com/en-us/graph/api/user-get?view=graph-rest-1.0 ${READ}`,
    },
  },
  {
    factory: 'gong',
    id: 'gong',
    authorizationUrl: 'https://app.gong.io/oauth2/authorize',
    tokenUrl: 'https://app.gong.io/oauth2/generate-customer-token',
    userInfoUrl: null,
    revocationUrl: null,
    // Per connection: the token response's api_base_url_for_customer.
    apiBaseUrl: null,
    tokenAuth: 'client_secret_basic',
    pkce: true,
    scopes: ['api:users:read', 'api:calls:read:basic'],
    sources: {
      all: `https://help.gong.io/docs/create-an-app-for-gong ${READ}`,
      scopes: `https://gong.app.gong.io/settings/api/documentation#overview ${READ}`,
    },
  },
  {
    factory: 'attio',
    id: 'attio',
    authorizationUrl: 'https://app.attio.com/authorize',
    tokenUrl: 'https://app.attio.com/oauth/token',
    userInfoUrl: 'https://api.attio.com/v2/self',
    revocationUrl: null,
    apiBaseUrl: 'https://api.attio.com/v2',
    tokenAuth: 'client_secret_post',
    pkce: true,
    scopes: [],
    sources: {
      authorizationUrl: `https://docs.attio.com/docs/oauth/authorize ${READ}`,
      tokenUrl: `https://docs.attio.com/docs/oauth/token ${READ}`,
      userInfoUrl: `https://docs.attio.com/rest-api/endpoint-reference/meta/identify ${READ}`,
      apiBaseUrl: `https://docs.attio.com/rest-api/guides/authentication ${READ}`,
      scopes: `https://docs.attio.com/rest-api/guides/authentication ${READ}`,
    },
  },
  {
    factory: 'zoho',
    id: 'zoho',
    authorizationUrl: 'https://accounts.zoho.com/oauth/v2/auth',
    tokenUrl: 'https://accounts.zoho.com/oauth/v2/token',
    userInfoUrl: 'https://accounts.zoho.com/oauth/user/info',
    revocationUrl: 'https://accounts.zoho.com/oauth/v2/token/revoke',
    // The default; each connection's comes from the token response's api_domain.
    apiBaseUrl: 'https://www.zohoapis.com',
    tokenAuth: 'client_secret_post',
    pkce: true,
    scopes: ['AaaServer.profile.READ'],
    sources: {
      authorizationUrl: `https://www.zoho.com/accounts/protocol/oauth/web-apps/authorization.html ${READ}`,
      tokenUrl: `https://www.zoho.com/accounts/protocol/oauth/multi-dc/client-authorization.html ${READ}`,
      userInfoUrl: `https://www.zoho.com/accounts/protocol/oauth/use-access-token.html ${READ}`,
      revocationUrl: `https://www.zoho.com/accounts/protocol/oauth/web-apps/revoke-refresh-token.html ${READ}`,
      apiBaseUrl: `https://www.bigin.com/developer/docs/apis/multi-dc.html ${READ}`,
      scopes: `https://www.zoho.com/accounts/protocol/oauth/use-access-token.html ${READ}`,
    },
  },
]
