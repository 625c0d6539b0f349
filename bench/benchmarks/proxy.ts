/**
 * #10 Proxied GET (issue 19): the router's `GET /connections/:id/proxy/items` by the owner (no agent)
 * on an API-key connection whose apiBaseUrl is servers/fake-api.ts, against a bare Express route in
 * its own process (servers/vending.ts `baseline`, the same login middleware) that reads the stored
 * key (one `keyv.get`, one decrypt, as #1's baseline), makes one `undici.request` on a keep-alive
 * Agent to the same fake API and streams the answer back. Both on the memory store, both calling the
 * same API process. Requests/s ratio (target ≥ 0.85), p50/p99 latency, and each server's CPU time
 * per request (from /proc: what a request costs, whatever else shares the machine's CPUs).
 */
import { type ServerHandle, startServer, startServers, stopAll } from '../lib/children.js'
import { compareLoads, loadFigures } from '../lib/compare.js'
import type { BenchContext, Benchmark } from '../lib/context.js'
import { withCpu } from '../lib/cpu-time.js'
import { ratioOf, spread } from '../lib/harness.js'
import { type LoadResult, load } from '../lib/load.js'
import { connectApiKey } from '../lib/oauth-flow.js'
import { type Figure, verdictOf } from '../lib/report.js'
import type { VendingServerConfig } from '../servers/vending.js'

const TARGET = 0.85
const OWNER = 'bench-user'

async function proxyOn(ctx: BenchContext, baseline: ServerHandle, subject: ServerHandle): Promise<Figure[]> {
  const url = async (server: ServerHandle) => {
    const id = await connectApiKey(`${server.url}/integrations`, OWNER, 'bench_key_000000000001')
    return `${server.url}/integrations/connections/${id}/proxy/items`
  }
  const [baselineUrl, subjectUrl] = [await url(baseline), await url(subject)]
  const headers = { 'x-user': OWNER, accept: 'application/json' }
  const run = (server: ServerHandle, target: string, seconds: number) =>
    withCpu(server.info.pid as number, () => load({ url: target, durationSec: seconds, headers }))
  const results = await compareLoads({
    label: '#10 memory',
    baselineName: 'undici',
    rounds: ctx.quick ? 3 : 5,
    durationSec: ctx.quick ? 1 : 5,
    warmupSec: ctx.quick ? 1 : 3,
    expect: 200,
    baseline: (seconds) => run(baseline, baselineUrl, seconds),
    subject: (seconds) => run(subject, subjectUrl, seconds),
  })
  const bench = '#10 proxied GET vs direct undici (HTTP)'
  const [rps, p50, p99] = loadFigures(bench, 'memory', results)
  rps.target = `ratio ≥ ${TARGET}`
  rps.verdict = verdictOf((rps.ratio?.ratio ?? 0) >= TARGET)
  const cpu = (side: LoadResult[]) =>
    spread(side.flatMap((r) => (r.cpuMsPerRequest === undefined ? [] : [r.cpuMsPerRequest])))
  const [subjectCpu, baselineCpu] = [cpu(results.subject), cpu(results.baseline)]
  if (subjectCpu.values.length === 0) return [rps, p50, p99]
  const cpuFigure: Figure = {
    bench,
    case: 'memory',
    metric: 'CPU per request',
    unit: 'ms',
    subject: subjectCpu,
    baseline: baselineCpu,
    ratio: ratioOf(subjectCpu, baselineCpu),
    verdict: 'info',
  }
  return [rps, p50, p99, cpuFigure]
}

export const proxy: Benchmark = {
  id: 'proxy',
  title: '#10 proxied GET by the owner vs a bare route making one keep-alive undici request',
  async run(ctx) {
    let servers: ServerHandle[] = []
    let api: ServerHandle | undefined
    try {
      api = await startServer('proxy-fake-api', 'servers/fake-api.ts', {})
      const apiBaseUrl = api.url
      servers = await startServers(
        (['baseline', 'subject'] as const).map((role) => ({
          name: `proxy-memory-${role}`,
          entry: 'servers/vending.ts',
          config: {
            role,
            store: { kind: 'memory', namespace: `bench-${ctx.runId}-proxy-${role}` },
            encryptionKey: ctx.encryptionKey,
            apiBaseUrl,
          } satisfies VendingServerConfig,
          options: { profile: true },
        })),
      )
      const [baseline, subject] = servers as [ServerHandle, ServerHandle]
      return await proxyOn(ctx, baseline, subject)
    } finally {
      await stopAll([...servers, api])
    }
  },
}
