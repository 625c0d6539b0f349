import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { localProvider, startTestApp, type TestApp } from '../support/app.js'
import { connect } from '../support/flows.js'
import { type OAuthServer, startOAuthServer } from '../support/oauth-server.js'

let oauth: OAuthServer
let app: TestApp
let first: string
let second: string

beforeAll(async () => {
  oauth = await startOAuthServer()
  app = await startTestApp(oauth)
  first = await connect(app, 'ana', 'ana')
  second = await connect(app, 'ana', 'ana-work')
})
afterAll(async () => {
  await app.close()
  await oauth.close()
})

const SECRET_FIELDS = /access_?token|refresh_?token|client_?secret|"secrets"|"owner"|"verifier"/i

describe('connections', () => {
  it('lists both accounts of one owner, filtered by provider and status', async () => {
    const all = await request(app.url).get('/integrations/connections').set('x-user', 'ana')
    expect(all.status).toBe(200)
    expect(all.body.data.map((c: { accountEmail: string }) => c.accountEmail).sort()).toEqual([
      'ana-work@example.com',
      'ana@example.com',
    ])
    const byProvider = await request(app.url)
      .get('/integrations/connections?provider=local&status=active')
      .set('x-user', 'ana')
    expect(byProvider.body.data).toHaveLength(2)
    const none = await request(app.url)
      .get('/integrations/connections?status=needs_reauth')
      .set('x-user', 'ana')
    expect(none.body.data).toEqual([])
    expect(all.text).not.toMatch(SECRET_FIELDS)
  })

  it('reads one connection in the contract shape', async () => {
    const response = await request(app.url).get(`/integrations/connections/${first}`).set('x-user', 'ana')
    expect(response.status).toBe(200)
    expect(Object.keys(response.body.data).sort()).toEqual(
      [
        'id',
        'provider',
        'providerName',
        'label',
        'status',
        'statusReason',
        'accountId',
        'accountEmail',
        'grantedScopes',
        'singleton',
        'metadata',
        'expiresAt',
        'connectedAt',
        'lastRefreshedAt',
        'lastUsedAt',
        'createdAt',
        'updatedAt',
        'policies',
        'toolsStatus',
        'toolsSyncedAt',
      ].sort(),
    )
    expect(response.headers['cache-control']).toBeUndefined()
  })

  it('relabels, reports connection.updated, and shows the new label in the list', async () => {
    const before = app.events.length
    const response = await request(app.url)
      .put(`/integrations/connections/${second}/label`)
      .set('x-user', 'ana')
      .send({ label: '  Work account  ' })
    expect(response.status).toBe(200)
    expect(response.body.data).toMatchObject({ id: second, label: 'Work account' })
    expect(Date.parse(response.body.data.updatedAt)).toBeGreaterThanOrEqual(
      Date.parse(response.body.data.createdAt),
    )
    expect(app.events.slice(before).map((e) => e.type)).toEqual(['connection.updated'])
    expect(JSON.stringify(app.events)).not.toMatch(
      /access_?token|refresh_?token|client_?secret|"secrets"|"verifier"/i,
    )
    const listed = await app.router.connections.get('ana', second)
    expect(listed.label).toBe('Work account')
  })

  it('exposes the same operations to server code', async () => {
    const api = app.router.connections
    expect((await api.list('ana')).map((c) => c.id).sort()).toEqual([first, second].sort())
    expect(await api.list('bob')).toEqual([])
    expect((await api.providers('ana'))[0]).toMatchObject({ id: 'local', status: 'active' })
    await expect(api.get('bob', first)).rejects.toMatchObject({ code: 'not_found', status: 404 })
  })
})

