import request from 'supertest'
import { afterEach, describe, expect, it } from 'vitest'
import type { ConnectionsError } from '../../../src/core/errors.js'
import type { ConnectionRecord } from '../../../src/core/model.js'
import { providers } from '../../../src/index.js'
import { McpRemote } from '../../../src/mcp/remote.js'
import { startTestApp, type TestApp } from '../../support/app.js'
import { loginAndConsent } from '../../support/browser-client.js'
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
  remote: McpRemote
  /** The connection as McpRemote gets it (only its id and owner are read through the router). */
  record: ConnectionRecord
}

const context = { actor: 'ana', action: 'tool' as const }

/** Ana connected to the MCP server; McpRemote calls it through the router's own token path. */
async function connected(): Promise<Setup> {
  let resource = ''
  const as = await startMcpAuthServer(() => resource)
  const rs = await startProtectedMcpServer(as.issuer)
  resource = rs.url
  const app = await startTestApp(null, {
    providers: [providers.mcp({ id: 'notes', name: 'Notes', url: rs.url })],
    selfBaseUrl: true,
    authorize: () => true,
  })
  closers.push(as.close, rs.close, app.close)
  const id = await connect(app, 'ana', 'ana', 'notes')
  // router.connections.fetch is access.resolve + access.call: the same token, refresh and audit path.
  const remote = new McpRemote(
    { call: (record, path, init) => app.router.connections.fetch(record.owner, record.id, path, init) },
    () => rs.url,
  )
  return { as, rs, app, remote, record: { id, owner: 'ana', provider: 'notes' } as ConnectionRecord }
}

async function refusal(promise: Promise<unknown>): Promise<ConnectionsError> {
  return (await promise.then(
    () => undefined,
    (error: unknown) => error,
  )) as ConnectionsError
}

describe('McpRemote: tools of a remote MCP server over the connection', () => {
  it('lists every page of tools/list with schemas and annotations (MCP defaults where a hint is absent)', async () => {
    const { remote, record } = await connected()
    const listing = await remote.listTools(record, context)
    expect(listing.skipped).toEqual([])
    expect(listing.tools.map((tool) => tool.name)).toEqual([
      'add_note',
      'read_notes',
      'fail_tool',
      'admin_action',
    ])
    expect(listing.tools[0]).toEqual({
      name: 'add_note',
      title: 'Add note',
      description: 'Adds a note',
      inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
      outputSchema: { type: 'object', properties: { saved: { type: 'string' } }, required: ['saved'] },
      annotations: { readOnly: false, destructive: false, idempotent: false, openWorld: true },
    })
    expect(listing.tools[1]?.annotations).toMatchObject({ readOnly: true, destructive: true })
  })

  it('runs tools/call with the connection token: structuredContent first, text otherwise, isError kept', async () => {
    const { rs, remote, record } = await connected()
    expect(await remote.callTool(record, 'add_note', { text: 'hi' }, context)).toEqual({
      output: { saved: 'hi' },
      isError: false,
    })
    expect(await remote.callTool(record, 'read_notes', {}, context)).toEqual({
      output: 'one\ntwo',
      isError: false,
    })
    expect(await remote.callTool(record, 'fail_tool', {}, context)).toEqual({
      output: 'the notes are locked',
      isError: true,
    })
    expect(rs.calls.map((call) => [call.tool, call.subject])).toEqual([
      ['add_note', 'ana'],
      ['read_notes', 'ana'],
      ['fail_tool', 'ana'],
    ])
  })

  it('refreshes the token when the server answers 401, and retries once', async () => {
    const { as, rs, remote, record } = await connected()
    rs.refuseNext.count = 1
    expect((await remote.callTool(record, 'add_note', { text: 'again' }, context)).output).toEqual({
      saved: 'again',
    })
    expect(as.grants.map((grant) => grant.grantType)).toEqual(['authorization_code', 'refresh_token'])
    expect(as.grants[1]?.resource).toBe(rs.url)
  })

  it('says when the server refuses the token even after a refresh (502, no secret in the message)', async () => {
    const { rs, remote, record } = await connected()
    rs.refuseNext.count = 10
    const error = await refusal(remote.callTool(record, 'add_note', { text: 'x' }, context))
    expect(error.status).toBe(502)
    expect(error.message).toContain('refused the connection’s token')
  })

  it('steps up: a 403 insufficient_scope names the scopes; a reauth with them makes the call work', async () => {
    const { as, rs, app, remote, record } = await connected()
    const error = await refusal(remote.callTool(record, 'admin_action', {}, context))
    expect(error.status).toBe(403)
    expect(error.details).toEqual([{ code: 'insufficient_scope', scopes: ['mcp:tools', 'mcp:admin'] }])

    const browser = browserAs(app, 'ana')
    const reauth = await browser.request(`${app.mount}/connections/${record.id}/reauth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scopes: (error.details as Array<{ scopes: string[] }>)[0]?.scopes }),
    })
    expect(reauth.status).toBe(201)
    const { authorizationUrl } = ((await reauth.json()) as { data: { authorizationUrl: string } }).data
    expect(new URL(authorizationUrl).searchParams.get('scope')).toBe('mcp:tools mcp:admin')
    const { callbackUrl } = await loginAndConsent(browser, authorizationUrl, 'ana')
    expect((await browser.request(callbackUrl)).status).toBe(200)

    expect(await remote.callTool(record, 'admin_action', {}, context)).toEqual({
      output: 'done',
      isError: false,
    })
    expect(rs.calls.at(-1)?.scopes).toEqual(['mcp:tools', 'mcp:admin'])
    expect(as.grants.filter((grant) => grant.resource === rs.url)).toHaveLength(2)
    const listed = await request(app.url).get('/integrations/connections').set('x-user', 'ana')
    expect(listed.body.data).toHaveLength(1)
  })

  it('an unknown tool is a clear 502 from the server', async () => {
    const { remote, record } = await connected()
    const error = await refusal(remote.callTool(record, 'no_such_tool', {}, context))
    expect(error.status).toBe(502)
    expect(error.message).toContain('unknown tool no_such_tool')
  })
})
