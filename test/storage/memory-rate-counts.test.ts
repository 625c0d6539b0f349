import { describe, expect, it } from 'vitest'
import { MemoryRateCounts } from '../../src/storage/memory-rate-counts.js'

const slot = (key: string, limit: number, endsAt: number) => ({ key, limit, endsAt })

describe('MemoryRateCounts', () => {
  it('counts a call in every window or in none', () => {
    const counts = new MemoryRateCounts()
    const minute = slot('p:minute', 1, 60_000)
    const day = slot('p:day', 5, 86_400_000)
    expect(counts.take([minute, day], 1_000)).toBe(true)
    expect(counts.take([minute, day], 2_000)).toBe(false)
    expect(counts.full(minute)).toBe(true)
    // The refused call left the day's count at one: four more fit in it.
    for (let i = 0; i < 4; i++) expect(counts.take([day], 3_000)).toBe(true)
    expect(counts.take([day], 3_000)).toBe(false)
  })

  it('drops windows that have ended, so the map does not grow with time', () => {
    const counts = new MemoryRateCounts()
    for (let i = 0; i < 100; i++) expect(counts.take([slot(`p:${i}`, 1, 1_000)], 0)).toBe(true)
    expect(counts.full(slot('p:0', 1, 1_000))).toBe(true)
    // A minute later the sweep runs: every ended window is gone, the new one is counted.
    expect(counts.take([slot('p:next', 1, 120_000)], 61_000)).toBe(true)
    expect(counts.full(slot('p:0', 1, 1_000))).toBe(false)
    expect((counts as unknown as { counts: Map<string, unknown> }).counts.size).toBe(1)
  })
})
