import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { TimeWindow } from '../../../src/policy/model.js'
import { inWindow, isValidTimeZone, localClock, withinWindows } from '../../../src/policy/time-window.js'
import { wallClockByOffset } from './fixtures.js'

const EVERY_DAY: TimeWindow['days'] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']
const berlin: TimeWindow = { days: EVERY_DAY, start: '09:00', end: '18:00', timeZone: 'Europe/Berlin' }
const newYork: TimeWindow = { days: EVERY_DAY, start: '09:00', end: '18:00', timeZone: 'America/New_York' }
const at = (iso: string) => new Date(iso)

// Europe/Berlin: CET (UTC+1) → CEST (UTC+2) on Sun 2026-03-29 at 02:00, back on Sun 2026-10-25 at 03:00.
// America/New_York: EST (UTC−5) → EDT (UTC−4) on Sun 2026-03-08 at 02:00, back on Sun 2026-11-01 at 02:00.
describe('time windows across DST changes', () => {
  it.each([
    ['Berlin, the Saturday before spring forward (UTC+1)', berlin, '2026-03-28T07:59:00Z', false],
    ['Berlin, the Saturday before spring forward (UTC+1)', berlin, '2026-03-28T08:00:00Z', true],
    ['Berlin, the Saturday before spring forward (UTC+1)', berlin, '2026-03-28T16:59:00Z', true],
    ['Berlin, the Saturday before spring forward (UTC+1)', berlin, '2026-03-28T17:00:00Z', false],
    ['Berlin, the day of spring forward (UTC+2)', berlin, '2026-03-29T06:59:00Z', false],
    ['Berlin, the day of spring forward (UTC+2)', berlin, '2026-03-29T07:00:00Z', true],
    ['Berlin, the day of spring forward (UTC+2)', berlin, '2026-03-29T15:59:00Z', true],
    ['Berlin, the day of spring forward (UTC+2)', berlin, '2026-03-29T16:00:00Z', false],
    ['Berlin, the Saturday before fall back (UTC+2)', berlin, '2026-10-24T07:00:00Z', true],
    ['Berlin, the Saturday before fall back (UTC+2)', berlin, '2026-10-24T16:00:00Z', false],
    ['Berlin, the day of fall back (UTC+1)', berlin, '2026-10-25T07:00:00Z', false],
    ['Berlin, the day of fall back (UTC+1)', berlin, '2026-10-25T08:00:00Z', true],
    ['Berlin, the day of fall back (UTC+1)', berlin, '2026-10-25T16:59:00Z', true],
    ['Berlin, the day of fall back (UTC+1)', berlin, '2026-10-25T17:00:00Z', false],
    ['New York, the Saturday before spring forward (UTC−5)', newYork, '2026-03-07T13:59:00Z', false],
    ['New York, the Saturday before spring forward (UTC−5)', newYork, '2026-03-07T14:00:00Z', true],
    ['New York, the Saturday before spring forward (UTC−5)', newYork, '2026-03-07T22:59:00Z', true],
    ['New York, the Saturday before spring forward (UTC−5)', newYork, '2026-03-07T23:00:00Z', false],
    ['New York, the day of spring forward (UTC−4)', newYork, '2026-03-08T12:59:00Z', false],
    ['New York, the day of spring forward (UTC−4)', newYork, '2026-03-08T13:00:00Z', true],
    ['New York, the day of spring forward (UTC−4)', newYork, '2026-03-08T22:00:00Z', false],
    ['New York, the Saturday before fall back (UTC−4)', newYork, '2026-10-31T13:00:00Z', true],
    ['New York, the Saturday before fall back (UTC−4)', newYork, '2026-10-31T22:00:00Z', false],
    ['New York, the day of fall back (UTC−5)', newYork, '2026-11-01T13:00:00Z', false],
    ['New York, the day of fall back (UTC−5)', newYork, '2026-11-01T14:00:00Z', true],
    ['New York, the day of fall back (UTC−5)', newYork, '2026-11-01T22:59:00Z', true],
    ['New York, the day of fall back (UTC−5)', newYork, '2026-11-01T23:00:00Z', false],
  ])('%s: 09:00–18:00 at %#', (_, window, iso, inside) => {
    expect(inWindow(window, at(iso))).toBe(inside)
  })

  it('reads the hour that does not exist (spring) and the hour that happens twice (fall) on the local clock', () => {
    const night = { days: EVERY_DAY, start: '02:00', end: '03:00', timeZone: 'Europe/Berlin' }
    // Spring forward: 01:59 CET is followed by 03:00 CEST, so the window never opens that night.
    expect(inWindow(night, at('2026-03-29T00:59:00Z'))).toBe(false)
    expect(inWindow(night, at('2026-03-29T01:00:00Z'))).toBe(false)
    // Fall back: 02:00–02:59 happens twice, first in CEST then in CET; both are inside.
    expect(inWindow(night, at('2026-10-25T00:30:00Z'))).toBe(true)
    expect(inWindow(night, at('2026-10-25T01:30:00Z'))).toBe(true)
    expect(inWindow(night, at('2026-10-25T02:00:00Z'))).toBe(false)
  })

  it('holds a weekday window in local days: Friday 23:30 in New York is Saturday in UTC, still inside', () => {
    const lateFriday = { days: ['fri' as const], start: '20:00', end: '24:00', timeZone: 'America/New_York' }
    expect(inWindow(lateFriday, at('2026-11-07T04:30:00Z'))).toBe(true) // Fri 23:30 EST
    expect(inWindow(lateFriday, at('2026-11-07T05:00:00Z'))).toBe(false) // Sat 00:00 EST
    expect(localClock(at('2026-11-07T04:30:00Z'), 'America/New_York')).toEqual({
      day: 'fri',
      minute: 23 * 60 + 30,
    })
  })
})

