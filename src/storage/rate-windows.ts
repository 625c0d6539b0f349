/** One limit of a policy: at most `limit` calls per UTC-aligned window. */
export interface RateLimitRule {
  limit: number
  per: 'second' | 'minute' | 'hour' | 'day'
}

export type TakeResult = { ok: true } | { ok: false; retryAfterSeconds: number }

export const WINDOW_MS: Record<RateLimitRule['per'], number> = {
  second: 1_000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
}
