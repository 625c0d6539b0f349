import {
  type OAuthClientConfig,
  type OAuthServer,
  type OAuthServerOptions,
  startOAuthServer as startDevServer,
} from '../../src/dev-server/oauth-server.js'

export * from '../../src/dev-server/oauth-server.js'

/** The tests' client: its secret carries the canary marker (test/support/canary.ts). */
export const DEFAULT_CLIENT: Readonly<OAuthClientConfig> = {
  clientId: 'test-client',
  clientSecret: 'test-client-secret-CANARY',
  redirectUris: [],
}

/** The shipped dev server, with the tests' client unless a test names its own. */
export function startOAuthServer(options: OAuthServerOptions = {}): Promise<OAuthServer> {
  return startDevServer({ clients: [DEFAULT_CLIENT], ...options })
}
