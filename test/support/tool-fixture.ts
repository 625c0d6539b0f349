import { providers } from '../../src/index.js'
import type { ToolDefinition } from '../../src/providers/tool-definition.js'
import type { OAuth2Provider } from '../../src/providers/types.js'
import type { ToolSamples } from '../providers/tools/sample.js'
import { startTestApp, type TestApp, type TestAppOptions } from './app.js'
import { type FakeProvider, type FakeRequest, startFakeProvider } from './fake-provider.js'
import { connectThroughFake } from './preset-flow.js'

/** A small task tracker's tools: one read, one write, one destructive; its API is the fake below. */
export const fixtureTools: ToolDefinition[] = [
  {
    slug: 'list_items',
    displayName: 'List items',
    description: 'List the items of a project.',
    inputSchema: {
      type: 'object',
      properties: {
        project: { type: 'string', pattern: '^[a-z0-9-]{1,40}$' },
        state: { type: 'string', enum: ['open', 'closed'] },
        limit: { type: 'integer', minimum: 1, maximum: 100 },
      },
      required: ['project'],
      additionalProperties: false,
    },
    request: { method: 'GET', path: '/projects/{project}/items', query: { state: 'state', limit: 'limit' } },
    responseSchema: {
      type: 'object',
      properties: { total: { type: 'integer' }, items: { type: 'array' } },
    },
    responseFieldMap: { total: 'total', items: 'items' },
    annotations: { readOnly: true },
    docsUrl: 'https://example.com/docs/items#list',
  },
  {
    slug: 'create_item',
    displayName: 'Create item',
    description: 'Create an item in a project.',
    inputSchema: {
      type: 'object',
      properties: {
        project: { type: 'string', pattern: '^[a-z0-9-]{1,40}$' },
        title: { type: 'string', minLength: 1, maxLength: 100 },
        body: { type: 'string', maxLength: 2000 },
        labels: { type: 'array', items: { type: 'string', maxLength: 30 }, maxItems: 5 },
      },
      required: ['project', 'title'],
      additionalProperties: false,
    },
    request: {
      method: 'POST',
      path: '/projects/{project}/items',
      body: { fields: { title: 'title', body: 'body', labels: 'labels' } },
    },
    responseSchema: {
      type: 'object',
      properties: { id: { type: 'integer' }, html_url: { type: 'string' } },
    },
    responseFieldMap: { id: 'id', url: 'html_url' },
    annotations: { readOnly: false },
    docsUrl: 'https://example.com/docs/items#create',
  },
  {
    slug: 'delete_item',
    displayName: 'Delete item',
    description: 'Delete an item.',
    inputSchema: {
      type: 'object',
      properties: {
        // No pattern here: the request builder is what refuses a path segment like `..`.
        project: { type: 'string', minLength: 1, maxLength: 40 },
        id: { type: 'integer', minimum: 1 },
      },
      required: ['project', 'id'],
      additionalProperties: false,
    },
    request: { method: 'DELETE', path: '/projects/{project}/items/{id}' },
    responseSchema: { type: 'object', properties: { deleted: { type: 'boolean' } } },
    responseFieldMap: { deleted: 'deleted' },
    annotations: { readOnly: false, destructive: true },
    docsUrl: 'https://example.com/docs/items#delete',
  },
]

/** The API calls the fake saw (everything but the OAuth endpoints). */
export function apiCalls(fake: FakeProvider): FakeRequest[] {
  return fake.requests.filter((r) => r.path.startsWith('/projects/'))
}

/**
 * The tracker's API on 127.0.0.1: its token endpoint (access tokens `tk-1`, `tk-2`, … with a refresh
 * token), a profile, and the item endpoints of project `acme`. `reject` lists access tokens the API
 * answers 401 to (one revoked early).
 */
