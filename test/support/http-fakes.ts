import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Listening {
  url: string
  close(): Promise<void>
}

async function listen(server: Server): Promise<Listening> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

export type Mode = 'pass' | 'error' | 'hang' | 'invalid_client'

/**
 * A token endpoint in front of the real one that can be told to fail: `error` answers 500 like a
 * provider having a bad day, `hang` never answers. Everything else is passed through untouched.
 */
export async function startSwitchableProxy(
  target: string,
): Promise<Listening & { mode: Mode; hits: number }> {
  const state = { mode: 'pass' as Mode, hits: 0 }
  const server = createServer(async (req, res) => {
    state.hits += 1
    if (state.mode === 'hang') return
    if (state.mode === 'error') {
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"server_error"}')
      return
    }
    if (state.mode === 'invalid_client') {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_client"}')
      return
    }
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const upstream = await fetch(target, {
      method: req.method ?? 'POST',
      headers: { 'content-type': req.headers['content-type'] ?? 'application/x-www-form-urlencoded' },
      body: Buffer.concat(chunks),
    })
    res.writeHead(upstream.status, {
      'content-type': upstream.headers.get('content-type') ?? 'application/json',
    })
    res.end(Buffer.from(await upstream.arrayBuffer()))
  })
  const listening = await listen(server)
  return Object.assign(state, listening)
}

export interface EchoedRequest {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: string
}

/** A provider API stand-in that answers with what it received (with `status`, 200 by default), and records it. */
export async function startEchoApi(): Promise<
  Listening & { seen: EchoedRequest[]; status: number; contentType: string }
> {
  const seen: EchoedRequest[] = []
  const state = { status: 200, contentType: 'application/json' }
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const echoed = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    }
    seen.push(echoed)
    res.writeHead(state.status, {
      'content-type': state.contentType,
      'set-cookie': 'provider=1',
      'x-provider': 'echo',
      'x-ratelimit-remaining': '41',
      etag: '"e1"',
      'access-control-allow-origin': 'https://evil.example',
      'access-control-allow-credentials': 'true',
      'strict-transport-security': 'max-age=63072000; includeSubDomains',
      'clear-site-data': '"cookies"',
      location: 'https://evil.example/',
    })
    res.end(JSON.stringify(echoed))
  })
  return Object.assign(state, await listen(server), { seen })
}

/**
 * A server that answers every request with up to 64 MiB as fast as the client reads, with a
 * Content-Length, or chunked without one when the path contains `chunked`: a client that stops
 * reading stops the stream, so `sent()` tells how much it took.
 */
export async function startHugeAnswers(): Promise<Listening & { sent(): number }> {
  const total = 64 * 1024 * 1024
  let sent = 0
  const server = createServer((req, res) => {
    const chunk = Buffer.alloc(64 * 1024, 'a')
    const chunked = req.url?.includes('chunked')
    res.writeHead(200, chunked ? { 'content-type': 'application/json' } : { 'content-length': total })
    const pump = () => {
      while (sent < total) {
        sent += chunk.length
        if (!res.write(chunk)) return void res.once('drain', pump)
      }
      res.end()
    }
    pump()
  })
  return { ...(await listen(server)), sent: () => sent }
}
