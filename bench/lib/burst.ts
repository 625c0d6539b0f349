import http from 'node:http'
import { performance } from 'node:perf_hooks'

export interface BurstResult {
  /** Milliseconds from sending each request to the end of its answer, sorted. */
  latencies: number[]
  /** Answers other than 200, and socket errors. */
  errors: number
  statuses: Record<string, number>
  wallMs: number
}

/**
 * `total` requests sent at once, spread round-robin over `origins` (one app instance each, as a
 * round-robin load balancer would), each on its own keep-alive socket opened beforehand, so that
 * what is measured is the request and not the TCP handshake.
 */
export class Burst {
  private readonly agents: http.Agent[]

  constructor(
    private readonly origins: string[],
    private readonly total: number,
  ) {
    const perOrigin = Math.ceil(total / origins.length)
    this.agents = origins.map(
      () =>
        new http.Agent({
          keepAlive: true,
          maxSockets: perOrigin,
          maxFreeSockets: perOrigin,
          timeout: 120_000,
        }),
    )
  }

  /** Opens the sockets: `total` concurrent health checks. */
  async open(): Promise<void> {
    await this.fire('/healthz', {})
  }

  /** The burst itself. */
  run(path: string, headers: Record<string, string>): Promise<BurstResult> {
    return this.fire(path, headers)
  }

  close(): void {
    for (const agent of this.agents) agent.destroy()
  }

  private fire(path: string, headers: Record<string, string>): Promise<BurstResult> {
    const latencies: number[] = []
    const statuses: Record<string, number> = {}
    let errors = 0
    const started = performance.now()
    const requests = Array.from({ length: this.total }, (_, i) => {
      const index = i % this.origins.length
      return new Promise<void>((resolve) => {
        const sent = performance.now()
        const request = http.get(
          `${this.origins[index]}${path}`,
          { agent: this.agents[index], headers },
          (response) => {
            response.resume()
            response.on('end', () => {
              latencies.push(performance.now() - sent)
              const status = String(response.statusCode)
              statuses[status] = (statuses[status] ?? 0) + 1
              if (response.statusCode !== 200) errors += 1
              resolve()
            })
          },
        )
        request.on('error', () => {
          errors += 1
          statuses.error = (statuses.error ?? 0) + 1
          resolve()
        })
      })
    })
    return Promise.all(requests).then(() => ({
      latencies: latencies.sort((a, b) => a - b),
      errors,
      statuses,
      wallMs: performance.now() - started,
    }))
  }
}
