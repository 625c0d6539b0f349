/**
 * CPU time of a server process, read from /proc (Linux): what a request costs the server whatever
 * else runs on the machine, where req/s also counts the waits for a CPU shared with others.
 */
import { readFileSync } from 'node:fs'
import type { LoadResult } from './load.js'

/** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ: 100 on every Linux in practice). */
const TICKS_PER_SECOND = 100

/** User plus system CPU time of a process so far, in ms; null where /proc cannot tell. */
export function cpuMsOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The fields after the command name (which may hold spaces), from field 3 on: utime is 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const ticks = Number(fields[11]) + Number(fields[12])
    return Number.isFinite(ticks) ? (ticks * 1000) / TICKS_PER_SECOND : null
  } catch {
    return null
  }
}

/** A load run with the server's CPU time per answered request (ms) added, when /proc tells it. */
export async function withCpu(pid: number, run: () => Promise<LoadResult>): Promise<LoadResult> {
  const before = cpuMsOf(pid)
  const result = await run()
  const after = cpuMsOf(pid)
  if (before === null || after === null || result.total === 0) return result
  return { ...result, cpuMsPerRequest: (after - before) / result.total }
}
