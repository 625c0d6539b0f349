import { afterAll, describe, expect, it } from 'vitest'
import type { Connection, ProviderView } from '../../src/index.js'
import { cleanUp, freePort, newKey, request, runExample, tempDir, tsx } from './run-example.js'

afterAll(cleanUp)

describe('examples/basic (the README quick start)', () => {
  it('lists its provider and sends a connect to the provider with PKCE and the callback URL', async () => {
    const port = await freePort()
    await runExample('examples/basic/server.ts', {
      cwd: await tempDir(),
      ready: new RegExp(`Connect at http://localhost:${port}/integrations/connect/github`),
      nodeArgs: ['--import', tsx],
      env: {
        PORT: String(port),
        CONNECTIONS_KEY: newKey(),
        GITHUB_CLIENT_ID: 'github-id',
        GITHUB_CLIENT_SECRET: 'github-secret',
      },
    })
    const mount = `http://127.0.0.1:${port}/integrations`

    const catalogue = await request<{ data: ProviderView[] }>(`${mount}/providers`)
    expect(catalogue.status).toBe(200)
    expect(catalogue.body.data).toEqual([
      expect.objectContaining({
        id: 'github',
        kind: 'oauth2',
        scopes: ['read:user', 'user:email'],
        status: 'not_connected',
      }),
    ])

    const connect = await request(`${mount}/connect/github`)
    expect(connect.status).toBe(302)
    const to = new URL(connect.headers.get('location') ?? '')
    expect(`${to.origin}${to.pathname}`).toBe('https://github.com/login/oauth/authorize')
    expect(Object.fromEntries(to.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'github-id',
      redirect_uri: `${mount}/callback/github`,
      scope: 'read:user user:email',
      code_challenge_method: 'S256',
    })
    expect(to.searchParams.get('state')).toMatch(/^\S{40,}$/)
    expect(connect.headers.get('set-cookie')).toMatch(/^connections\.sid=/)

    const list = await request<{ data: Connection[] }>(`${mount}/connections`)
    expect(list).toMatchObject({ status: 200, body: { data: [] } })
  })
})
