/**
 * Memcached reads an expiry over 30 days as an absolute Unix time, so a 90-day TTL lands in 1970 and
 * the entry is gone at once (https://github.com/memcached/memcached/wiki/Programming#expiration).
 */
export const MEMCACHED_MAX_TTL_MS = 30 * 24 * 60 * 60 * 1000

const EXPIRES_AT = '~expressConnectionsExpiresAt'

/**
 * A value stored without an adapter TTL because its TTL is longer than the adapter can hold: the
 * expiry travels in the value, and {@link unwrapExpiring} treats it as gone once it has passed.
 */
export interface ExpiringValue {
  [EXPIRES_AT]: number
  value: unknown
}

/**
 * The longest TTL the Keyv's adapter can hold: `maxTtlMs` where the adapter (or the Keyv) declares
 * one, 30 days for @keyv/memcache, else none.
 */
export function detectMaxTtlMs(keyv: object): number | undefined {
  const adapter = (keyv as { store?: unknown }).store
  for (const holder of [keyv, adapter]) {
    const declared = (holder as { maxTtlMs?: unknown } | undefined)?.maxTtlMs
    if (typeof declared === 'number' && declared > 0) return declared
  }
  const name = (adapter as { constructor?: { name?: string } } | undefined)?.constructor?.name
  return name === 'KeyvMemcache' ? MEMCACHED_MAX_TTL_MS : undefined
}

export function expiring(value: unknown, ttlMs: number, now: number): ExpiringValue {
  return { [EXPIRES_AT]: now + ttlMs, value }
}

/** The stored value as written; `expired` when it carried its own expiry and that has passed. */
export function unwrapExpiring(stored: unknown, now: number): { value: unknown; expired: boolean } {
  if (typeof stored !== 'object' || stored === null || !Object.hasOwn(stored, EXPIRES_AT)) {
    return { value: stored, expired: false }
  }
  const { [EXPIRES_AT]: expiresAt, value } = stored as ExpiringValue
  return typeof expiresAt === 'number' && expiresAt <= now
    ? { value: undefined, expired: true }
    : { value, expired: false }
}
