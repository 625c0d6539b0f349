/**
 * #7 Agents (issue 15): token vending and a proxied GET (to servers/fake-api.ts) by an agent through
 * its policy — read_write, allowedModels A and B, no step-up, a rate limit it never reaches and a time
 * window covering the whole week in a real IANA zone, so the gate runs every rule and allows — against
 * the same calls by the owner with no policy (the path of #1, `authorize` allowing token and proxy).
 * On the memory store (in-process lock and rate counter) and on Redis (store, RedisLock and rate
 * counter). Requests/s ratio (target ≥ 0.9) and p50/p99 latency.
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

/** Every rule is evaluated and allows: a limit no run reaches, a window of the whole week. */
const POLICY_RULES = {
  defaultMode: 'read_write',
  stepUpApproval: 'never',
  allowedModels: ['A', 'B'],
  rateLimits: [{ limit: 10_000_000, per: 'minute' }],
  timeWindows: [
    {
      days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
      start: '00:00',
      end: '24:00',
      timeZone: 'Europe/Berlin',
    },
  ],
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

interface Caller {
  connection: string
  headers: Record<string, string>
}

/** The owner, with a connection and no policy on it. */
async function ownerCaller(server: ServerHandle): Promise<Caller> {
  const connection = await connectApiKey(`${server.url}/integrations`, OWNER, 'bench_key_000000000001')
  return { connection, headers: { 'x-user': OWNER } }
}

/** The least a policy can say and still let the calls through: no limit, no window, no approval. */
const BARE_RULES = { defaultMode: 'read_write', stepUpApproval: 'never', allowedModels: ['A', 'B'] }

/** An agent of the owner's registry, bound to a connection by a policy (every rule set, by default). */
async function agentCaller(server: ServerHandle, rules: object = POLICY_RULES, n = 2): Promise<Caller> {
  const mount = `${server.url}/integrations`
  const connection = await connectApiKey(mount, OWNER, `bench_key_00000000000${n}`)
  const { agent, key } = await post<{ agent: { id: string }; key: string }>(`${mount}/agents`, {
    name: 'Bench agent',
  })
  await post(`${mount}/policies`, { connectionId: connection, agentId: agent.id, ...rules })
  return { connection, headers: { authorization: `Bearer ${key}` } }
}

function namespaceOf(ctx: BenchContext, kind: StoreKind, role: string): string {
  return `bench-${ctx.runId}-agents-${kind}-${role}`
}

const CALLS = [
  { id: 'token', bench: '#7 agent token vending (HTTP)', path: (c: string) => `/connections/${c}/token` },
  { id: 'proxy', bench: '#7 agent proxied GET (HTTP)', path: (c: string) => `/connections/${c}/proxy/items` },
] as const

async function agentsOn(ctx: BenchContext, kind: StoreKind, baseline: ServerHandle, subject: ServerHandle) {
  const [owner, agent] = [await ownerCaller(baseline), await agentCaller(subject)]
  const figures: Figure[] = []
  for (const call of CALLS) {
    const url = (server: ServerHandle, caller: Caller) =>
      `${server.url}/integrations${call.path(caller.connection)}`
    const run = (server: ServerHandle, caller: Caller) => (seconds: number) =>
      load({ url: url(server, caller), durationSec: seconds, headers: caller.headers })
    const results = await compareLoads({
      label: `#7 ${call.id} ${kind}`,
      baselineName: 'owner, no policy',
      rounds: ctx.quick ? 3 : 5,
      durationSec: ctx.quick ? 1 : 5,
      warmupSec: ctx.quick ? 1 : 3,
      expect: 200,
      baseline: run(baseline, owner),
      subject: run(subject, agent),
    })
    const [rps, p50, p99] = loadFigures(call.bench, kind, results)
    rps.target = `ratio ≥ ${TARGET}`
    rps.verdict = verdictOf((rps.ratio?.ratio ?? 0) >= TARGET)
    figures.push(rps, p50, p99)
  }
  // What the rules themselves cost (the limit and the window), apart from being an agent: the same
  // agent call through a policy that only lets it through. For the record; the target is the owner's.
  const bare = await agentCaller(baseline, BARE_RULES, 3)
  const rules = await compareLoads({
    label: `#7 rules ${kind}`,
    baselineName: 'agent, policy without limit or window',
    rounds: ctx.quick ? 3 : 5,
    durationSec: ctx.quick ? 1 : 5,
    warmupSec: ctx.quick ? 1 : 3,
    expect: 200,
    baseline: (seconds) =>
      load({
        url: `${baseline.url}/integrations/connections/${bare.connection}/token`,
        durationSec: seconds,
        headers: bare.headers,
      }),
    subject: (seconds) =>
      load({
        url: `${subject.url}/integrations/connections/${agent.connection}/token`,
        durationSec: seconds,
        headers: agent.headers,
      }),
  })
  figures.push(loadFigures('#7 agent token vending, the rules alone (HTTP)', kind, rules)[0] as Figure)
  return figures
}

export const agents: Benchmark = {
  id: 'agents',
  title: '#7 an agent through its policy (token vending, proxied GET) vs the owner with no policy',
  async run(ctx) {
    let servers: ServerHandle[] = []
    let api: ServerHandle | undefined
    try {
      api = await startServer('agents-fake-api', 'servers/fake-api.ts', {})
      const apiBaseUrl = api.url
      servers = await startServers(
        KINDS.flatMap((kind) =>
          (['baseline', 'subject'] as const).map((role) => {
            const namespace = namespaceOf(ctx, kind, role)
            const config: AgentsServerConfig = {
              store: kind === 'redis' ? { kind, namespace, url: ctx.redisUrl } : { kind, namespace },
              encryptionKey: ctx.encryptionKey,
              apiBaseUrl,
              ...(kind === 'redis' ? { redisUrl: ctx.redisUrl } : {}),
            }
            return {
              name: `agents-${kind}-${role}`,
              entry: 'servers/agents.ts',
              config,
              options: { profile: true },
            }
          }),
        ),
      )
      const figures: Figure[] = []
      for (const [i, kind] of KINDS.entries()) {
        const [baseline, subject] = servers.slice(2 * i, 2 * i + 2) as [ServerHandle, ServerHandle]
        figures.push(...(await agentsOn(ctx, kind, baseline, subject)))
      }
      return figures
    } finally {
      await stopAll([...servers, api])
      // Audit appends still in flight when a server closed its store land after its own clean-up.
      for (const role of ['baseline', 'subject'])
        await dropRedisNamespace(ctx.redisUrl, namespaceOf(ctx, 'redis', role))
    }
  },
}
