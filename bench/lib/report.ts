import { cpus, totalmem } from 'node:os'
import { fmt, type Spread } from './harness.js'

export type Verdict = 'PASS' | 'MISS' | 'info'

/** One line of the results table. */
export interface Figure {
  bench: string
  case: string
  metric: string
  unit: string
  subject: Spread
  baseline?: Spread
  /** Ratio of the medians (subject / baseline) and the range of the per-round ratios. */
  ratio?: { ratio: number; min: number; max: number }
  /** What is compared with the target, e.g. `ratio ≥ 0.85`. */
  target?: string
  verdict: Verdict
  note?: string
}

export interface Machine {
  cores: number
  cpu: string
  node: string
  platform: string
  memoryGiB: number
  /** Where the load generator and the servers ran (lib/cpus.ts). */
  pinning: string
}

export interface RunReport {
  command: string
  mode: 'quick' | 'full'
  /** The benchmarks run (--only), or null for all. */
  only: string[] | null
  startedAt: string
  wallSeconds: number
  machine: Machine
  benchSeconds: Record<string, number>
  figures: Figure[]
  failures: string[]
}

export function machine(pinning: string): Machine {
  return {
    pinning,
    cores: cpus().length,
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
  }
}

export function verdictOf(ok: boolean): Verdict {
  return ok ? 'PASS' : 'MISS'
}

const cell = (s: Spread | undefined, unit: string): string => {
  if (!s) return ''
  const range = s.values.length > 1 ? ` (${fmt(s.min)}–${fmt(s.max)})` : ''
  return `${fmt(s.median)}${unit === '' ? '' : ` ${unit}`}${range}`
}

const ratioCell = (f: Figure): string =>
  f.ratio
    ? `${f.ratio.ratio.toFixed(2)}${f.subject.values.length > 1 ? ` (${f.ratio.min.toFixed(2)}–${f.ratio.max.toFixed(2)})` : ''}`
    : ''

function rows(report: RunReport): string[][] {
  return report.figures.map((f) => [
    f.bench,
    f.case,
    f.metric,
    cell(f.subject, f.unit),
    cell(f.baseline, f.unit),
    ratioCell(f),
    f.target ?? '',
    f.verdict === 'info' ? '' : f.verdict,
  ])
}

const HEADER = ['benchmark', 'case', 'metric', 'express-connections', 'baseline', 'ratio', 'target', '']

function header(report: RunReport): string {
  const m = report.machine
  return (
    `${report.mode} run${report.only ? ` of ${report.only.join(', ')}` : ''}, ${report.startedAt}, ` +
    `${report.wallSeconds.toFixed(0)} s wall\n` +
    `machine: ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}; ` +
    `${m.pinning ?? 'load generator and servers share the cores'}\n` +
    'figures: median over rounds (min–max of the rounds); ratio: median/median (min–max of the per-round ratios)'
  )
}

/** The table for a terminal. */
export function toText(report: RunReport): string {
  const table = [HEADER, ...rows(report)]
  const widths = HEADER.map((_, i) => Math.max(...table.map((row) => (row[i] ?? '').length)))
  const line = (row: string[]) =>
    row
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd()
  const notes = report.figures
    .filter((f) => f.note)
    .map((f) => `  ${f.bench} ${f.case} ${f.metric}: ${f.note}`)
  return [
    header(report),
    '',
    line(table[0] ?? []),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows(report).map(line),
    ...(notes.length > 0 ? ['', 'notes:', ...notes] : []),
    ...(report.failures.length > 0 ? ['', 'FAILED:', ...report.failures.map((f) => `  ${f}`)] : []),
  ].join('\n')
}

/** The same table in Markdown, for BENCHMARKS.md. */
export function toMarkdown(report: RunReport): string {
  const escapeCell = (c: string) => c.replaceAll('|', '\\|')
  const table = [
    `| ${HEADER.map(escapeCell).join(' | ')} |`,
    `|${HEADER.map(() => '---').join('|')}|`,
    ...rows(report).map((row) => `| ${row.map(escapeCell).join(' | ')} |`),
  ]
  const notes = report.figures
    .filter((f) => f.note)
    .map((f) => `- ${f.bench} ${f.case}, ${f.metric}: ${f.note}`)
  const timing = Object.entries(report.benchSeconds)
    .map(([name, s]) => `${name} ${s.toFixed(0)} s`)
    .join(', ')
  return [
    `Command: \`${report.command}\``,
    '',
    header(report)
      .split('\n')
      .map((l) => `${l}  `)
      .join('\n'),
    `time per benchmark: ${timing}`,
    '',
    ...table,
    ...(notes.length > 0 ? ['', ...notes] : []),
  ].join('\n')
}
