/** Rounds and statistics: every figure is a median over rounds, with its spread. */

export interface Spread {
  median: number
  min: number
  max: number
  /** Per-round values, in the order measured. */
  values: number[]
}

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN
  const position = (sorted.length - 1) * q
  const below = Math.floor(position)
  const above = Math.ceil(position)
  const low = sorted[below] as number
  const high = sorted[above] as number
  return low + (high - low) * (position - below)
}

export function median(values: readonly number[]): number {
  return quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  )
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b)
  return {
    median: quantile(sorted, 0.5),
    min: sorted[0] ?? Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
    values: [...values],
  }
}

/** Ratio of the medians, and the range of the per-round (paired) ratios. */
export function ratioOf(subject: Spread, baseline: Spread): { ratio: number; min: number; max: number } {
  const paired = subject.values.map((value, i) => value / (baseline.values[i] ?? Number.NaN))
  const sorted = paired.filter(Number.isFinite).sort((a, b) => a - b)
  return {
    ratio: subject.median / baseline.median,
    min: sorted[0] ?? Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
  }
}

/**
 * Runs `rounds` rounds of baseline and subject, alternating which goes first (B S, S B, B S, …) so
 * that drift (thermal, the other tenant of the machine, a store growing) hits both alike.
 */
export async function alternate<T>(
  rounds: number,
  baseline: (round: number) => Promise<T>,
  subject: (round: number) => Promise<T>,
  onRound?: (round: number, b: T, s: T) => void,
): Promise<{ baseline: T[]; subject: T[] }> {
  const b: T[] = []
  const s: T[] = []
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      b.push(await baseline(round))
      s.push(await subject(round))
    } else {
      s.push(await subject(round))
      b.push(await baseline(round))
    }
    onRound?.(round, b[round] as T, s[round] as T)
  }
  return { baseline: b, subject: s }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Formats a number for tables: 3 significant digits, thousands separated. */
export function fmt(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return '—'
  const abs = Math.abs(value)
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US')
  if (abs === 0) return '0'
  return Number(value.toPrecision(digits)).toString()
}
