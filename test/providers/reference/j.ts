import type { ReferenceRow } from './row.js'

const READ = '(2026-12-07)'
const GITHUB_OAUTH = `https://docs.github.com/en/enterprise-cloud@latest/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps ${READ}`

/** Engineer j's presets (issue 14): Auth0 tenants, GitHub Enterprise Cloud with data residency. */
export const rows: ReferenceRow[] = [
  {
    factory: 'auth0',
    id: 'auth0',
    authorizationUrl: 'https://{tenant}.{region}.auth0.com/authorize',
    tokenUrl: 'https://{tenant}.{region}.auth0.com/oauth/token',
    userInfoUrl: 'https://{tenant}.{region}.auth0.com/userinfo',
    revocationUrl: 'https://{tenant}.{region}.auth0.com/oauth/revoke',
    apiBaseUrl: 'https://{tenant}.{region}.auth0.com/api/v2',
    tokenAuth: 'client_secret_post',
    pkce: true,
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    sources: {
      all: `https://auth0.com/docs/api/authentication ${READ}`,
      authorizationUrl: `https://auth0.com/docs/troubleshoot/customer-support/operational-policies/public-cloud-service-endpoints ${READ}`,
      apiBaseUrl: `https://auth0.com/docs/api/management/v2 ${READ}`,
      tokenAuth: `https://auth0.com/docs/get-started/applications/confidential-and-public-applications ${READ}`,
      scopes: `https://auth0.com/docs/secure/tokens/refresh-tokens/get-refresh-tokens ${READ}`,
    },
  },
  {
    factory: 'githubEnterpriseCloud',
    id: 'github_enterprise_cloud',
    authorizationUrl: 'https://{enterprise}.ghe.com/login/oauth/authorize',
    tokenUrl: 'https://{enterprise}.ghe.com/login/oauth/access_token',
    userInfoUrl: 'https://api.{enterprise}.ghe.com/user',
    revocationUrl: null,
    apiBaseUrl: 'https://api.{enterprise}.ghe.com',
    tokenAuth: 'client_secret_post',
    pkce: true,
    scopes: ['read:user', 'user:email'],
    sources: {
      all: GITHUB_OAUTH,
      userInfoUrl: `https://docs.github.com/en/enterprise-cloud@latest/admin/data-residency/network-details-for-ghecom ${READ}`,
      apiBaseUrl: `https://docs.github.com/en/enterprise-cloud@latest/admin/data-residency/network-details-for-ghecom ${READ}`,
    },
  },
]
