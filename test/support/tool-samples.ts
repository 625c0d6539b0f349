import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SecretBox } from '../../src/core/sealed.js'
import { Keyring } from '../../src/crypto/keyring.js'
import { providers } from '../../src/index.js'
import { InProcessLock } from '../../src/locks/lock.js'
import type { JsonValue, ToolDefinition } from '../../src/providers/tool-definition.js'
import type { Provider } from '../../src/providers/types.js'
import { Repository } from '../../src/storage/repository.js'
import { SafeStore } from '../../src/storage/safe-store.js'
import type { ToolSample } from '../providers/tools/sample.js'
import { TEST_KEY, type TestApp } from './app.js'
import { registerSecret } from './canary.js'
import { fixtureTools } from './tool-fixture.js'

/** A request as the sample API saw it. */
export interface SeenRequest {
  method: string
  /** The path as sent (still percent-encoded), without the query. */
  path: string
  query: Record<string, string | string[]>
  body: string
  contentType: string | null
  authorization: string | null
}

export interface SampleApi {
  url: string
  seen: SeenRequest[]
  /** What the next requests get (a sample's response). */
  answer(response: ToolSample['response']): void
  close(): Promise<void>
}

/**
 * A provider's API on 127.0.0.1 for tool samples: it records every request exactly as it arrived and
 * answers each with the response it was given last (the sample's, in the provider's real shape).
 */
export async function startSampleApi(): Promise<SampleApi> {
  const seen: SeenRequest[] = []
  let next: ToolSample['response'] = { body: null }
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const url = new URL(req.url ?? '/', 'http://sample')
    const query: Record<string, string | string[]> = {}
    for (const [name, value] of url.searchParams) {
      const before = query[name]
      query[name] = before === undefined ? value : [...(Array.isArray(before) ? before : [before]), value]
    }
    seen.push({
      method: req.method ?? 'GET',
      path: (req.url ?? '/').split('?')[0] ?? '/',
      query,
      body: Buffer.concat(chunks).toString('utf8'),
      contentType: req.headers['content-type'] ?? null,
      authorization: req.headers.authorization ?? null,
    })
    res.writeHead(next.status ?? 200, { 'content-type': 'application/json' }).end(JSON.stringify(next.body))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    answer: (response) => {
      next = response
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/**
 * A connection of `provider` for `owner`, written to the app's store as a completed flow would (its
 * token sealed with the test key): presets whose sign-in reads provider-specific profiles can have
 * their tools run without faking each profile.
 */
export async function seedConnection(
  app: TestApp,
  owner: string,
  provider: string,
  accessToken: string,
  params?: Record<string, string>,
) {
  registerSecret(accessToken, `${provider} seeded access token`)
  const repository = new Repository(new SafeStore(app.store, 5000), new InProcessLock())
  const box = new SecretBox(new Keyring([TEST_KEY]))
  const at = new Date().toISOString()
  const record = box.withSecrets(
    {
      version: 1,
      id: randomUUID(),
      owner,
      provider,
      label: provider,
      status: 'active',
      statusReason: null,
      accountId: 'account-1',
      accountEmail: null,
      grantedScopes: [],
      metadata: {},
      expiresAt: null,
      connectedAt: at,
      lastRefreshedAt: null,
      lastUsedAt: null,
      createdAt: at,
      updatedAt: at,
      ...(params && Object.keys(params).length > 0 ? { params } : {}),
    },
    { accessToken, refreshToken: null, tokenType: 'Bearer', idToken: null },
  )
  await repository.upsertConnection(
    owner,
    () => false,
    () => record,
  )
  return record.id
}

/** The request a sample says the provider must receive, as the sample API would record it. */
export function expectedRequest(sample: ToolSample, prefix = '') {
  const { method, path, query = {}, json, form } = sample.request
  return {
    method,
    path: `${prefix}${path}`,
    query,
    ...(json !== undefined ? { json } : {}),
    ...(form !== undefined ? { form } : {}),
  }
}

/** A recorded request in the sample's terms: its JSON or form body parsed. */
export function receivedRequest(seen: SeenRequest) {
  const { method, path, query, body, contentType } = seen
  const type = contentType ?? ''
  // A form with no fields is still a form (Slack's methods take one); an empty JSON body is no body.
  const parsed: { json?: JsonValue; form?: Record<string, string> } = type.includes('x-www-form-urlencoded')
    ? { form: Object.fromEntries(new URLSearchParams(body)) }
    : body === ''
      ? {}
      : { json: JSON.parse(body) as JsonValue }
  return { method, path, query, ...parsed }
}

/** A provider that has tools, and how to build it against a local API (the preset's own option). */
export interface ToolProvider {
  id: string
  tools: readonly ToolDefinition[]
  /** Built to call `apiUrl`; `prefix` is what the provider puts before every path (Telegram's bot base). */
  against(apiUrl: string): { provider: Provider; prefix: (token: string) => string }
}

const placeholder = { clientId: 'tools-client', clientSecret: 'tools-secret-CANARY', subdomain: 'acme' }
type Factory = (options: typeof placeholder & { endpoints?: { apiBaseUrl: string } }) => Provider

/** Every preset of `providers` (and Telegram) that has tools, plus the engine's fixture. */
export function providersWithTools(): ToolProvider[] {
  const {
    oauth2: _o,
    discover: _d,
    fromPassport: _f,
    credentials: _c,
    apiKey: _a,
    telegram,
    twilio: _t,
    mcp: _m,
    ...presets
  } = providers
  const table: ToolProvider[] = Object.values(presets).map((factory) => {
    const make = factory as unknown as Factory
    const built = make(placeholder)
    return {
      id: built.id,
      tools: built.tools,
      against: (apiUrl) => ({
        provider: make({ ...placeholder, endpoints: { apiBaseUrl: apiUrl } }),
        prefix: () => '',
      }),
    }
  })
  table.push({
    id: 'telegram',
    tools: telegram().tools,
    against: (apiUrl) => ({ provider: telegram({ baseUrl: apiUrl }), prefix: (token) => `/bot${token}` }),
  })
  // The engine's own fixture: the table runs even before any preset has tools.
  table.push({
    id: 'tracker',
    tools: fixtureTools,
    against: (apiUrl) => ({
      provider: providers.oauth2({
        id: 'tracker',
        name: 'Tracker',
        authorizationUrl: `${apiUrl}/authorize`,
        tokenUrl: `${apiUrl}/token`,
        apiBaseUrl: apiUrl,
        clientId: placeholder.clientId,
        clientSecret: placeholder.clientSecret,
        tools: fixtureTools,
      }),
      prefix: () => '',
    }),
  })
  // One factory may back several exports (github, githubEnterpriseCloud): one row per id.
  const byId = new Map(table.filter((p) => p.tools.length > 0).map((p) => [p.id, p]))
  return [...byId.values()]
}
