/**
 * #1 Token vending over HTTP: `GET /connections/:id/token` (an API-key connection: the token never
 * expires) against a bare Express route doing one `keyv.get` and one AES-256-GCM decrypt, on the
 * memory and SQLite stores. Requests/s ratio (target ≥ 0.85) and p50/p99 latency.
 */
import { join } from 'node:path'
import { type ServerHandle, startServers, stopAll } from '../lib/children.js'
import type { BenchContext, Benchmark } from '../lib/context.js'
import { alternate, ratioOf, spread } from '../lib/harness.js'
import { type LoadResult, load } from '../lib/load.js'
import { log } from '../lib/log.js'
import { connectApiKey } from '../lib/oauth-flow.js'
import { type Figure, verdictOf } from '../lib/report.js'
import type { StoreKind, StoreSpec } from '../lib/stores.js'
import type { VendingServerConfig } from '../servers/vending.js'

const TARGET = 0.85
const OWNER = 'bench-user'

function storeFor(ctx: BenchContext, kind: StoreKind, role: string): StoreSpec {
  const namespace = `bench-${ctx.runId}-vending-${role}`
  if (kind !== 'sqlite') return { kind, namespace }
  return { kind, namespace, file: join(ctx.runDir, `vending-${role}.sqlite`), wal: ctx.sqliteWal }
}

/** How a store shows in the table. */
export function caseName(ctx: BenchContext, kind: StoreKind): string {
  return kind === 'sqlite' && ctx.sqliteWal ? 'sqlite (WAL)' : kind
}

async function vendingOn(ctx: BenchContext, kind: StoreKind, baseline: ServerHandle, subject: ServerHandle) {
  const durationSec = ctx.quick ? 1 : 5
  const rounds = ctx.quick ? 3 : 5
  const url = async (server: ServerHandle) => {
    const id = await connectApiKey(`${server.url}/integrations`, OWNER, 'bench_key_000000000001')
    return `${server.url}/integrations/connections/${id}/token`
  }
  const [baselineUrl, subjectUrl] = [await url(baseline), await url(subject)]
  const headers = { 'x-user': OWNER }
  const run = (target: string, seconds: number) => load({ url: target, durationSec: seconds, headers })
  log(`  #1 ${kind}: warm-up`)
  await run(baselineUrl, ctx.quick ? 1 : 3)
  await run(subjectUrl, ctx.quick ? 1 : 3)
  const results = await alternate<LoadResult>(
    rounds,
    () => run(baselineUrl, durationSec),
    () => run(subjectUrl, durationSec),
    (round, b, s) =>
      log(
        `  #1 ${kind} round ${round + 1}/${rounds}: baseline ${b.rps.toFixed(0)} req/s, router ${s.rps.toFixed(0)} req/s`,
      ),
  )
  const failures = [...results.baseline, ...results.subject].reduce((n, r) => n + r.failures, 0)
  if (failures > 0) throw new Error(`#1 ${kind}: ${failures} requests did not answer 200`)
  const figure = (metric: string, unit: string, pick: (r: LoadResult) => number): Figure => {
    const subjectSpread = spread(results.subject.map(pick))
    const baselineSpread = spread(results.baseline.map(pick))
    return {
      bench: '#1 token vending (HTTP)',
      case: caseName(ctx, kind),
      metric,
      unit,
      subject: subjectSpread,
      baseline: baselineSpread,
      ratio: ratioOf(subjectSpread, baselineSpread),
      verdict: 'info',
    }
  }
  const rps = figure('req/s', '', (r) => r.rps)
  rps.target = `ratio ≥ ${TARGET}`
  rps.verdict = verdictOf((rps.ratio?.ratio ?? 0) >= TARGET)
  return [rps, figure('p50 latency', 'ms', (r) => r.p50), figure('p99 latency', 'ms', (r) => r.p99)]
}

const KINDS: StoreKind[] = ['memory', 'sqlite']

export const vending: Benchmark = {
  id: 'vending',
  title: '#1 token vending over HTTP vs a bare keyv.get + decrypt route',
  async run(ctx) {
    let servers: ServerHandle[] = []
    try {
      servers = await startServers(
        KINDS.flatMap((kind) =>
          (['baseline', 'subject'] as const).map((role) => ({
            name: `vending-${kind}-${role}`,
            entry: 'servers/vending.ts',
            config: {
              role,
              store: storeFor(ctx, kind, role),
              encryptionKey: ctx.encryptionKey,
            } satisfies VendingServerConfig,
            options: { profile: true },
          })),
        ),
      )
      const figures: Figure[] = []
      for (const [i, kind] of KINDS.entries()) {
        const [baseline, subject] = servers.slice(2 * i, 2 * i + 2) as [ServerHandle, ServerHandle]
        figures.push(...(await vendingOn(ctx, kind, baseline, subject)))
      }
      return figures
    } finally {
      await stopAll(servers)
    }
  },
}
