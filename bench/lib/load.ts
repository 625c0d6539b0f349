import autocannon from 'autocannon'

export interface LoadOptions {
  url: string
  durationSec: number
  connections?: number
  headers?: Record<string, string>
  /** GET unless given; a body without a method is a POST (a tool run, an MCP call). */
  method?: 'GET' | 'POST'
  body?: string
  /** The status every answer must have (default 200). */
  expect?: number
}

export interface LoadResult {
  rps: number
  p50: number
  p99: number
  total: number
  /** Answers with another status than expected, plus connection errors and timeouts. */
  failures: number
  statuses: Record<string, number>
  /** The server's CPU time per answered request, in ms, where measured (lib/cpu-time.ts). */
  cpuMsPerRequest?: number
}

/** One autocannon run (HTTP/1.1 keep-alive, no pipelining) against a server in another process. */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    connections: options.connections ?? 10,
    duration: options.durationSec,
    headers: options.headers ?? {},
    ...(options.method || options.body !== undefined ? { method: options.method ?? ('POST' as const) } : {}),
    ...(options.body === undefined ? {} : { body: options.body }),
  })
  const statuses: Record<string, number> = {}
  for (const [status, { count }] of Object.entries(result.statusCodeStats ?? {})) {
    statuses[status] = count ?? 0
  }
  const expected = String(options.expect ?? 200)
  const answered = Object.values(statuses).reduce((a, b) => a + b, 0)
  return {
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    failures: answered - (statuses[expected] ?? 0) + result.errors + result.timeouts,
    statuses,
  }
}
