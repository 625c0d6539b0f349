/**
 * A provider's API on 127.0.0.1, in a process of its own, for the proxied GETs of the agents
 * benchmark (#7): every GET answers a small JSON document, so that both sides of a comparison pay
 * the same upstream. Nothing here checks the credential: the benchmark measures the router.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { onStop, ready } from '../lib/child.js'

const body = JSON.stringify({
  data: [
    { id: 1, name: 'first' },
    { id: 2, name: 'second' },
  ],
})

const server = createServer((req, res) => {
  req.resume()
  res.writeHead(req.method === 'GET' ? 200 : 405, { 'content-type': 'application/json' })
  res.end(body)
})
server.keepAliveTimeout = 60_000
await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve))

onStop(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})
ready({ port: (server.address() as AddressInfo).port, pid: process.pid })
