import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import request from 'supertest'
import { afterEach, describe, expect, it } from 'vitest'
import { providers } from '../../../src/index.js'
import { dump, startTestApp, type TestApp, type TestAppOptions } from '../../support/app.js'
import { sleep } from '../../support/as-client.js'
import { BrowserClient, loginAndConsent } from '../../support/browser-client.js'
import { browserAs, connect } from '../../support/flows.js'
import {
  type McpAuthServer,
  type ProtectedMcpServer,
  startMcpAuthServer,
  startProtectedMcpServer,
} from '../../support/mcp-servers.js'

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

interface Setup {
  as: McpAuthServer
  rs: ProtectedMcpServer
  app: TestApp
  ttl: { seconds: number }
}

/** An authorization server, the MCP server it protects, and the router with `providers.mcp` for it. */
async function setup(options: TestAppOptions = {}): Promise<Setup> {
  const ttl = { seconds: 3600 }
  let resource = ''
  const as = await startMcpAuthServer(() => resource, { accessTokenTtl: () => ttl.seconds })
  const rs = await startProtectedMcpServer(as.issuer)
  resource = rs.url
  const app = await startTestApp(null, {
    providers: [providers.mcp({ id: 'notes', name: 'Notes', url: rs.url })],
    selfBaseUrl: true,
    authorize: () => true,
    ...options,
  })
  closers.push(as.close, rs.close, app.close)
  return { as, rs, app, ttl }
}

async function tokenOf(app: TestApp, id: string, user = 'ana'): Promise<string> {
  const response = await request(app.url).get(`/integrations/connections/${id}/token`).set('x-user', user)
  expect(response.status).toBe(200)
  return response.body.data.accessToken as string
}

/** Calls the MCP server's tool with the token, through the SDK's own client. */
async function addNote(rs: ProtectedMcpServer, token: string, text: string): Promise<unknown> {
  const client = new Client({ name: 'test', version: '1' })
  const transport = new StreamableHTTPClientTransport(new URL(rs.url), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  })
  await client.connect(transport)
  try {
    const result = await client.callTool({ name: 'add_note', arguments: { text } })
    return result.structuredContent
  } finally {
    await client.close()
  }
}

