import { describe, expect, it } from 'vitest'
import { parseRetryAfter } from '../../src/core/refresh-backoff.js'

describe('parseRetryAfter (RFC 9110 §10.2.3)', () => {
  const now = Date.parse('2026-01-01T00:00:00Z')

  it('reads delay-seconds and an HTTP-date, capped at ten minutes', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000)
    expect(parseRetryAfter(' 3 ', now)).toBe(3_000)
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000)
    expect(parseRetryAfter('86400', now)).toBe(600_000)
  })

  it('ignores what it cannot use: nothing, a date past, a negative or fractional number, text', () => {
    for (const value of [null, '', 'Wed, 31 Dec 2025 23:59:00 GMT', '-5', '1.5', 'soon']) {
      expect(parseRetryAfter(value, now)).toBe(0)
    }
  })
})