describe('GET /openapi.json', () => {
  it('is an OpenAPI 3.1 document whose request schemas are the validating ones', async () => {
    const response = await request(app.url).get('/integrations/openapi.json')
    expect(response.status).toBe(200)
    const doc = response.body
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/providers',
        '/connections',
        '/connections/start',
        '/connections/telegram',
        '/connections/{id}',
        '/connections/{id}/label',
        '/connections/{id}/token',
        '/connections/{id}/proxy/{path}',
        '/connections/{id}/revoke',
        '/connections/{id}/reauth',
        '/audit',
        '/custom-providers',
        '/custom-providers/{slug}',
        '/agents',
        '/agents/{id}',
        '/agents/{id}/rotate-key',
        '/policies',
        '/policies/{id}',
        '/policies/{id}/provider-constraints',
        '/approvals',
        '/approvals/{id}/approve',
        '/approvals/{id}/deny',
        '/connections/{id}/tools',
        '/connections/{id}/tools/sync',
        '/connections/{id}/tools/{slug}',
        '/connections/{id}/tools/{slug}/run',
        '/mcp',
        '/connect/{provider}',
        '/callback/{provider}',
      ].sort(),
    )
    const start = doc.paths['/connections/start'].post.requestBody.content['application/json'].schema
    expect(start.required).toEqual(['provider'])
    expect(Object.keys(start.properties).sort()).toEqual([
      'agentId',
      'allowedModels',
      'label',
      'metadata',
      'params',
      'provider',
      'returnUrl',
      'scopes',
    ])
    expect(start.additionalProperties).toBe(false)
    // Per-connection URLs: the connect query takes the provider's params by name, exploded.
    const connectParams = doc.paths['/connect/{provider}'].get.parameters.find(
      (p: { name: string }) => p.name === 'params',
    )
    expect(connectParams).toMatchObject({
      in: 'query',
      style: 'form',
      explode: true,
      schema: { type: 'object' },
    })
    expect(doc.components.schemas.Connection.properties.params).toMatchObject({ type: 'object' })
    const telegram = doc.paths['/connections/telegram'].post
    expect(telegram.requestBody.content['application/json'].schema.required).toEqual(['botToken'])
    expect(telegram.responses['201'].content['application/json'].schema.properties.data).toEqual({
      $ref: '#/components/schemas/TelegramConnected',
    })
    expect(Object.keys(doc.components.schemas.TelegramConnected.properties)).toEqual([
      'connection',
      'botInfo',
      'message',
    ])
    // The token and proxy routes also take a singleton provider's id.
    const tokenId = doc.paths['/connections/{id}/token'].get.parameters[0].schema
    expect(tokenId.anyOf).toEqual([
      expect.objectContaining({ format: 'uuid' }),
      expect.objectContaining({ type: 'string' }),
    ])
    const status = doc.paths['/connections'].get.parameters.find((p: { name: string }) => p.name === 'status')
    expect(status.schema.enum).toEqual(['active', 'needs_reauth', 'revoked'])
    expect(Object.keys(doc.components.schemas.Connection.properties)).toContain('accountEmail')
    expect(JSON.stringify(doc)).not.toMatch(/refreshToken/)
    // A client secret is only ever sent in (registering a custom provider), never returned.
    expect(JSON.stringify(doc.components.schemas)).not.toMatch(/clientSecret/)
    expect(JSON.stringify(doc.components.schemas.Connection)).not.toMatch(/accessToken/)
    expect(JSON.stringify(doc.components.schemas)).not.toContain('"$id"')
    // Every $ref must resolve inside this document.
    for (const [, target] of JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)) {
      expect(doc.components.schemas, target).toHaveProperty(target as string)
    }
    expect(JSON.stringify(doc)).not.toMatch(/"\$ref":"#\/\$defs/)
    // Tools: the state's wire fields, the run's body and approval header, the connection's tools status.
    expect(Object.keys(doc.components.schemas.Tool.properties)).toEqual(
      expect.arrayContaining([
        'toolPath',
        'mergedInputPreview',
        'staleInputFields',
        'staleFieldPaths',
        'pinnedFields',
      ]),
    )
    const toolRun = doc.paths['/connections/{id}/tools/{slug}/run'].post
    expect(Object.keys(toolRun.requestBody.content['application/json'].schema.properties)).toEqual(['input'])
    expect(toolRun.parameters.map((p: { name: string }) => p.name)).toEqual(['id', 'slug', 'x-approval-id'])
    expect(Object.keys(toolRun.responses).sort()).toEqual(['200', '202', 'default'])
    const settings = doc.paths['/connections/{id}/tools/{slug}'].patch.requestBody.content['application/json']
    expect(Object.keys(settings.schema.properties)).toEqual(['isEnabled', 'inputDefaults', 'pinnedFields'])
    expect(doc.components.schemas.Connection.properties.toolsStatus.enum).toEqual([
      'pending',
      'syncing',
      'synced',
      'failed',
    ])
  })
})

describe('a singleton provider', () => {
  it('keeps one connection per owner: connecting again replaces its tokens, keeping id and label', async () => {
    const single = await startTestApp(oauth, {
      providers: [localProvider(oauth, { id: 'local-one', name: 'Local (one)', singleton: true })],
    })
    try {
      const id = await connect(single, 'ana', 'ana', 'local-one')
      await single.router.connections.updateLabel('ana', id, 'Mine')
      const again = await connect(single, 'ana', 'ana-2', 'local-one')
      expect(again).toBe(id)
      const list = await single.router.connections.list('ana')
      expect(list).toHaveLength(1)
      expect(list[0]).toMatchObject({ id, label: 'Mine', accountEmail: 'ana-2@example.com', singleton: true })
      expect(single.events.map((e) => e.type)).toEqual([
        'connection.created',
        'connection.updated',
        'connection.reauthorized',
      ])
    } finally {
      await single.close()
    }
  })
})
