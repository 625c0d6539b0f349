/**
 * Where the load generator and the servers run. On Linux with two cores or more and `taskset`, the
 * runner (autocannon, the burst client) keeps CPU 0 and every child process (servers, in-process
 * workers) gets the others, so the two sides stop taking time from each other and a figure depends
 * less on how the scheduler happened to interleave them. Elsewhere, nothing is pinned.
 */
import { execFileSync } from 'node:child_process'
import { availableParallelism } from 'node:os'

export interface Pinning {
  /** The runner's CPU list, as taskset takes it. */
  load: string
  /** The children's CPU list. */
  servers: string
}

export function choosePinning(): Pinning | null {
  const cores = availableParallelism()
  if (process.platform !== 'linux' || cores < 2) return null
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' })
  } catch {
    return null
  }
  return { load: '0', servers: cores === 2 ? '1' : `1-${cores - 1}` }
}

/** Pins every thread of this process (autocannon runs here) to the load generator's CPUs. */
export function pinRunner(pinning: Pinning): void {
  execFileSync('taskset', ['-a', '-p', '-c', pinning.load, String(process.pid)], { stdio: 'ignore' })
}

/** How the machine was used, for the report's header. */
export function describePinning(pinning: Pinning | null): string {
  return pinning
    ? `load generator pinned to CPU ${pinning.load}, servers to CPU ${pinning.servers}`
    : 'load generator and servers share the cores'
}