describe('a remote MCP server that takes OAuth (providers.mcp)', () => {
  it('connects: discovery from the 401, dynamic registration, code + PKCE S256 + resource; the token works on the server', async () => {
    const { as, rs, app } = await setup()
    const browser = browserAs(app, 'ana')
    const start = await browser.request(`${app.mount}/connect/notes`)
    expect(start.status).toBe(302)
    const authorization = new URL(start.headers.get('location') ?? '')
    expect(authorization.origin).toBe(as.issuer)
    const [client] = as.registered
    expect(as.registered).toHaveLength(1)
    expect(client).toMatchObject({
      token_endpoint_auth_method: 'client_secret_post',
      redirect_uris: [`${app.mount}/callback/notes`],
    })
    expect(Object.fromEntries(authorization.searchParams)).toMatchObject({
      client_id: client?.client_id,
      resource: rs.url,
      scope: 'mcp:tools', // the 401's scope wins over scopes_supported (MCP 2025-11-25)
      code_challenge_method: 'S256',
      redirect_uri: `${app.mount}/callback/notes`,
    })
    const { callbackUrl } = await loginAndConsent(browser, authorization.href, 'ana')
    const done = await browser.request(callbackUrl)
    const body = (await done.json()) as { data: { id: string; provider: string; grantedScopes: string[] } }
    expect(done.status).toBe(200)
    expect(body.data).toMatchObject({ provider: 'notes' })
    expect(as.grants).toEqual([{ grantType: 'authorization_code', resource: rs.url }])

    const token = await tokenOf(app, body.data.id)
    expect(await addNote(rs, token, 'hello')).toEqual({ saved: 'hello' })
    expect(rs.calls).toEqual([{ tool: 'add_note', subject: 'ana', scopes: ['mcp:tools'] }])
    // The registered client's secret is stored sealed only.
    const secret = (client as unknown as { client_secret: string }).client_secret
    expect(secret).toBeTruthy()
    expect(dump(app.raw)).not.toContain(secret)
  })

  it('registers once per issuer and callback URL: a second connection and a router sharing the store reuse it', async () => {
    const { as, rs, app } = await setup()
    await connect(app, 'ana', 'ana', 'notes')
    await connect(app, 'bob', 'bob', 'notes')
    const second = await startTestApp(null, {
      providers: [providers.mcp({ id: 'notes', url: rs.url })],
      keyv: app.store,
      authorize: () => true,
      baseUrl: app.url,
      mountPath: '/integrations',
    })
    closers.push(second.close)
    const start = await browserAs(second, 'cy').request(`${second.mount}/connect/notes`)
    expect(start.status).toBe(302)
    expect(as.registered).toHaveLength(1)
    expect(new URL(start.headers.get('location') ?? '').searchParams.get('client_id')).toBe(
      as.registered[0]?.client_id,
    )
  })

  it('refreshes an expiring token with the resource indicator; the new token works', async () => {
    const { as, rs, app, ttl } = await setup()
    ttl.seconds = 2
    const id = await connect(app, 'ana', 'ana', 'notes')
    await sleep(1100) // into the last half of its life: the next hand-out refreshes
    const token = await tokenOf(app, id)
    expect(as.grants.map((g) => g.grantType)).toEqual(['authorization_code', 'refresh_token'])
    expect(as.grants[1]?.resource).toBe(rs.url)
    expect(await addNote(rs, token, 'after refresh')).toEqual({ saved: 'after refresh' })
  })

  it('revokes at the authorization server, then the refresh token is gone', async () => {
    const { as, app } = await setup()
    const id = await connect(app, 'ana', 'ana', 'notes')
    expect(as.liveRefreshTokens()).toBe(1)
    const revoked = await request(app.url).post(`/integrations/connections/${id}/revoke`).set('x-user', 'ana')
    expect(revoked.status).toBe(200)
    expect(revoked.body.data.connection.status).toBe('revoked')
    expect(as.requests.filter((r) => r === 'POST /token/revocation')).toHaveLength(2)
    expect(as.liveRefreshTokens()).toBe(0)
  })

  it('completes a flow on an instance that has not discovered the server yet (it started on another)', async () => {
    const ttl = { seconds: 3600 }
    let resource = ''
    const as = await startMcpAuthServer(() => resource, { accessTokenTtl: () => ttl.seconds })
    const rs = await startProtectedMcpServer(as.issuer)
    resource = rs.url
    const callbackSide = await startTestApp(null, {
      providers: [providers.mcp({ id: 'notes', url: rs.url })],
      selfBaseUrl: true,
      authorize: () => true,
    })
    const startSide = await startTestApp(null, {
      providers: [providers.mcp({ id: 'notes', url: rs.url })],
      keyv: callbackSide.store,
      baseUrl: callbackSide.url,
      mountPath: '/integrations',
      authorize: () => true,
    })
    closers.push(as.close, rs.close, callbackSide.close, startSide.close)
    const user = { 'x-user': 'ana' }
    const browser = new BrowserClient({ headers: { [startSide.url]: user, [callbackSide.url]: user } })
    const start = await browser.request(`${startSide.mount}/connect/notes`)
    const { callbackUrl } = await loginAndConsent(browser, start.headers.get('location') ?? '', 'ana')
    expect(callbackUrl.startsWith(callbackSide.mount)).toBe(true)
    const done = await browser.request(callbackUrl)
    expect(done.status).toBe(200)
  })

  it('revokes locally when the server cannot be discovered (an instance that never reached it)', async () => {
    const { as, rs, app } = await setup()
    const id = await connect(app, 'ana', 'ana', 'notes')
    const fresh = await startTestApp(null, {
      providers: [providers.mcp({ id: 'notes', url: rs.url })],
      keyv: app.store,
      baseUrl: app.url,
      mountPath: '/integrations',
      authorize: () => true,
    })
    closers.push(fresh.close)
    await rs.close()
    const token = await request(fresh.url).get(`/integrations/connections/${id}/token`).set('x-user', 'ana')
    expect(token.status).toBe(200) // a live token needs no discovery
    const revoked = await request(fresh.url)
      .post(`/integrations/connections/${id}/revoke`)
      .set('x-user', 'ana')
    expect(revoked.status).toBe(200)
    expect(revoked.body.data.connection.status).toBe('revoked')
    expect(as.requests.filter((r) => r === 'POST /token/revocation')).toEqual([])
  })

  it('refuses to connect to an unreachable server with a 502, storing nothing', async () => {
    const { rs, app } = await setup()
    await rs.close()
    const before = [...app.raw.keys()].filter((key) => !key.startsWith('session:'))
    const start = await browserAs(app, 'ana').request(`${app.mount}/connect/notes`)
    expect(start.status).toBe(502)
    const body = (await start.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe('provider_error')
    expect(body.error.message).toContain('did not answer')
    expect([...app.raw.keys()].filter((key) => !key.startsWith('session:'))).toEqual(before)
  })

  it('refuses an MCP provider without a client when the callback URL is not stable', async () => {
    await expect(
      startTestApp(null, { providers: [providers.mcp({ id: 'notes', url: 'https://mcp.example/mcp' })] }),
    ).rejects.toThrow(/set baseUrl and a string mountPath/)
  })
})

describe('a client ID metadata document instead of registration (CIMD)', () => {
  it('is used when the authorization server takes one: nothing registered, nothing stored, the flow works', async () => {
    let resource = ''
    const as = await startMcpAuthServer(() => resource, {
      clientIdMetadataDocument: true,
      registration: false,
    })
    const rs = await startProtectedMcpServer(as.issuer)
    resource = rs.url
    const app = await startTestApp(null, {
      providers: [providers.mcp({ id: 'notes', name: 'Notes', url: rs.url })],
      selfBaseUrl: 'https',
      authorize: () => true,
    })
    closers.push(as.close, rs.close, app.close)
    const base = app.mount.replace(/^http:/, 'https:')
    const document = await request(app.url).get('/integrations/client-metadata/notes')
    expect(document.status).toBe(200)
    expect(document.body).toEqual({
      client_id: `${base}/client-metadata/notes`,
      client_name: 'Notes',
      redirect_uris: [`${base}/callback/notes`],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    })

    const browser = browserAs(app, 'ana')
    const start = await browser.request(`${app.mount}/connect/notes`)
    const authorization = new URL(start.headers.get('location') ?? '')
    expect(authorization.searchParams.get('client_id')).toBe(`${base}/client-metadata/notes`)
    const { callbackUrl } = await loginAndConsent(browser, authorization.href, 'ana')
    expect(as.documentsFetched).toEqual([`${base}/client-metadata/notes`])
    // The browser reaches the app through the TLS-ending proxy: here, plain http.
    const done = await browser.request(callbackUrl.replace(/^https:/, 'http:'))
    expect(done.status).toBe(200)
    const { id } = ((await done.json()) as { data: { id: string } }).data
    expect(as.registered).toEqual([])
    expect([...app.raw.keys()].filter((key) => key.includes('mcp-client'))).toEqual([])
    expect(await addNote(rs, await tokenOf(app, id), 'via cimd')).toEqual({ saved: 'via cimd' })
  })

  it('is not offered for a provider with a configured client, nor over http', async () => {
    const app = await startTestApp(null, {
      providers: [
        providers.mcp({ id: 'mine', url: 'https://mcp.example/mcp', clientId: 'given' }),
        providers.mcp({ id: 'auto', url: 'https://mcp.example/mcp' }),
      ],
      selfBaseUrl: true,
    })
    closers.push(app.close)
    for (const id of ['mine', 'auto', 'nope']) {
      expect((await request(app.url).get(`/integrations/client-metadata/${id}`)).status).toBe(404)
    }
  })
})
