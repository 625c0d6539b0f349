import request from 'supertest'
import { afterEach, describe, expect, it } from 'vitest'
import { resolver } from '../../../src/core/resolve-guard.js'
import { providers } from '../../../src/index.js'
import { startTestApp, type TestAppOptions } from '../../support/app.js'
import { connect } from '../../support/flows.js'
import { startMcpAuthServer, startProtectedMcpServer } from '../../support/mcp-servers.js'

const closers: Array<() => Promise<void>> = []
const lookup = resolver.lookup
afterEach(async () => {
  resolver.lookup = lookup
  await Promise.all(closers.splice(0).map((close) => close()))
})

/** The authorization server, its MCP server, and a router whose owners may register MCP servers. */
async function setup(options: TestAppOptions) {
  let resource = ''
  const as = await startMcpAuthServer(() => resource)
  const rs = await startProtectedMcpServer(as.issuer)
  resource = rs.url
  const app = await startTestApp(null, {
    // A router needs one provider of its own; the owners' MCP servers come at runtime.
    providers: [providers.apiKey({ id: 'other', validate: async () => ({}) })],
    selfBaseUrl: true,
    authorize: () => true,
    ...options,
  })
  closers.push(as.close, rs.close, app.close)
  return { as, rs, app }
}

function register(url: string, owner: string, body: Record<string, unknown>) {
  return request(url).post('/integrations/custom-providers').set('x-user', owner).send(body)
}

describe('MCP servers registered at runtime by an owner', () => {
  it('connects end to end under a policy that allows them: discovery, registration, a token for the server', async () => {
    const { as, rs, app } = await setup({ customProviderUrls: () => true })
    const registered = await register(app.url, 'ana', {
      slug: 'team-notes',
      name: 'Team notes',
      mcpUrl: rs.url,
    })
    expect(registered.status).toBe(201)
    expect(registered.body.data).toMatchObject({ slug: 'team-notes', mcpUrl: rs.url })
    const id = await connect(app, 'ana', 'ana', 'team-notes')
    expect(as.registered).toHaveLength(1)
    expect(as.grants).toEqual([{ grantType: 'authorization_code', resource: rs.url }])
    const token = await request(app.url).get(`/integrations/connections/${id}/token`).set('x-user', 'ana')
    expect(token.status).toBe(200)
    // Server code registers the same way.
    const fromCode = await app.router.connections.customProviders.register('ana', {
      slug: 'team-notes-2',
      name: 'Team notes 2',
      mcpUrl: rs.url,
    })
    expect(fromCode).toMatchObject({ slug: 'team-notes-2', mcpUrl: rs.url, authorizationUrl: '' })
    // Another owner does not see it.
    const other = await request(app.url).get('/integrations/connect/team-notes').set('x-user', 'bob')
    expect(other.status).toBe(404)
  })

  it('refuses an MCP URL the default policy does not allow (http, this machine), storing nothing', async () => {
    const { rs, app } = await setup({})
    const registered = await register(app.url, 'ana', { slug: 'local', name: 'Local', mcpUrl: rs.url })
    expect(registered.status).toBe(400)
    expect(registered.body.error.details).toEqual([
      { path: ['mcpUrl'], code: 'url_not_allowed', message: 'not allowed by customProviderUrls' },
    ])
    expect(
      (await request(app.url).get('/integrations/custom-providers').set('x-user', 'ana')).body.data,
    ).toEqual([])
  })

  it('never calls a name that resolves to a private address (default policy): 502 at connect, nothing stored', async () => {
    const { rs, app } = await setup({})
    resolver.lookup = async () => [{ address: '127.0.0.1', family: 4 }]
    const registered = await register(app.url, 'ana', {
      slug: 'sneaky',
      name: 'Sneaky',
      mcpUrl: 'https://mcp.example.test/mcp',
    })
    expect(registered.status).toBe(201)
    const before = [...app.raw.keys()].filter((key) => !key.startsWith('keyv:session:'))
    const start = await request(app.url).get('/integrations/connect/sneaky').set('x-user', 'ana')
    expect(start.status).toBe(502)
    expect(start.body.error.message).toBe('The provider’s server is on an address this server does not call.')
    expect([...app.raw.keys()].filter((key) => !key.startsWith('keyv:session:'))).toEqual(before)
    expect(rs.refused).toEqual([])
  })

  it('checks the discovered endpoints with the host’s policy too: an authorization server it does not allow is never called', async () => {
    let allowedOrigin = ''
    const { as, rs, app } = await setup({ customProviderUrls: (url) => url.origin === allowedOrigin })
    allowedOrigin = new URL(rs.url).origin
    expect((await register(app.url, 'ana', { slug: 'notes', name: 'Notes', mcpUrl: rs.url })).status).toBe(
      201,
    )
    const start = await request(app.url).get('/integrations/connect/notes').set('x-user', 'ana')
    expect(start.status).toBe(502)
    expect(start.body.error.message).toBe('The provider’s server is at a URL this server does not call.')
    expect(as.requests).toEqual([])
  })

  it('keeps its URL and client while it has connections (re-pointing would send their tokens elsewhere)', async () => {
    const { rs, app } = await setup({ customProviderUrls: () => true })
    await register(app.url, 'ana', { slug: 'notes', name: 'Notes', mcpUrl: rs.url })
    await connect(app, 'ana', 'ana', 'notes')
    const moved = await register(app.url, 'ana', { slug: 'notes', name: 'Notes', mcpUrl: `${rs.url}/other` })
    expect(moved.status).toBe(409)
    expect(moved.body.error.message).toContain('mcpUrl')
  })

  it('needs a clientId when the router cannot register one (no stable callback URL)', async () => {
    const { rs, app } = await setup({ customProviderUrls: () => true, selfBaseUrl: false } as TestAppOptions)
    const bare = await register(app.url, 'ana', { slug: 'notes', name: 'Notes', mcpUrl: rs.url })
    expect(bare.status).toBe(400)
    expect(bare.body.error.details).toEqual([{ path: ['clientId'], message: 'is required here' }])
    const given = await register(app.url, 'ana', {
      slug: 'notes',
      name: 'Notes',
      mcpUrl: rs.url,
      clientId: 'mine',
    })
    expect(given.status).toBe(201)
  })
})
