export {
  clientSettings,
  DEFAULT_CLIENT,
  type IssuedTokens,
  MISSING_OIDC_PROVIDER,
  type OAuthClientConfig,
  type OAuthServer,
  type OAuthServerOptions,
  startOAuthServer,
} from './oauth-server.js'
export { DEV_CLIENT, providerSnippet } from './snippet.js'