export async function startTrackerFake(
  reject: Set<string> = new Set(),
  { keepOpen = false }: { keepOpen?: boolean } = {},
): Promise<FakeProvider> {
  let issued = 0
  const authorized = (r: FakeRequest) => !reject.has((r.headers.authorization ?? '').replace(/^Bearer /, ''))
  const unauthorized = { status: 401, body: { message: 'Bad credentials' } }
  return startFakeProvider({
    keepOpen,
    token: () => ({
      access_token: `tk-${++issued}`,
      refresh_token: 'rt-CANARY-tracker',
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'items',
    }),
    userInfo: () => ({ sub: 'u-1', email: 'ana@example.com' }),
    routes: {
      '/projects/acme/items': (r) => {
        if (!authorized(r)) return unauthorized
        if (r.method === 'GET') {
          return { total: 1, items: [{ id: 7, title: 'First', state: r.query.get('state') ?? 'open' }] }
        }
        return {
          status: 201,
          body: { id: 8, html_url: 'https://tracker.example/acme/8', title: r.form.title },
        }
      },
      '/projects/acme/items/8': (r) => (authorized(r) ? { deleted: true } : unauthorized),
      '/projects/broken/items': () => ({ status: 500, body: { message: 'Database on fire' } }),
      // The API changed under the tool: total is now a string, items an object.
      '/projects/changed/items': () => ({ total: '2', items: { first: 'SECRET-ITEM-CANARY' } }),
    },
  })
}

/** The tracker as a provider pointed at `fake`, with `tools` (the fixture's by default). */
export function trackerProvider(
  fake: FakeProvider,
  tools: ToolDefinition[] = fixtureTools,
  family: 'slack' | null = null,
): OAuth2Provider {
  return providers.oauth2({
    family,
    id: 'tracker',
    name: 'Tracker',
    ...fake.endpoints,
    apiBaseUrl: fake.url,
    clientId: 'tracker-client',
    clientSecret: 'tracker-secret-CANARY',
    scopes: ['items'],
    tools,
  })
}

export interface TrackerSetup {
  app: TestApp
  fake: FakeProvider
  provider: OAuth2Provider
  /** Ana's connection to the tracker. */
  id: string
}

const apps = new Set<TestApp>()

/** Closes the apps connectTracker started (call it in the file's afterEach). */
export async function closeTrackerApps(): Promise<void> {
  await Promise.all([...apps].map((app) => app.close()))
  apps.clear()
}

/** Ana connected to the tracker through the real flow, on an app that lets people run tools. */
export async function connectTracker(
  options: TestAppOptions & { fake?: FakeProvider; tools?: ToolDefinition[]; family?: 'slack' } = {},
): Promise<TrackerSetup> {
  const { fake: given, tools, family, ...appOptions } = options
  const fake = given ?? (await startTrackerFake())
  const provider = trackerProvider(fake, tools, family ?? null)
  const app = await startTestApp(null, { providers: [provider], authorize: () => true, ...appOptions })
  apps.add(app)
  const run = await connectThroughFake(provider, fake, { app })
  return { app, fake, provider, id: run.connection.id }
}

/** The fixture's samples, in the presets' format: the table test runs them with every preset's. */
export const trackerSamples: ToolSamples = {
  tracker: [
    {
      slug: 'list_items',
      input: { project: 'acme', state: 'open', limit: 2 },
      request: { method: 'GET', path: '/projects/acme/items', query: { state: 'open', limit: '2' } },
      response: { body: { total: 1, items: [{ id: 7, title: 'First' }], page: 1 } },
      output: { total: 1, items: [{ id: 7, title: 'First' }] },
    },
    {
      slug: 'create_item',
      input: { project: 'acme', title: 'Hi', labels: ['bot', 'triage'] },
      request: {
        method: 'POST',
        path: '/projects/acme/items',
        json: { title: 'Hi', labels: ['bot', 'triage'] },
      },
      response: { status: 201, body: { id: 8, html_url: 'https://tracker.example/acme/8', title: 'Hi' } },
      output: { id: 8, url: 'https://tracker.example/acme/8' },
    },
    {
      slug: 'delete_item',
      input: { project: 'acme', id: 8 },
      request: { method: 'DELETE', path: '/projects/acme/items/8' },
      response: { body: { deleted: true } },
      output: { deleted: true },
    },
  ],
}

/** Every field of a tool's state on the wire (AGENTS.md "Tools (seed 001)"), nothing more. */
export const SEED_001_FIELDS = [
  'id',
  'connectionId',
  'slug',
  'toolPath',
  'displayName',
  'description',
  'inputSchema',
  'responseSchema',
  'responseFieldMap',
  'annotations',
  'isEnabled',
  'inputDefaults',
  'pinnedFields',
  'defaultCount',
  'pinnedCount',
  'mergedInputPreview',
  'staleInputFields',
  'staleFieldPaths',
  'lastSeenAt',
  'createdAt',
  'updatedAt',
]
