/**
 * #8 Tools (issue 16): a tool run (`POST /connections/:id/tools/list_items/run`, a GET tool with a
 * query field and a small field map, servers/agents.ts BENCH_TOOLS) against the same call through
 * the proxy (`GET /connections/:id/proxy/items?limit=2`) by the same caller (the owner, `authorize`
 * allowing both), on the same server and connection, to servers/fake-api.ts. What the run adds is
 * input validation, the request built from the definition, the settings read and the field map.
 * On the memory store and on Redis. Requests/s ratio (target ≥ 0.9) and p50/p99 latency.
 */
import { type ServerHandle, startServer, startServers, stopAll } from '../lib/children.js'
import { compareLoads, loadFigures } from '../lib/compare.js'
import type { BenchContext, Benchmark } from '../lib/context.js'
import { load } from '../lib/load.js'
import { connectApiKey } from '../lib/oauth-flow.js'
import { type Figure, verdictOf } from '../lib/report.js'
import { dropRedisNamespace, type StoreKind } from '../lib/stores.js'
import type { AgentsServerConfig } from '../servers/agents.js'

const TARGET = 0.9
const OWNER = 'bench-user'
const KINDS: StoreKind[] = ['memory', 'redis']
const HEADERS = { 'x-user': OWNER }

function namespaceOf(ctx: BenchContext, kind: StoreKind): string {
  return `bench-${ctx.runId}-tools-${kind}`
}

/** One tool run answered 200 with the mapped output: the load below would count anything else. */
async function checkRun(url: string): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { ...HEADERS, 'content-type': 'application/json' },
    body: JSON.stringify({ input: { limit: 2 } }),
  })
  const text = await response.text()
  if (response.status !== 200 || !text.includes('"items"')) {
    throw new Error(`the tool run answered ${response.status}: ${text}`)
  }
}

async function toolsOn(ctx: BenchContext, kind: StoreKind, server: ServerHandle): Promise<Figure[]> {
  const mount = `${server.url}/integrations`
  const connection = await connectApiKey(mount, OWNER, 'bench_key_000000000008')
  const runUrl = `${mount}/connections/${connection}/tools/list_items/run`
  await checkRun(runUrl)
  const results = await compareLoads({
    label: `#8 tools ${kind}`,
    baselineName: 'proxy',
    rounds: ctx.quick ? 3 : 5,
    durationSec: ctx.quick ? 1 : 5,
    warmupSec: ctx.quick ? 1 : 3,
    expect: 200,
    baseline: (seconds) =>
      load({
        url: `${mount}/connections/${connection}/proxy/items?limit=2`,
        durationSec: seconds,
        headers: HEADERS,
      }),
    subject: (seconds) =>
      load({
        url: runUrl,
        durationSec: seconds,
        method: 'POST',
        headers: { ...HEADERS, 'content-type': 'application/json' },
        body: JSON.stringify({ input: { limit: 2 } }),
      }),
  })
  const [rps, p50, p99] = loadFigures('#8 tool run vs proxied GET (HTTP)', kind, results)
  rps.target = `ratio ≥ ${TARGET}`
  rps.verdict = verdictOf((rps.ratio?.ratio ?? 0) >= TARGET)
  return [rps, p50, p99]
}

export const tools: Benchmark = {
  id: 'tools',
  title: '#8 a tool run (GET tool, small field map) vs the same call through the proxy, by the owner',
  async run(ctx) {
    let servers: ServerHandle[] = []
    let api: ServerHandle | undefined
    try {
      api = await startServer('tools-fake-api', 'servers/fake-api.ts', {})
      const apiBaseUrl = api.url
      servers = await startServers(
        KINDS.map((kind) => {
          const namespace = namespaceOf(ctx, kind)
          const config: AgentsServerConfig = {
            store: kind === 'redis' ? { kind, namespace, url: ctx.redisUrl } : { kind, namespace },
            encryptionKey: ctx.encryptionKey,
            apiBaseUrl,
            tools: true,
            ...(kind === 'redis' ? { redisUrl: ctx.redisUrl } : {}),
          }
          return { name: `tools-${kind}`, entry: 'servers/agents.ts', config, options: { profile: true } }
        }),
      )
      const figures: Figure[] = []
      for (const [i, kind] of KINDS.entries()) {
        figures.push(...(await toolsOn(ctx, kind, servers[i] as ServerHandle)))
      }
      return figures
    } finally {
      await stopAll([...servers, api])
      await dropRedisNamespace(ctx.redisUrl, namespaceOf(ctx, 'redis'))
    }
  },
}
