import { afterAll, afterEach, beforeAll } from 'vitest'
import { startTestApp, type TestApp, type TestAppOptions } from './app.js'
import { type OAuthServer, type OAuthServerOptions, startOAuthServer } from './oauth-server.js'

export interface OAuthSuite {
  /** The suite's authorization server (started before the first test). */
  readonly oauth: OAuthServer
  /** A fresh host app on that server, closed after the test that made it. */
  appWith(options?: TestAppOptions): Promise<TestApp>
}

/** One oidc-provider for the file and a fresh app per test: the set-up every HTTP suite shares. */
export function useOAuthSuite(serverOptions: OAuthServerOptions = {}): OAuthSuite {
  let server: OAuthServer | undefined
  const apps: TestApp[] = []
  beforeAll(async () => {
    server = await startOAuthServer(serverOptions)
  })
  afterAll(async () => {
    await server?.close()
  })
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()))
  })
  const suite: OAuthSuite = {
    get oauth() {
      if (!server) throw new Error('The OAuth server starts in beforeAll: use it inside a test.')
      return server
    },
    async appWith(options = {}) {
      const app = await startTestApp(suite.oauth, options)
      apps.push(app)
      return app
    },
  }
  return suite
}
