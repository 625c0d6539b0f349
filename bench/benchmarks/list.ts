/**
 * #3 List cost vs store size: `connections.list` for an owner with 10 connections in a store of 10
 * owners and in one of 100,000 owners (10,000 with --quick), on SQLite and Redis (workers/list.ts).
 * Latency ratio big/small, target ≤ 1.2.
 */
import { runWorker } from '../lib/children.js'
import type { Benchmark } from '../lib/context.js'
import { ratioOf, spread } from '../lib/harness.js'
import { type Figure, verdictOf } from '../lib/report.js'
import type { ListConfig, ListResult, ListRound } from '../workers/list.js'

const TARGET = 1.2

export const list: Benchmark = {
  id: 'list',
  title: '#3 list cost vs store size (10 owners vs 100,000 owners)',
  async run(ctx) {
    const owners = ctx.quick ? 10_000 : 100_000
    const figures: Figure[] = []
    for (const backend of ['sqlite', 'redis'] as const) {
      const config: ListConfig = {
        backend,
        owners,
        rounds: ctx.quick ? 3 : 7,
        callsPerRound: ctx.quick ? 200 : 1000,
        runDir: ctx.runDir,
        runId: ctx.runId,
        encryptionKey: ctx.encryptionKey,
        redisUrl: ctx.redisUrl,
        redisDbs: [14, 15],
      }
      const result = await runWorker<ListResult>(`list-${backend}`, 'workers/list.ts', config, {
        profile: true,
      })
      const figure = (metric: string, pick: (r: ListRound) => number): Figure => {
        const big = spread(result.big.map(pick))
        const small = spread(result.small.map(pick))
        return {
          bench: '#3 list, 10 connections',
          case: `${backend}: ${owners.toLocaleString('en-US')} vs 10 owners`,
          metric,
          unit: 'ms',
          subject: big,
          baseline: small,
          ratio: ratioOf(big, small),
          verdict: 'info',
        }
      }
      const p50 = figure('p50 latency', (r) => r.p50)
      p50.target = `ratio ≤ ${TARGET}`
      p50.verdict = verdictOf((p50.ratio?.ratio ?? Number.POSITIVE_INFINITY) <= TARGET)
      p50.note =
        `big store ${result.keys.big.toLocaleString('en-US')} keys, small ${result.keys.small} keys ` +
        `(seeded in ${result.seedSeconds.toFixed(0)} s); "express-connections" = big store, "baseline" = small store`
      figures.push(
        p50,
        figure('p99 latency', (r) => r.p99),
      )
    }
    return figures
  },
}
