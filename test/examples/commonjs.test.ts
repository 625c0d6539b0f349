import { afterAll, describe, expect, it } from 'vitest'
import type { ProviderView } from '../../src/index.js'
import { cleanUp, request, runExample, tempDir } from './run-example.js'

afterAll(cleanUp)

describe('examples/commonjs (require, from the built dist/index.cjs)', () => {
  it('runs with plain node, lists its provider and redirects a connect to the provider', async () => {
    // `npm test` builds first (pretest): the example requires the package by name, which is dist.
    const example = await runExample('examples/commonjs/server.cjs', {
      cwd: await tempDir(),
      ready: /Listening on (http:\/\/\S+\/integrations)\n/,
      env: { PORT: '0' },
    })
    const mount = example.ready[1] ?? ''

    const catalogue = await request<{ data: ProviderView[] }>(`${mount}/providers`)
    expect(catalogue.status).toBe(200)
    expect(catalogue.body.data.map((p) => [p.id, p.name, p.kind])).toEqual([['acme', 'Acme', 'oauth2']])

    const connect = await request(`${mount}/connect/acme?return_url=/settings`)
    expect(connect.status).toBe(302)
    const to = new URL(connect.headers.get('location') ?? '')
    expect(`${to.origin}${to.pathname}`).toBe('https://auth.acme.example/oauth/authorize')
    expect(to.searchParams.get('redirect_uri')).toBe(`${mount}/callback/acme`)
    expect(to.searchParams.get('code_challenge_method')).toBe('S256')

    expect(await request(`${mount}/connections`)).toMatchObject({ status: 200, body: { data: [] } })
  })
})