describe('time windows crossing midnight', () => {
  const night: TimeWindow = { days: ['fri'], start: '22:00', end: '06:00', timeZone: 'Europe/Berlin' }
  it.each([
    ['Friday 21:59', '2026-12-04T20:59:00Z', false],
    ['Friday 22:00', '2026-12-04T21:00:00Z', true],
    ['Saturday 05:59 (the Friday window, still open)', '2026-12-05T04:59:00Z', true],
    ['Saturday 06:00', '2026-12-05T05:00:00Z', false],
    ['Saturday 22:00 (no Saturday window)', '2026-12-05T21:00:00Z', false],
    ['Friday 05:00 (the Thursday window, which is not listed)', '2026-12-04T04:00:00Z', false],
  ])('%s', (_, iso, inside) => {
    expect(inWindow(night, at(iso))).toBe(inside)
  })

  it('crosses the DST night too: Saturday 2026-10-24 22:00 to Sunday 06:00 is nine hours in Berlin', () => {
    const saturdayNight = { days: ['sat' as const], start: '22:00', end: '06:00', timeZone: 'Europe/Berlin' }
    expect(inWindow(saturdayNight, at('2026-10-24T19:59:00Z'))).toBe(false)
    expect(inWindow(saturdayNight, at('2026-10-24T20:00:00Z'))).toBe(true) // 22:00 CEST
    expect(inWindow(saturdayNight, at('2026-10-25T04:59:00Z'))).toBe(true) // 05:59 CET
    expect(inWindow(saturdayNight, at('2026-10-25T05:00:00Z'))).toBe(false) // 06:00 CET
  })
})

describe('time windows that cannot be read', () => {
  it('hold nothing: an unknown zone, a bad clock or an empty window fails closed', () => {
    const now = at('2026-12-07T10:00:00Z')
    expect(inWindow({ ...berlin, timeZone: 'Mars/Olympus_Mons' }, now)).toBe(false)
    expect(inWindow({ ...berlin, start: '9:00' }, now)).toBe(false)
    expect(inWindow({ ...berlin, end: '09:00' }, now)).toBe(false)
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false)
    expect(isValidTimeZone('Europe/Berlin')).toBe(true)
    expect(withinWindows([], now)).toBe(true)
  })
})

describe('time windows, as properties', () => {
  const zones = fc.constantFrom(
    'Europe/Berlin',
    'America/New_York',
    'Asia/Kolkata',
    'Australia/Lord_Howe',
    'UTC',
  )
  const clock = fc.integer({ min: 0, max: 24 * 60 - 1 })
  const instant = fc.date({
    min: at('2026-01-01T00:00:00Z'),
    max: at('2027-12-31T00:00:00Z'),
    noInvalidDate: true,
  })
  const hhmm = (m: number) =>
    `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`

  it('a call is inside exactly when the local clock of the zone is between start and end on a listed day', () => {
    fc.assert(
      fc.property(
        zones,
        clock,
        clock,
        fc.subarray(EVERY_DAY, { minLength: 1 }),
        instant,
        (timeZone, s, e, days, now) => {
          fc.pre(s !== e)
          const window = { days, start: hhmm(s), end: hhmm(e), timeZone }
          const { day, minute } = localClock(now, timeZone)
          const previous = EVERY_DAY[(EVERY_DAY.indexOf(day) + 6) % 7] as TimeWindow['days'][number]
          const expected =
            s < e
              ? days.includes(day) && minute >= s && minute < e
              : (days.includes(day) && minute >= s) || (days.includes(previous) && minute < e)
          expect(inWindow(window, now)).toBe(expected)
        },
      ),
    )
  })

  it('the local clock agrees with UTC shifted by the zone offset Intl reports for the same instant', () => {
    fc.assert(
      fc.property(fc.constantFrom('Europe/Berlin', 'America/New_York'), instant, (timeZone, now) => {
        expect(localClock(now, timeZone)).toEqual(wallClockByOffset(now, timeZone))
      }),
    )
  })
})

describe('the local clock of one minute, reused', () => {
  // Instants a caller meets in a row: the last millisecond of a minute and the first of the next, the
  // seconds around both DST switches, and a clock that goes back (another request's older `now`).
  const sequence = [
    '2026-03-29T00:59:59.999Z',
    '2026-03-29T01:00:00.000Z',
    '2026-03-29T00:59:59.000Z',
    '2026-03-29T01:00:59.999Z',
    '2026-10-25T00:59:30.000Z',
    '2026-10-25T00:59:59.999Z',
    '2026-10-25T01:00:00.000Z',
    '2026-10-25T01:00:00.001Z',
    '2026-10-25T00:59:59.999Z',
    '1969-12-31T23:59:59.999Z',
    '1970-01-01T00:00:00.000Z',
  ]

  it('answers each instant as Intl does for it alone, in Berlin and in New York', () => {
    for (const timeZone of ['Europe/Berlin', 'America/New_York']) {
      for (const iso of sequence) {
        expect(localClock(at(iso), timeZone), `${iso} in ${timeZone}`).toEqual(
          wallClockByOffset(at(iso), timeZone),
        )
      }
    }
  })

  it('answers any run of instants within a few minutes as Intl does for each', () => {
    const base = at('2026-10-25T00:57:00Z').getTime()
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 6 * 60_000 }), { minLength: 2 }), (offsets) => {
        for (const offset of offsets) {
          const now = new Date(base + offset)
          expect(localClock(now, 'Europe/Berlin')).toEqual(wallClockByOffset(now, 'Europe/Berlin'))
        }
      }),
    )
  })
})
