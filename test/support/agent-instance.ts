/**
 * A process of the agent layer's shared parts, started by test/support/instances.ts
 * (`startCluster(n, config, script)`) behind its balancer, on a Redis or PostgreSQL the processes
 * share: `POST /take?policy=…&now=…` counts a call with the RateCounter (200, or 429 with
 * Retry-After); `POST /consume?owner=…&id=…&agent=…&digest=…&now=…` spends an approval (200 or 409).
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import pg from 'pg'
import { createClient } from 'redis'
import { Approvals } from '../../src/agents/approvals.js'
import { RateCounter, type RateLimitRule } from '../../src/storage/rate-counter.js'
import { SafeStore } from '../../src/storage/safe-store.js'
import { openShared } from './shared-store.js'

export interface AgentInstanceConfig {
  backend: 'redis' | 'postgres'
  url: string
  /** Keyv namespace (Redis) or table (PostgreSQL) of the approvals. */
  namespace: string
  limits: RateLimitRule[]
}

const config = JSON.parse(process.env.INSTANCE_CONFIG ?? '') as AgentInstanceConfig

async function rateStore(): Promise<{ counter: RateCounter; close(): Promise<unknown> }> {
  if (config.backend === 'redis') {
    const client = await createClient({ url: config.url }).connect()
    return { counter: new RateCounter({ redis: client }), close: () => client.quit() }
  }
  const pool = new pg.Pool({ connectionString: config.url, max: 10 })
  return { counter: new RateCounter({ postgres: pool }), close: () => pool.end() }
}

const rates = await rateStore()
const shared = await openShared(config)
const approvals = new Approvals(new SafeStore(shared.store, 10_000), shared.lock)

async function answer(url: URL): Promise<{ status: number; headers?: Record<string, string> }> {
  const q = (name: string) => url.searchParams.get(name) ?? ''
  const now = new Date(Number(q('now') || Date.now()))
  if (url.pathname === '/consume') {
    const result = await approvals.consume(
      q('owner'),
      q('id'),
      { agentId: q('agent'), digest: q('digest') },
      now,
    )
    return { status: result.ok ? 200 : 409 }
  }
  const result = await rates.counter.take(q('policy'), config.limits, now)
  if (result.ok) return { status: 200 }
  return { status: 429, headers: { 'retry-after': String(result.retryAfterSeconds) } }
}

const server = http.createServer((req, res) => {
  answer(new URL(req.url ?? '/', 'http://instance')).then(
    ({ status, headers }) => res.writeHead(status, headers).end(),
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
  void Promise.all([rates.close(), shared.close()]).finally(() => process.exit(0))
})
