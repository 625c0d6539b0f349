/**
 * Two instances of the app (instance.ts) on one Redis, behind a tiny round-robin proxy: every request
 * goes to the next instance in turn, as a load balancer would send it. Ctrl-C stops everything.
 */
import { type ChildProcess, fork } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const encryptionKey = process.env.CONNECTIONS_KEY ?? randomBytes(32).toString('base64')
if (!process.env.CONNECTIONS_KEY) {
  console.warn(
    'CONNECTIONS_KEY is not set: using a key made up for this run, so what is stored in Redis now\n' +
      'cannot be decrypted after a restart. Make one with:\n' +
      "  node -e \"console.log(require('node:crypto').randomBytes(32).toString('base64'))\"",
  )
}

// The proxy: the next instance in turn, request and answer streamed through unchanged.
const instancePorts: number[] = []
let turn = 0
const proxy = http.createServer((req, res) => {
  const port = instancePorts[turn++ % instancePorts.length]
  if (port === undefined) {
    res.writeHead(503).end('Starting…')
    return
  }
  const upstream = http.request(
    { host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    },
  )
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502)
    res.end()
  })
  req.pipe(upstream)
})
await new Promise<void>((resolve) => proxy.listen(Number(process.env.PORT ?? 3000), resolve))
const url = `http://localhost:${(proxy.address() as AddressInfo).port}`

// The instances learn the public URL (the proxy's) as their baseUrl: callback URLs and the allowed
// return origin come from it, whichever instance answers.
const instances: ChildProcess[] = []
let stopping = false
function stop() {
  stopping = true
  for (const instance of instances) instance.kill('SIGTERM')
  proxy.close()
  proxy.closeAllConnections()
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)

for (const name of ['instance-1', 'instance-2']) {
  console.log(`${name}: connecting to Redis at ${redisUrl}…`)
  // fork runs instance.ts with this process's flags (tsx's loader) and an IPC channel for its port.
  const instance = fork(fileURLToPath(new URL('./instance.ts', import.meta.url)), {
    env: {
      ...process.env,
      INSTANCE_NAME: name,
      BASE_URL: url,
      CONNECTIONS_KEY: encryptionKey,
      REDIS_URL: redisUrl,
    },
  })
  instances.push(instance)
  instance.on('exit', (code) => {
    if (stopping) return
    console.error(`${name} stopped (exit code ${code}): stopping everything.`)
    process.exitCode = 1
    stop()
  })
  const port = await new Promise<number | undefined>((resolve) => {
    const done = (port?: number) => {
      clearTimeout(timer)
      resolve(port)
    }
    const timer = setTimeout(() => done(), 10_000)
    instance.once('exit', () => done())
    instance.once('message', (message) => done((message as { port: number }).port))
  })
  if (stopping) break
  if (port === undefined) {
    console.error(`${name} did not start within 10 s: is Redis running at ${redisUrl}?`)
    process.exitCode = 1
    stop()
    break
  }
  instancePorts.push(port)
}

if (!stopping) {
  console.log(`Proxy listening on ${url}, in front of ${instancePorts.length} instances. Try:
  curl -X POST ${url}/integrations/connections -H 'content-type: application/json' \\
       -d '{"provider":"demo","credentials":{"apiKey":"demo_0123456789"}}'
  curl -i ${url}/integrations/connections   (twice: x-instance says which instance answered)`)
}
