import type { Policy, RateLimit } from './model.js'

const WINDOW_MS: Record<RateLimit['per'], number> = {
  second: 1000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
}

/**
 * The limits a caller must count for this policy (none when `rateLimits` is null). {@link decide} does
 * not count: it has no store. Count only calls it allows or that carry an approval.
 */
export function rateLimitsOf(policy: Pick<Policy, 'rateLimits'>): readonly RateLimit[] {
  return policy.rateLimits ?? []
}

/** The length of a limit's fixed window in milliseconds (windows are aligned to UTC). */
export function windowMs(per: RateLimit['per']): number {
  return WINDOW_MS[per]
}
