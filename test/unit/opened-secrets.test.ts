import { randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ConnectionRecord, ConnectionSecrets } from '../../src/core/model.js'
import { OpenedSecrets } from '../../src/core/opened-secrets.js'
import { SecretBox } from '../../src/core/sealed.js'
import { Keyring } from '../../src/crypto/keyring.js'
import { connectionRecord } from '../support/fixtures.js'

const SECRETS: ConnectionSecrets = {
  accessToken: 'opened-access-CANARY',
  refreshToken: 'opened-refresh-CANARY',
  tokenType: 'Bearer',
  idToken: null,
}

function sealedRecord(keyring: Keyring, overrides: Partial<ConnectionRecord> = {}): ConnectionRecord {
  return new SecretBox(keyring).withSecrets(connectionRecord(overrides), SECRETS)
}

afterEach(() => {
  vi.useRealTimers()
})

describe('a connection’s secrets kept opened for a while (openedSecretsTtlMs)', () => {
  it('are opened once per sealed blob, and only for the record and binding they were opened for', () => {
    const keyring = new Keyring([randomBytes(32).toString('base64')])
    const decrypt = vi.spyOn(keyring, 'decrypt')
    const box = new SecretBox(keyring, new OpenedSecrets(60_000))
    const record = sealedRecord(keyring)
    expect(box.open(record)).toEqual(SECRETS)
    expect(box.open(record)).toEqual(SECRETS)
    expect(decrypt).toHaveBeenCalledTimes(1)
    // The same blob on a record whose owner was changed in the store: opened again, and refused.
    expect(() => box.open({ ...record, owner: 'mallory' })).toThrow(/does not match/)
    // …and on another record id.
    expect(() => box.open({ ...record, id: '8c8a4c6e-9d53-4b6e-8f0e-6a1c2b3d4e5f' })).toThrow()
    expect(decrypt).toHaveBeenCalledTimes(3)
    // A new seal of the same record (a refresh) is a new entry.
    const resealed = sealedRecord(keyring, { id: record.id })
    expect(box.open(resealed)).toEqual(SECRETS)
    expect(decrypt).toHaveBeenCalledTimes(4)
  })

  it('leave after their time, their bytes zeroed, and the sweep stops once none is left', () => {
    vi.useFakeTimers()
    const opened = new OpenedSecrets(1_000)
    opened.put('blob-1', 'id-1', 'binding', '{"accessToken":"x"}')
    const bytes = (opened as unknown as { entries: Map<string, { plaintext: Buffer }> }).entries.get('blob-1')
      ?.plaintext as Buffer
    expect(opened.get('blob-1', 'id-1', 'binding')).toBe('{"accessToken":"x"}')
    vi.advanceTimersByTime(1_001)
    expect(opened.size).toBe(0)
    expect(bytes.every((byte) => byte === 0)).toBe(true)
    expect(vi.getTimerCount()).toBe(0)
    expect(opened.get('blob-1', 'id-1', 'binding')).toBeUndefined()
  })

  it('keep at most their bound, the oldest leaving first, zeroed', () => {
    const opened = new OpenedSecrets(60_000, Date.now, 3)
    for (const n of [1, 2, 3, 4]) opened.put(`blob-${n}`, `id-${n}`, 'b', `secret-${n}`)
    expect(opened.size).toBe(3)
    expect(opened.get('blob-1', 'id-1', 'b')).toBeUndefined()
    expect(opened.get('blob-4', 'id-4', 'b')).toBe('secret-4')
    opened.clear()
    expect(opened.size).toBe(0)
  })

  it('are not kept with openedSecretsTtlMs: 0 (every hand-out opens them)', () => {
    const keyring = new Keyring([randomBytes(32).toString('base64')])
    const decrypt = vi.spyOn(keyring, 'decrypt')
    const box = new SecretBox(keyring)
    const record = sealedRecord(keyring)
    box.open(record)
    box.open(record)
    expect(decrypt).toHaveBeenCalledTimes(2)
  })
})
