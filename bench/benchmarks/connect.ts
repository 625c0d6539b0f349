/**
 * #5 Connect redirect: `GET /connect/:provider` → 302 requests/s, against Grant's `/connect/:provider`
 * mounted in the same kind of Express app (same login middleware, same express-session).
 */
import { type ServerHandle, startServers, stopAll } from '../lib/children.js'
import type { Benchmark } from '../lib/context.js'
import { alternate, ratioOf, spread } from '../lib/harness.js'
import { type LoadResult, load } from '../lib/load.js'
import { log } from '../lib/log.js'
import type { Figure } from '../lib/report.js'
import type { ConnectServerConfig } from '../servers/connect.js'

export const connect: Benchmark = {
  id: 'connect',
  title: '#5 connect redirect (302) vs Grant',
  async run(ctx) {
    const durationSec = ctx.quick ? 1 : 5
    const rounds = ctx.quick ? 3 : 5
    let servers: ServerHandle[] = []
    try {
      servers = await startServers(
        (['grant', 'subject'] as const).map((role) => ({
          name: `connect-${role}`,
          entry: 'servers/connect.ts',
          config: { role, encryptionKey: ctx.encryptionKey } satisfies ConnectServerConfig,
          options: { profile: true },
        })),
      )
      const [grant, subject] = servers as [ServerHandle, ServerHandle]
      for (const server of servers) {
        const answer = await fetch(`${server.url}/integrations/connect/local`, { redirect: 'manual' })
        const location = answer.headers.get('location') ?? ''
        if (answer.status !== 302 || !location.startsWith('http://127.0.0.1:9/authorize?')) {
          throw new Error(`${server.name} answered ${answer.status} ${location}`)
        }
        if (!/code_challenge=/.test(location) || !/state=/.test(location)) {
          throw new Error(`${server.name} redirects without state or PKCE: ${location}`)
        }
      }
      const run = (server: ServerHandle, seconds: number) =>
        load({ url: `${server.url}/integrations/connect/local`, durationSec: seconds, expect: 302 })
      log('  #5: warm-up')
      await run(grant, ctx.quick ? 1 : 3)
      await run(subject, ctx.quick ? 1 : 3)
      const results = await alternate<LoadResult>(
        rounds,
        () => run(grant, durationSec),
        () => run(subject, durationSec),
        (round, b, s) =>
          log(
            `  #5 round ${round + 1}/${rounds}: Grant ${b.rps.toFixed(0)} req/s, router ${s.rps.toFixed(0)} req/s`,
          ),
      )
      const failures = [...results.baseline, ...results.subject].reduce((n, r) => n + r.failures, 0)
      if (failures > 0) throw new Error(`#5: ${failures} requests did not answer 302`)
      const figure = (metric: string, unit: string, pick: (r: LoadResult) => number): Figure => {
        const subjectSpread = spread(results.subject.map(pick))
        const baselineSpread = spread(results.baseline.map(pick))
        return {
          bench: '#5 connect redirect (302)',
          case: 'vs Grant 5',
          metric,
          unit,
          subject: subjectSpread,
          baseline: baselineSpread,
          ratio: ratioOf(subjectSpread, baselineSpread),
          verdict: 'info',
        }
      }
      return [
        figure('req/s', '', (r) => r.rps),
        figure('p50 latency', 'ms', (r) => r.p50),
        figure('p99 latency', 'ms', (r) => r.p99),
      ]
    } finally {
      await stopAll(servers)
    }
  },
}
