/**
 * #5 Connect redirect: `GET /connect/:provider` → 302 requests/s, against Grant's `/connect/:provider`
 * mounted in the same kind of Express app (same login middleware, same express-session).
 */
import { type ServerHandle, startServers, stopAll } from '../lib/children.js'
import { compareLoads, loadFigures } from '../lib/compare.js'
import type { Benchmark } from '../lib/context.js'
import { load } from '../lib/load.js'
import { verdictOf } from '../lib/report.js'
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
      const results = await compareLoads({
        label: '#5',
        baselineName: 'Grant',
        rounds,
        durationSec,
        warmupSec: ctx.quick ? 1 : 3,
        expect: 302,
        baseline: (seconds) => run(grant, seconds),
        subject: (seconds) => run(subject, seconds),
      })
      const [rps, ...rest] = loadFigures('#5 connect redirect (302)', 'vs Grant 5', results)
      // Issue 19's target: at least Grant's rate, the flow kept server-side.
      rps.target = 'ratio ≥ 1.0'
      rps.verdict = verdictOf((rps.ratio?.ratio ?? 0) >= 1)
      return [rps, ...rest]
    } finally {
      await stopAll(servers)
    }
  },
}
