/**
 * An HTTP comparison as #1 and #5 run it: both sides warmed up, then rounds of load alternating
 * between them, every answer checked, and the req/s, p50 and p99 figures with their ratios.
 */
import { alternate, ratioOf, spread } from './harness.js'
import type { LoadResult } from './load.js'
import { log } from './log.js'
import type { Figure } from './report.js'

export interface LoadComparison {
  /** Prefix of the progress lines and errors, e.g. `#1 memory`. */
  label: string
  /** How the baseline is named in progress lines (`baseline`, `Grant`). */
  baselineName: string
  rounds: number
  durationSec: number
  warmupSec: number
  /** The status every answer must have. */
  expect: number
  baseline: (seconds: number) => Promise<LoadResult>
  subject: (seconds: number) => Promise<LoadResult>
}

export async function compareLoads(
  c: LoadComparison,
): Promise<{ baseline: LoadResult[]; subject: LoadResult[] }> {
  log(`  ${c.label}: warm-up`)
  await c.baseline(c.warmupSec)
  await c.subject(c.warmupSec)
  const results = await alternate<LoadResult>(
    c.rounds,
    () => c.baseline(c.durationSec),
    () => c.subject(c.durationSec),
    (round, b, s) =>
      log(
        `  ${c.label} round ${round + 1}/${c.rounds}: ${c.baselineName} ${b.rps.toFixed(0)} req/s, router ${s.rps.toFixed(0)} req/s`,
      ),
  )
  const failures = [...results.baseline, ...results.subject].reduce((n, r) => n + r.failures, 0)
  if (failures > 0) throw new Error(`${c.label}: ${failures} requests did not answer ${c.expect}`)
  return results
}

/** req/s, p50 and p99 latency of both sides, medians with their spread, and their ratios. */
export function loadFigures(
  bench: string,
  caseName: string,
  results: { baseline: LoadResult[]; subject: LoadResult[] },
): [rps: Figure, p50: Figure, p99: Figure] {
  const figure = (metric: string, unit: string, pick: (r: LoadResult) => number): Figure => {
    const subject = spread(results.subject.map(pick))
    const baseline = spread(results.baseline.map(pick))
    return {
      bench,
      case: caseName,
      metric,
      unit,
      subject,
      baseline,
      ratio: ratioOf(subject, baseline),
      verdict: 'info',
    }
  }
  return [
    figure('req/s', '', (r) => r.rps),
    figure('p50 latency', 'ms', (r) => r.p50),
    figure('p99 latency', 'ms', (r) => r.p99),
  ]
}
