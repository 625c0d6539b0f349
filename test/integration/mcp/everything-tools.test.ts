import request from 'supertest'
import { afterEach, describe, expect, it } from 'vitest'
import { providers } from '../../../src/index.js'
import { owner } from '../../support/agent-policy.js'
import { startTestApp } from '../../support/app.js'
import { startEverything } from '../../support/mcp-everything.js'

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

describe('@modelcontextprotocol/server-everything as a connection’s tools', () => {
  it('syncs its tools with their real (draft-07) schemas and runs several through the run endpoint', async () => {
    const everything = await startEverything()
    const app = await startTestApp(null, {
      providers: [providers.mcp({ id: 'everything', url: everything.url, auth: 'none' })],
      authorize: () => true,
    })
    closers.push(everything.close, app.close)
    const created = await request(app.url)
      .post('/integrations/connections')
      .set(owner)
      .send({ provider: 'everything', credentials: {} })
    expect(created.status).toBe(201)
    const id: string = created.body.data.id
    const path = (rest = '') => `/integrations/connections/${id}/tools${rest}`

    const synced = await request(app.url).post(path('/sync')).set(owner)
    expect(synced.status, JSON.stringify(synced.body)).toBe(200)
    const bySlug = new Map(synced.body.data.map((tool: { slug: string }) => [tool.slug, tool]))
    // Every tool it lists, none refused for its schema; names with dashes become slugs.
    expect([...bySlug.keys()]).toEqual(
      expect.arrayContaining(['echo', 'get_sum', 'get_structured_content', 'gzip_file_as_resource']),
    )
    expect(bySlug.size).toBeGreaterThanOrEqual(12)
    expect(bySlug.get('get_sum')).toMatchObject({
      displayName: 'Get Sum Tool',
      inputSchema: { type: 'object', required: ['a', 'b'] },
      annotations: { readOnly: true, destructive: false, idempotent: true },
    })
    expect(JSON.stringify(synced.body.data)).not.toContain('draft-07')
    expect(bySlug.get('get_structured_content')).toMatchObject({
      responseSchema: { type: 'object', required: ['temperature', 'conditions', 'humidity'] },
    })

    const run = (slug: string, input: unknown) =>
      request(app.url)
        .post(path(`/${slug}/run`))
        .set(owner)
        .send({ input })
    const echo = await run('echo', { message: 'hello' })
    expect(echo.status, JSON.stringify(echo.body)).toBe(200)
    expect(echo.body.data.output).toBe('Echo: hello')
    const sum = await run('get_sum', { a: 2, b: 3 })
    expect(sum.status, JSON.stringify(sum.body)).toBe(200)
    expect(sum.body.data.output).toContain('5')
    const weather = await run('get_structured_content', { location: 'Chicago' })
    expect(weather.status, JSON.stringify(weather.body)).toBe(200)
    expect(weather.body.data.output).toEqual({
      temperature: expect.any(Number),
      conditions: expect.any(String),
      humidity: expect.any(Number),
    })
    // Checked here against its schema before anything is sent.
    const invalid = await run('get_sum', { a: 'two' })
    expect(invalid.status).toBe(422)
    expect(invalid.body.error.details.map((d: { pointer: string }) => d.pointer)).toEqual(
      expect.arrayContaining(['/a', '/b']),
    )
    const city = await run('get_structured_content', { location: 'Paris' })
    expect(city.status).toBe(422)
  })
})
