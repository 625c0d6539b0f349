import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gzipSync } from 'node:zlib'
import request from 'supertest'
import { Agent, getGlobalDispatcher, interceptors, setGlobalDispatcher } from 'undici'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { localProvider } from '../support/app.js'
import { connect } from '../support/flows.js'
import { useOAuthSuite } from '../support/suite.js'

const suite = useOAuthSuite()

/** A provider's API on loopback that counts its connections and keeps the requests it saw. */
async function startApi(answer: (req: IncomingMessage, res: import('node:http').ServerResponse) => void) {
  const seen: IncomingMessage[] = []
  let connections = 0
  const server: Server = createServer((req, res) => {
    seen.push(req)
    answer(req, res)
  })
  server.on('connection', () => {
    connections += 1
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

const apis: Array<{ close(): Promise<void> }> = []
afterEach(async () => {
  vi.restoreAllMocks()
  await Promise.all(apis.splice(0).map((api) => api.close()))
})

async function proxyTo(answer: Parameters<typeof startApi>[0]) {
  const api = await startApi(answer)
  apis.push(api)
  const app = await suite.appWith({
    authorize: () => true,
    providers: [localProvider(suite.oauth, { apiBaseUrl: api.url })],
  })
  const id = await connect(app, 'ana')
  return { api, app, path: `/integrations/connections/${id}/proxy` }
}

const json = (res: import('node:http').ServerResponse) => {
  res.writeHead(200, { 'content-type': 'application/json' })
  res.end('{"ok":true}')
}

describe('the proxy’s calls to the provider', () => {
  it('keep their connections to the API alive from one call to the next', async () => {
    const { api, app, path } = await proxyTo((_req, res) => json(res))
    for (let i = 0; i < 5; i++) {
      const response = await request(app.url).get(`${path}/items`).set('x-user', 'ana')
      expect(response.status).toBe(200)
      expect(response.body).toEqual({ ok: true })
    }
    expect(api.seen).toHaveLength(5)
    expect(api.connections()).toBe(1)
  })

  it('stop when the caller goes away before the answer', async () => {
    const { api, app, path } = await proxyTo(() => {
      // Never answers: the provider is still thinking when the caller leaves.
    })
    const url = new URL(`${app.url}${path}/slow`)
    const caller = httpRequest({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      headers: { 'x-user': 'ana' },
    })
    caller.on('error', () => undefined)
    caller.end()
    await vi.waitFor(() => expect(api.seen).toHaveLength(1))
    const upstream = api.seen[0] as IncomingMessage
    const closed = new Promise<void>((resolve) => upstream.once('close', () => resolve()))
    caller.destroy()
    await closed
    expect(upstream.destroyed).toBe(true)
  })

  it('relay a body the provider compressed though none was asked for, with its content-encoding', async () => {
    const { api, app, path } = await proxyTo((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
      res.end(gzipSync('{"zipped":true}'))
    })
    const response = await request(app.url).get(`${path}/items`).set('x-user', 'ana')
    expect(response.status).toBe(200)
    expect(response.headers['content-encoding']).toBe('gzip')
    expect(response.body).toEqual({ zipped: true })
    expect(api.seen[0]?.headers['accept-encoding'] ?? '').not.toMatch(/gzip|br|deflate/)
  })

  it('never send TRACE or TRACK, which would echo the credential back to the caller', async () => {
    const { api, app, path } = await proxyTo((req, res) => {
      res.writeHead(200, { 'content-type': 'message/http' })
      res.end(`authorization: ${req.headers.authorization}`)
    })
    const url = new URL(`${app.url}${path}/items`)
    for (const method of ['TRACE', 'TRACK']) {
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const caller = httpRequest(
          { host: url.hostname, port: url.port, path: url.pathname, method, headers: { 'x-user': 'ana' } },
          (res) => {
            let body = ''
            res.on('data', (chunk: Buffer) => {
              body += chunk.toString()
            })
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
          },
        )
        caller.on('error', reject)
        caller.end()
      })
      expect(answer.status, method).not.toBe(200)
      expect(answer.body).not.toMatch(/authorization: Bearer/)
    }
    expect(api.seen).toHaveLength(0)
  })

  it('never follow a redirect, even when the host’s global dispatcher would', async () => {
    const { api, app, path } = await proxyTo((req, res) => {
      if (req.url === '/items') {
        res.writeHead(302, { location: '/elsewhere' })
        res.end()
      } else json(res)
    })
    const before = getGlobalDispatcher()
    setGlobalDispatcher(new Agent().compose(interceptors.redirect({ maxRedirections: 3 })))
    try {
      const response = await request(app.url).get(`${path}/items`).set('x-user', 'ana').redirects(0)
      expect(response.status).toBe(302)
      expect(response.headers.location).toBeUndefined()
      expect(api.seen.map((req) => req.url)).toEqual(['/items'])
    } finally {
      setGlobalDispatcher(before)
    }
  })

  it('go through the global fetch when the host replaced it (a mock, instrumentation)', async () => {
    const { app, path } = await proxyTo((_req, res) => json(res))
    const sent = vi.spyOn(globalThis, 'fetch')
    const response = await request(app.url).get(`${path}/items`).set('x-user', 'ana')
    expect(response.status).toBe(200)
    expect(response.body).toEqual({ ok: true })
    expect(sent).toHaveBeenCalledOnce()
  })
})
