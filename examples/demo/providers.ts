import { type OAuth2Provider, type PresetOptions, providers, type ToolDefinition } from 'express-connections'
import type { OAuthServer } from 'express-connections/dev-server'

export const LOCAL_PROVIDER_ID = 'local'

/** The bundled OAuth server, as any OAuth 2.0 provider is registered. */
export function localProvider(oauth: OAuthServer): OAuth2Provider {
  return providers.oauth2({
    id: LOCAL_PROVIDER_ID,
    name: 'Local OAuth',
    authorizationUrl: oauth.authorizationUrl,
    tokenUrl: oauth.tokenUrl,
    userInfoUrl: oauth.userInfoUrl,
    revocationUrl: oauth.revocationUrl,
    issuer: oauth.issuer,
    clientId: oauth.clientId,
    clientSecret: oauth.clientSecret,
    // Its userinfo endpoint is `${issuer}/me`, so the proxy path `/me` reads the profile.
    apiBaseUrl: oauth.issuer,
    scopes: ['openid', 'email', 'profile', 'offline_access'],
    // oidc-provider issues a refresh token (offline_access) only on a consent screen.
    authorizationParams: { prompt: 'consent' },
    tools: [readProfile],
  })
}

/** A tool on the bundled provider, so the settings page has one to show, toggle and pin. */
const readProfile: ToolDefinition = {
  slug: 'read_profile',
  displayName: 'Read my profile',
  description: "Reads the connected account's profile (its id and email) from the provider.",
  inputSchema: { type: 'object', properties: {}, additionalProperties: false },
  request: { method: 'GET', path: '/me' },
  responseSchema: {
    type: 'object',
    properties: { sub: { type: 'string' }, email: { type: 'string' } },
    required: ['sub'],
  },
  responseFieldMap: { accountId: 'sub', email: 'email' },
  annotations: { readOnly: true, idempotent: true },
  docsUrl: 'https://openid.net/specs/openid-connect-core-1_0.html#UserInfo',
}

interface RealProvider {
  /** The environment variables are `${env}_CLIENT_ID` and `${env}_CLIENT_SECRET`. */
  env: string
  name: string
  create: (options: PresetOptions) => OAuth2Provider
}

/** Presets shown when their app's credentials are in the environment (see README.md). */
export const REAL_PROVIDERS: readonly RealProvider[] = [
  { env: 'GOOGLE', name: 'Google', create: providers.google },
  { env: 'GITHUB', name: 'GitHub', create: providers.github },
  { env: 'GITLAB', name: 'GitLab', create: providers.gitlab },
  { env: 'SLACK', name: 'Slack', create: providers.slack },
  { env: 'MICROSOFT', name: 'Microsoft', create: providers.microsoft },
  { env: 'NOTION', name: 'Notion', create: providers.notion },
  { env: 'LINEAR', name: 'Linear', create: providers.linear },
  { env: 'DISCORD', name: 'Discord', create: providers.discord },
  { env: 'DROPBOX', name: 'Dropbox', create: providers.dropbox },
  { env: 'SPOTIFY', name: 'Spotify', create: providers.spotify },
]

const isConfigured = (env: NodeJS.ProcessEnv, prefix: string): boolean =>
  Boolean(env[`${prefix}_CLIENT_ID`] && env[`${prefix}_CLIENT_SECRET`])

export function realProviders(env: NodeJS.ProcessEnv): OAuth2Provider[] {
  return REAL_PROVIDERS.filter((p) => isConfigured(env, p.env)).map(({ env: prefix, create }) =>
    create({
      clientId: env[`${prefix}_CLIENT_ID`] ?? '',
      clientSecret: env[`${prefix}_CLIENT_SECRET`] ?? '',
    }),
  )
}

export function unconfiguredProviders(env: NodeJS.ProcessEnv): Array<{ name: string; env: string }> {
  return REAL_PROVIDERS.filter((p) => !isConfigured(env, p.env)).map(({ name, env: prefix }) => ({
    name,
    env: prefix,
  }))
}
