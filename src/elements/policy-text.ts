import type { Policy } from '../client/index.js'

/**
 * The list-shaped rules of a policy as lines a person edits in a textarea, and back. A line that is
 * not understood is reported by its number (`LineError`), never dropped.
 */

type Allowlist = Policy['allowlists']
type RateLimits = NonNullable<Policy['rateLimits']>
type TimeWindows = Policy['timeWindows']
type Day = TimeWindows[number]['days'][number]

const DAYS: readonly Day[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']
const PERIODS = ['second', 'minute', 'hour', 'day'] as const

export class LineError extends Error {
  constructor(
    readonly line: number,
    readonly text: string,
  ) {
    super(`line ${line}: ${text}`)
  }
}

function linesOf(text: string): Array<{ line: number; text: string }> {
  return text
    .split('\n')
    .map((value, index) => ({ line: index + 1, text: value.trim() }))
    .filter(({ text: value }) => value !== '')
}

export const allowlistText = (list: Allowlist): string =>
  list.map((entry) => ('tool' in entry ? `tool:${entry.tool}` : `${entry.method} ${entry.path}`)).join('\n')

export function parseAllowlist(text: string): Allowlist {
  return linesOf(text).map(({ line, text: value }) => {
    const tool = /^tool:\s*(\S+)$/.exec(value)
    if (tool?.[1]) return { tool: tool[1] }
    const call = /^([A-Za-z]+|\*)\s+(\/\S*)$/.exec(value)
    if (call?.[1] && call[2]) return { method: call[1].toUpperCase(), path: call[2] }
    throw new LineError(line, value)
  })
}

export const rateLimitsText = (limits: Policy['rateLimits']): string =>
  (limits ?? []).map(({ limit, per }) => `${limit}/${per}`).join('\n')

export function parseRateLimits(text: string): RateLimits | null {
  const limits = linesOf(text).map(({ line, text: value }) => {
    const match = /^(\d+)\s*\/\s*(\w+)$/.exec(value)
    const per = PERIODS.find((p) => p === match?.[2])
    if (!match?.[1] || !per || Number(match[1]) < 1) throw new LineError(line, value)
    return { limit: Number(match[1]), per }
  })
  return limits.length > 0 ? limits : null
}

export const timeWindowsText = (windows: TimeWindows): string =>
  windows.map((w) => `${w.days.join(',')} ${w.start}-${w.end} ${w.timeZone}`).join('\n')

export function parseTimeWindows(text: string): TimeWindows {
  return linesOf(text).map(({ line, text: value }) => {
    const match = /^([a-z,]+)\s+(\d\d:\d\d)\s*-\s*(\d\d:\d\d)\s+(\S+)$/.exec(value)
    const days = match?.[1]?.split(',').filter(Boolean) ?? []
    if (!match?.[2] || !match[3] || !match[4] || days.some((d) => !DAYS.includes(d as Day))) {
      throw new LineError(line, value)
    }
    return { days: days as Day[], start: match[2], end: match[3], timeZone: match[4] }
  })
}
