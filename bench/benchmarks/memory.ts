/**
 * #6 Memory: RSS and heap growth of the server process after creating 100,000 connections (2,000
 * with --quick) through the service (`POST /connections`, API keys checked locally; 10 per owner) on
 * SQLite, measured after GC (--expose-gc). The baseline stores the same number of sealed records by
 * hand (one keyv.set each). SQLite runs in WAL mode with synchronous=NORMAL here, in both apps: with
 * @keyv/sqlite's defaults every write is an fsync (~1.2 ms on this disk) and 100,000 connections
 * (about a dozen writes each) would take a quarter of an hour; the journal mode does not change what
 * the Node process holds.
 */
import http from 'node:http'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { type ServerHandle, startServer, stopAll } from '../lib/children.js'
import type { BenchContext, Benchmark } from '../lib/context.js'
import { spread } from '../lib/harness.js'
import { log } from '../lib/log.js'
import type { Figure } from '../lib/report.js'
import type { VendingServerConfig } from '../servers/vending.js'

const PER_OWNER = 10
const CONCURRENCY = 16
const MiB = 2 ** 20

interface Memory {
  rss: number
  heapUsed: number
  external: number
  arrayBuffers: number
  gc: boolean
}

interface Growth {
  rss: number
  heapUsed: number
  external: number
  perSecond: number
}

async function memoryOf(server: ServerHandle): Promise<Memory> {
  return (await (await fetch(`${server.url}/__bench/memory`)).json()) as Memory
}

/** POSTs `count` connections, `CONCURRENCY` at a time, on keep-alive sockets. */
async function create(server: ServerHandle, label: string, from: number, count: number): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY })
  let next = from
  let done = 0
  let lastReport = performance.now()
  const started = performance.now()
  const post = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const body = JSON.stringify({
        provider: 'bench',
        credentials: { apiKey: `bench_key_${String(i).padStart(12, '0')}` },
      })
      const request = http.request(
        `${server.url}/integrations/connections`,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'x-user': `memory-owner-${Math.floor(i / PER_OWNER)}`,
          },
        },
        (response) => {
          response.resume()
          response.on('end', () =>
            response.statusCode === 201
              ? resolve()
              : reject(new Error(`POST answered ${response.statusCode}`)),
          )
        },
      )
      request.on('error', reject)
      request.end(body)
    })
  const worker = async () => {
    while (next < from + count) {
      await post(next++)
      done += 1
      if (performance.now() - lastReport > 10_000) {
        lastReport = performance.now()
        log(
          `  #6 ${label}: ${done.toLocaleString('en-US')}/${count.toLocaleString('en-US')} connections created`,
        )
      }
    }
  }
  try {
    await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  } finally {
    agent.destroy()
  }
  return count / ((performance.now() - started) / 1000)
}

async function measure(ctx: BenchContext, role: 'subject' | 'baseline', count: number): Promise<Growth> {
  let server: ServerHandle | undefined
  try {
    server = await startServer(
      `memory-${role}`,
      'servers/vending.ts',
      {
        role,
        store: {
          kind: 'sqlite',
          namespace: 'connections',
          file: join(ctx.runDir, `memory-${role}.sqlite`),
          wal: true,
        },
        encryptionKey: ctx.encryptionKey,
      } satisfies VendingServerConfig,
      { nodeArgs: ['--expose-gc'], profile: true },
    )
    const label = role === 'subject' ? 'router' : 'baseline'
    // Warm-up, not counted: code paths compiled, caches and pools at their working size.
    await create(server, label, 10_000_000, ctx.quick ? 200 : 1000)
    const before = await memoryOf(server)
    if (!before.gc) throw new Error('the server was started without --expose-gc')
    const perSecond = await create(server, label, 0, count)
    const after = await memoryOf(server)
    log(
      `  #6 ${label}: ${count.toLocaleString('en-US')} connections at ${perSecond.toFixed(0)}/s; ` +
        `RSS ${(before.rss / MiB).toFixed(0)} → ${(after.rss / MiB).toFixed(0)} MiB, ` +
        `heap ${(before.heapUsed / MiB).toFixed(1)} → ${(after.heapUsed / MiB).toFixed(1)} MiB`,
    )
    return {
      rss: after.rss - before.rss,
      heapUsed: after.heapUsed - before.heapUsed,
      external: after.external - before.external,
      perSecond,
    }
  } finally {
    await stopAll([server])
  }
}

export const memory: Benchmark = {
  id: 'memory',
  title: '#6 memory: RSS growth after creating 100,000 connections through the service on SQLite',
  async run(ctx) {
    const count = ctx.quick ? 2_000 : 100_000
    const baseline = await measure(ctx, 'baseline', count)
    const subject = await measure(ctx, 'subject', count)
    const bench = `#6 memory, ${count.toLocaleString('en-US')} connections`
    const one = (value: number) => spread([value])
    const figure = (metric: string, unit: string, pick: (g: Growth) => number, note?: string): Figure => ({
      bench,
      case: 'sqlite (WAL)',
      metric,
      unit,
      subject: one(pick(subject)),
      baseline: one(pick(baseline)),
      verdict: 'info',
      ...(note ? { note } : {}),
    })
    return [
      figure(
        'RSS growth',
        'MiB',
        (g) => g.rss / MiB,
        'after GC, from after a warm-up (1,000 connections; 200 with --quick) to the end',
      ),
      figure('heapUsed growth', 'MiB', (g) => g.heapUsed / MiB),
      figure('RSS growth per connection', 'B', (g) => g.rss / count),
      figure('heapUsed growth per connection', 'B', (g) => g.heapUsed / count),
      figure('connections created/s (16 concurrent)', '', (g) => g.perSecond),
    ]
  },
}
