import { describe, expect, it } from 'vitest'
import {
  allowlistText,
  LineError,
  parseAllowlist,
  parseRateLimits,
  parseTimeWindows,
  rateLimitsText,
  timeWindowsText,
} from '../../../src/elements/policy-text.js'

/** What <agent-policies> shows in its textareas, and reads back. */
describe('policy rules as lines', () => {
  it('reads allowlists, rate limits and time windows, and writes them back as the same lines', () => {
    const allowlists = parseAllowlist('tool:create_issue\n\n get /repos/acme/* \n* /health')
    expect(allowlists).toEqual([
      { tool: 'create_issue' },
      { method: 'GET', path: '/repos/acme/*' },
      { method: '*', path: '/health' },
    ])
    expect(allowlistText(allowlists)).toBe('tool:create_issue\nGET /repos/acme/*\n* /health')

    const limits = parseRateLimits('60/minute\n1000 / day')
    expect(limits).toEqual([
      { limit: 60, per: 'minute' },
      { limit: 1000, per: 'day' },
    ])
    expect(rateLimitsText(limits)).toBe('60/minute\n1000/day')
    expect(parseRateLimits('  \n')).toBeNull()
    expect(rateLimitsText(null)).toBe('')

    const windows = parseTimeWindows('mon,tue,wed 09:00-18:00 Europe/Berlin')
    expect(windows).toEqual([
      { days: ['mon', 'tue', 'wed'], start: '09:00', end: '18:00', timeZone: 'Europe/Berlin' },
    ])
    expect(timeWindowsText(windows)).toBe('mon,tue,wed 09:00-18:00 Europe/Berlin')
  })

  it.each([
    ['an allowlist line without a path', () => parseAllowlist('GET /a\nGET'), 2, 'GET'],
    ['a rate limit per week', () => parseRateLimits('5/week'), 1, '5/week'],
    ['a rate limit of zero', () => parseRateLimits('1/day\n0/day'), 2, '0/day'],
    ['an unknown day', () => parseTimeWindows('mon,fun 09:00-10:00 UTC'), 1, 'mon,fun 09:00-10:00 UTC'],
    ['a window without a zone', () => parseTimeWindows('mon 09:00-10:00'), 1, 'mon 09:00-10:00'],
  ])('reports %s by its line, never dropping it', (_name, parse, line, text) => {
    const error = (() => {
      try {
        parse()
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(LineError)
    expect(error).toMatchObject({ line, text })
  })
})
