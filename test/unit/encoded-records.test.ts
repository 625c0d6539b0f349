import { describe, expect, it } from 'vitest'
import { decodeRecord, encodeRecord } from '../../src/storage/encoded.js'

describe('encoded records', () => {
  it('decodes one version once, frozen to the last nested value, and a changed record afresh', () => {
    const stored = encodeRecord({ id: 'p1', timeWindows: [{ days: ['mon'] }] })
    const first = decodeRecord<{ id: string; timeWindows: Array<{ days: string[] }> }>(stored)
    expect(first).toEqual({ id: 'p1', timeWindows: [{ days: ['mon'] }] })
    expect(decodeRecord(stored)).toBe(first)
    const record = first as { id: string; timeWindows: Array<{ days: string[] }> }
    expect(() => {
      record.id = 'changed'
    }).toThrow(TypeError)
    expect(() => record.timeWindows[0]?.days.push('tue')).toThrow(TypeError)
    const changed = decodeRecord(encodeRecord({ id: 'p1', timeWindows: [{ days: ['tue'] }] }))
    expect(changed).not.toBe(first)
    expect(changed).toEqual({ id: 'p1', timeWindows: [{ days: ['tue'] }] })
  })

  it('reads what it did not encode as it was, and an encoded value that does not parse as nothing', () => {
    const object = { id: 'before' }
    expect(decodeRecord(object)).toBe(object)
    expect(decodeRecord('plain')).toBe('plain')
    expect(decodeRecord(undefined)).toBeUndefined()
    expect(decodeRecord('json:{not json')).toBeUndefined()
  })

  it('keeps a bounded number of versions', () => {
    const first = decodeRecord(encodeRecord({ n: -1 }))
    for (let n = 0; n < 1_000; n += 1) decodeRecord(encodeRecord({ n }))
    const again = decodeRecord(encodeRecord({ n: -1 }))
    expect(again).toEqual(first)
    expect(again).not.toBe(first)
  })
})
