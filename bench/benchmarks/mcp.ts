/**
 * #9 MCP (issue 17): `tools/call` over `/mcp` (stateless streamable HTTP, a JSON answer) against the
 * same tool run over HTTP (`POST /connections/:id/tools/list_items/run`), by the same agent through
 * the same policy (read_write, no step-up, no limit), on the same router: what the MCP face costs on
 * top of the runner (the SDK's server and transport per request, JSON-RPC, and the lookup of the
 * tool's name among the agent's connections). On the memory store and on Redis (store, RedisLock and
 * rate counter). Requests/s ratio (target ≥ 0.8) and p50/p99 latency.
 */
import { type ServerHandle, startServer, startServers, stopAll } from '../lib/children.js'
import { compareLoads, loadFigures } from '../lib/compare.js'
import type { BenchContext, Benchmark } from '../lib/context.js'
import { load } from '../lib/load.js'
import { connectApiKey } from '../lib/oauth-flow.js'
import { type Figure, verdictOf } from '../lib/report.js'
import { dropRedisNamespace, type StoreKind } from '../lib/stores.js'
import type { AgentsServerConfig } from '../servers/agents.js'

const TARGET = 0.8
const OWNER = 'bench-user'
const KINDS: StoreKind[] = ['memory', 'redis']
const INPUT = { limit: 2 }

const MCP_CALL = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: { name: 'bench__list_items', arguments: INPUT },
})

interface Agent {
  connection: string
  key: string
}

async function post<T>(url: string, body: unknown): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-user': OWNER },
    body: JSON.stringify(body),
  })
  const parsed = (await response.json()) as { data?: T }
  if (response.status !== 201 || !parsed.data) {
    throw new Error(`POST ${new URL(url).pathname} answered ${response.status}: ${JSON.stringify(parsed)}`)
  }
  return parsed.data
}

async function boundAgent(server: ServerHandle): Promise<Agent> {
  const mount = `${server.url}/integrations`
  const connection = await connectApiKey(mount, OWNER, 'bench_key_000000000008')
  const { agent, key } = await post<{ agent: { id: string }; key: string }>(`${mount}/agents`, {
    name: 'Bench agent',
  })
  await post(`${mount}/policies`, {
    connectionId: connection,
    agentId: agent.id,
    defaultMode: 'read_write',
    stepUpApproval: 'never',
  })
  return { connection, key }
}

const mcpHeaders = (key: string) => ({
  authorization: `Bearer ${key}`,
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  'mcp-protocol-version': '2025-06-18',
})

/** Both faces answer the call with the tool's output before anything is measured. */
async function checkBothFaces(server: ServerHandle, agent: Agent): Promise<void> {
  const mount = `${server.url}/integrations`
  const http = await fetch(`${mount}/connections/${agent.connection}/tools/list_items/run`, {
    method: 'POST',
    headers: { authorization: `Bearer ${agent.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ input: INPUT }),
  })
  if (http.status !== 200) throw new Error(`the HTTP run answered ${http.status}: ${await http.text()}`)
  const mcp = await fetch(`${mount}/mcp`, { method: 'POST', headers: mcpHeaders(agent.key), body: MCP_CALL })
  const answer = (await mcp.json()) as { result?: { isError?: boolean; structuredContent?: unknown } }
  if (mcp.status !== 200 || !answer.result || answer.result.isError || !answer.result.structuredContent)
    throw new Error(`tools/call over /mcp answered ${mcp.status}: ${JSON.stringify(answer)}`)
}

async function mcpOn(ctx: BenchContext, kind: StoreKind, server: ServerHandle): Promise<Figure[]> {
  const agent = await boundAgent(server)
  await checkBothFaces(server, agent)
  const mount = `${server.url}/integrations`
  const results = await compareLoads({
    label: `#9 tools/call ${kind}`,
    baselineName: 'tool run over HTTP',
    rounds: ctx.quick ? 3 : 5,
    durationSec: ctx.quick ? 1 : 5,
    warmupSec: ctx.quick ? 1 : 3,
    expect: 200,
    baseline: (seconds) =>
      load({
        url: `${mount}/connections/${agent.connection}/tools/list_items/run`,
        durationSec: seconds,
        headers: { authorization: `Bearer ${agent.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ input: INPUT }),
      }),
    subject: (seconds) =>
      load({ url: `${mount}/mcp`, durationSec: seconds, headers: mcpHeaders(agent.key), body: MCP_CALL }),
  })
  const [rps, p50, p99] = loadFigures('#9 tools/call over /mcp', kind, results)
  rps.target = `ratio ≥ ${TARGET}`
  rps.verdict = verdictOf((rps.ratio?.ratio ?? 0) >= TARGET)
  return [rps, p50, p99]
}

function namespaceOf(ctx: BenchContext, kind: StoreKind): string {
  return `bench-${ctx.runId}-mcp-${kind}`
}

export const mcp: Benchmark = {
  id: 'mcp',
  title: '#9 tools/call over /mcp vs the same tool run over HTTP (same agent, policy and router)',
  async run(ctx) {
    let servers: ServerHandle[] = []
    let api: ServerHandle | undefined
    try {
      api = await startServer('mcp-fake-api', 'servers/fake-api.ts', {})
      const apiBaseUrl = api.url
      servers = await startServers(
        KINDS.map((kind) => {
          const namespace = namespaceOf(ctx, kind)
          const config: AgentsServerConfig = {
            store: kind === 'redis' ? { kind, namespace, url: ctx.redisUrl } : { kind, namespace },
            encryptionKey: ctx.encryptionKey,
            apiBaseUrl,
            ...(kind === 'redis' ? { redisUrl: ctx.redisUrl } : {}),
          }
          return { name: `mcp-${kind}`, entry: 'servers/mcp.ts', config, options: { profile: true } }
        }),
      )
      const figures: Figure[] = []
      for (const [i, kind] of KINDS.entries()) {
        figures.push(...(await mcpOn(ctx, kind, servers[i] as ServerHandle)))
      }
      return figures
    } finally {
      await stopAll([...servers, api])
      await dropRedisNamespace(ctx.redisUrl, namespaceOf(ctx, 'redis'))
    }
  },
}
