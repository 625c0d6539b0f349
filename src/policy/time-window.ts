import type { TimeWindow, Weekday } from './model.js'

const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']
const formats = new Map<string, Intl.DateTimeFormat>()

interface LocalClock {
  day: Weekday
  minute: number
}
/** Per zone, the local clock of the minute last asked about, and the instants it holds for. */
const clocks = new Map<string, { from: number; until: number; clock: LocalClock }>()

/** Whether `timeZone` is an IANA zone this runtime knows (`Europe/Berlin`, `UTC`); policies refuse others. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    format(timeZone)
    return true
  } catch {
    return false
  }
}

/** The clocks read so far: every policy check reads its windows' start and end. */
const minutes = new Map<string, number | null>()

/** Minutes since local midnight of an `HH:MM` (`24:00` is 1440), or null when it is not one. */
export function minutesOf(clock: string): number | null {
  const known = minutes.get(clock)
  if (known !== undefined) return known
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(clock)
  const read = clock === '24:00' ? 24 * 60 : match ? Number(match[1]) * 60 + Number(match[2]) : null
  if (minutes.size >= 2000) minutes.clear()
  minutes.set(clock, read)
  return read
}

/**
 * The weekday and minute of the day that a wall clock in `timeZone` shows at `now`. Intl applies the
 * zone's rules for that instant, so a DST change moves the answer by an hour with the local clock.
 */
export function localClock(now: Date, timeZone: string): LocalClock {
  const at = now.getTime()
  const cached = clocks.get(timeZone)
  if (cached && at >= cached.from && at < cached.until) return { ...cached.clock }
  const parts = format(timeZone).formatToParts(now)
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? ''
  const day = WEEKDAYS.find((d) => d === part('weekday').toLowerCase())
  if (!day) throw new RangeError(`No weekday for ${timeZone}`)
  const clock = { day, minute: Number(part('hour')) * 60 + Number(part('minute')) }
  // formatToParts is most of a gate's decision: the local minute holds until its 60th second (zones
  // change their offset at a whole minute), so every call within it reuses the answer.
  const from = at - Number(part('second')) * 1000 - (((at % 1000) + 1000) % 1000)
  if (clocks.size >= 1000) clocks.clear()
  clocks.set(timeZone, { from, until: from + 60_000, clock })
  return { ...clock }
}

/**
 * Whether `now` falls inside the window (see {@link TimeWindow}). A window that crosses midnight
 * belongs to the day it starts on. A window that cannot be read (unknown zone, bad clock) holds
 * nothing, so a policy built around the schema still fails closed.
 */
export function inWindow(window: TimeWindow, now: Date): boolean {
  const start = minutesOf(window.start)
  const end = minutesOf(window.end)
  if (start === null || end === null || start === 24 * 60 || start === end) return false
  let clock: LocalClock
  try {
    clock = localClock(now, window.timeZone)
  } catch {
    return false
  }
  if (start < end) return window.days.includes(clock.day) && clock.minute >= start && clock.minute < end
  const yesterday = WEEKDAYS[(WEEKDAYS.indexOf(clock.day) + 6) % 7] as Weekday
  return (
    (window.days.includes(clock.day) && clock.minute >= start) ||
    (window.days.includes(yesterday) && clock.minute < end)
  )
}

/** True when there are no windows, or `now` is inside one of them. */
export function withinWindows(windows: readonly TimeWindow[], now: Date): boolean {
  return windows.length === 0 || windows.some((window) => inWindow(window, now))
}

function format(timeZone: string): Intl.DateTimeFormat {
  let cached = formats.get(timeZone)
  if (!cached) {
    cached = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
    // Intl accepts any spelling case of a zone: bound the cache rather than trust the number of names.
    if (formats.size >= 1000) formats.clear()
    formats.set(timeZone, cached)
  }
  return cached
}
