import type { AllowlistEntry, HttpAllowlistEntry, ToolAllowlistEntry } from './model.js'
import { pathSegments } from './path.js'

/** True when an HTTP call matches the entry's method and path glob (see {@link HttpAllowlistEntry}). */
export function matchesHttp(entry: HttpAllowlistEntry, method: string, path: string): boolean {
  if (entry.method !== '*' && entry.method.toUpperCase() !== method.toUpperCase()) return false
  const pattern = pathSegments(entry.path)
  const segments = pathSegments(path)
  return pattern !== null && segments !== null && matchSegments(pattern, segments)
}

/** True when the call is allowed by an allowlist: empty lists allow everything. */
export function allowlisted(
  entries: readonly AllowlistEntry[],
  call: { method: string; path: string } | { tool: string },
): boolean {
  if (entries.length === 0) return true
  if ('tool' in call) return entries.some((entry) => isTool(entry) && entry.tool === call.tool)
  return entries.some((entry) => !isTool(entry) && matchesHttp(entry, call.method, call.path))
}

/**
 * Whether a path pattern is one {@link matchesHttp} can use: readable, `**` only as a whole segment and
 * at most twice (each `**` multiplies the work of a match by the path's length).
 */
export function isValidPathPattern(pattern: string): boolean {
  const segments = pathSegments(pattern)
  if (segments === null || segments.some((s) => s !== '**' && s.includes('**'))) return false
  return segments.filter((s) => s === '**').length <= 2
}

function isTool(entry: AllowlistEntry): entry is ToolAllowlistEntry {
  return 'tool' in entry
}

function matchSegments(pattern: readonly string[], segments: readonly string[]): boolean {
  const [head, ...rest] = pattern
  if (head === undefined) return segments.length === 0
  if (head === '**') {
    for (let skip = 0; skip <= segments.length; skip++) {
      if (matchSegments(rest, segments.slice(skip))) return true
    }
    return false
  }
  const [segment, ...others] = segments
  return segment !== undefined && matchSegment(head, segment) && matchSegments(rest, others)
}

function matchSegment(pattern: string, segment: string): boolean {
  if (pattern === '*') return segment !== ''
  // Wildcard matching with one backtrack point (the last star): linear in practice, never a RegExp.
  let p = 0
  let s = 0
  let star = -1
  let resume = 0
  while (s < segment.length) {
    if (p < pattern.length && pattern[p] !== '*' && pattern[p] === segment[s]) {
      p++
      s++
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++
      resume = s
    } else if (star !== -1) {
      p = star + 1
      s = ++resume
    } else return false
  }
  while (pattern[p] === '*') p++
  return p === pattern.length
}
