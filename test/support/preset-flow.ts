import { expect } from 'vitest'
import type { Connection } from '../../src/index.js'
import type { OAuth2Provider } from '../../src/providers/types.js'
import { startTestApp, type TestApp } from './app.js'
import { BrowserClient } from './browser-client.js'
import { registerSecret } from './canary.js'
import type { FakeProvider } from './fake-provider.js'

export interface PresetRun {
  app: TestApp
  connection: Connection
  /** The parameters the router sent to the provider's authorization endpoint. */
  authorization: URLSearchParams
  close(): Promise<void>
}

/**
 * Connects `provider` (pointed at `fake`) through the real flow: the browser opens /connect, the
 * fake approves, the callback exchanges the code and reads the profile. Checks what every OAuth
 * provider gets (client_id, redirect_uri, state, PKCE S256) and returns the rest for the test.
 */
const runs = new Set<PresetRun>()

/** Closes the apps of every run a test made (run after each test by the vitest setup). */
export async function closeOpenRuns(): Promise<void> {
  await Promise.all([...runs].map((run) => run.close()))
  runs.clear()
}

export interface ConnectOptions {
  /** Extra query parameters of /connect: the provider's connection params (`{ shop: 'acme' }`). */
  query?: Record<string, string>
  /** Whether the flow is expected to use PKCE (default: the provider's choice). */
  pkce?: boolean
  /** An app already running (a second connection through the same router). */
  app?: TestApp
}

export async function connectThroughFake(
  provider: OAuth2Provider,
  fake: FakeProvider,
  options: ConnectOptions = {},
): Promise<PresetRun> {
  // The secret canary looks for the app's client secret by value too (the tests' literals also carry
  // the marker; this covers one that does not).
  registerSecret(provider.clientSecret, `${provider.id} client secret`)
  const app = options.app ?? (await startTestApp(null, { providers: [provider], authorize: () => true }))
  const run: PresetRun = {
    app,
    connection: undefined as unknown as Connection,
    authorization: new URLSearchParams(),
    close: async () => {
      runs.delete(run)
      // An app given by the caller is the caller's to close.
      if (!options.app) await app.close()
    },
  }
  runs.add(run)
  const browser = new BrowserClient({ headers: { [app.url]: { 'x-user': 'ana' } } })
  const query = new URLSearchParams(options.query ?? {}).toString()
  const { response } = await browser.follow(`${app.mount}/connect/${provider.id}${query ? `?${query}` : ''}`)
  const body = (await response.json()) as { data?: Connection; error?: unknown }
  expect(body.error, JSON.stringify(body.error)).toBeUndefined()
  const authorization = fake.authorizations.at(-1) ?? new URLSearchParams()
  expect(authorization.get('client_id')).toBe(provider.clientId)
  expect(authorization.get('response_type')).toBe('code')
  expect(authorization.get('redirect_uri')).toBe(`${app.mount}/callback/${provider.id}`)
  const pkce = options.pkce ?? provider.pkce
  expect(authorization.get('code_challenge_method')).toBe(pkce ? 'S256' : null)
  expect(authorization.get('state')?.length).toBeGreaterThanOrEqual(43)
  const exchange = fake.tokenRequests.at(-1)
  expect(exchange?.form.grant_type).toBe('authorization_code')
  if (pkce) expect(exchange?.form.code_verifier?.length).toBeGreaterThanOrEqual(43)
  else expect(exchange?.form).not.toHaveProperty('code_verifier')
  expect(exchange?.form.redirect_uri).toBe(`${app.mount}/callback/${provider.id}`)
  run.connection = body.data as Connection
  run.authorization = authorization
  return run
}

/** The client credentials of a token request, wherever the provider wants them. */
export function clientCredentials(request: FakeProvider['tokenRequests'][number] | undefined) {
  if (request?.basic) return { method: 'basic', ...request.basic }
  return { method: 'post', clientId: request?.form.client_id, clientSecret: request?.form.client_secret }
}
