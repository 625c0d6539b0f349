export {
  clientSettings,
  DEV_CLIENT,
  type IssuedTokens,
  MISSING_OIDC_PROVIDER,
  type OAuthClientConfig,
  type OAuthServer,
  type OAuthServerOptions,
  startOAuthServer,
} from './oauth-server.js'
export { providerSnippet } from './snippet.js'
