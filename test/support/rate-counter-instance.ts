/**
 * A process that counts calls with the router's RateCounter on a shared Redis or PostgreSQL, started
 * by test/support/instances.ts (`startCluster(n, config, script)`) behind its balancer. `POST
 * /take?policy=…&now=…` answers 200, or 429 with Retry-After, as the router will for a policy's
 * rate limits.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import pg from 'pg'
import { createClient } from 'redis'
import { RateCounter, type RateLimitRule } from '../../src/storage/rate-counter.js'

export interface RateCounterInstanceConfig {
  backend: 'redis' | 'postgres'
  url: string
  limits: RateLimitRule[]
}

const config = JSON.parse(process.env.INSTANCE_CONFIG ?? '') as RateCounterInstanceConfig

async function shared(): Promise<{ counter: RateCounter; close(): Promise<unknown> }> {
  if (config.backend === 'redis') {
    const client = await createClient({ url: config.url }).connect()
    return { counter: new RateCounter({ redis: client }), close: () => client.quit() }
  }
  const pool = new pg.Pool({ connectionString: config.url, max: 10 })
  return { counter: new RateCounter({ postgres: pool }), close: () => pool.end() }
}

const { counter, close } = await shared()
const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://instance')
  const policy = url.searchParams.get('policy') ?? 'policy'
  const now = new Date(Number(url.searchParams.get('now') ?? Date.now()))
  counter.take(policy, config.limits, now).then(
    (result) => {
      if (result.ok) res.writeHead(200).end('ok')
      else res.writeHead(429, { 'retry-after': String(result.retryAfterSeconds) }).end('rate_limited')
    },
    (error: unknown) => {
      process.stderr.write(`error ${error instanceof Error ? error.message : String(error)}\n`)
      res.writeHead(503).end()
    },
  )
})
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`)
})
process.on('SIGTERM', () => {
  server.close()
  void close().finally(() => process.exit(0))
})
