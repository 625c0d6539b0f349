import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { decodeKey, Keyring } from '../../src/crypto/keyring.js'

const keyA = randomBytes(32).toString('base64')
const keyB = randomBytes(32).toString('hex')

function flipBit(blob: string, index: number): string {
  const [version, id, sealed] = blob.split('.') as [string, string, string]
  const raw = Buffer.from(sealed, 'base64url')
  raw[index] = (raw[index] ?? 0) ^ 1
  return `${version}.${id}.${raw.toString('base64url')}`
}

describe('keyring', () => {
  it('round-trips a secret, with a new nonce every time', () => {
    const ring = new Keyring([keyA])
    const first = ring.encrypt('token-123', 'connection:a')
    const second = ring.encrypt('token-123', 'connection:a')
    expect(first).not.toBe(second)
    expect(first).not.toContain('token-123')
    expect(ring.decrypt(first, 'connection:a')).toBe('token-123')
    expect(ring.decrypt(second, 'connection:a')).toBe('token-123')
  })

  it.each([0, 12, 20, -1])('refuses a blob with one bit flipped (byte %i)', (byte) => {
    const ring = new Keyring([keyA])
    const blob = ring.encrypt('token-123', 'connection:a')
    const raw = Buffer.from(blob.split('.')[2] as string, 'base64url')
    const tampered = flipBit(blob, byte < 0 ? raw.length - 1 : byte)
    expect(() => ring.decrypt(tampered, 'connection:a')).toThrow(/authentication failed/)
  })

  it('refuses a blob moved onto another record', () => {
    const ring = new Keyring([keyA])
    const blob = ring.encrypt('token-123', 'connection:a')
    expect(() => ring.decrypt(blob, 'connection:b')).toThrow(/authentication failed/)
  })

  it('rotates: old blobs still decrypt, new ones use the new key', () => {
    const old = new Keyring([keyA])
    const oldBlob = old.encrypt('token-123', 'connection:a')
    const rotated = new Keyring([keyB, keyA])
    expect(rotated.decrypt(oldBlob, 'connection:a')).toBe('token-123')
    expect(rotated.needsReencryption(oldBlob)).toBe(true)
    const newBlob = rotated.encrypt('token-123', 'connection:a')
    expect(newBlob.split('.')[1]).toBe(rotated.currentKeyId)
    expect(rotated.needsReencryption(newBlob)).toBe(false)
    expect(() => old.decrypt(newBlob, 'connection:a')).toThrow(/no key with id/)
  })

  it('refuses a blob once its key has left the keyring', () => {
    const blob = new Keyring([keyA]).encrypt('token-123', 'connection:a')
    expect(() => new Keyring([keyB]).decrypt(blob, 'connection:a')).toThrow(/no key with id/)
  })

  it('accepts base64, base64url and hex keys of 32 bytes', () => {
    const bytes = randomBytes(32)
    for (const encoded of [bytes.toString('base64'), bytes.toString('base64url'), bytes.toString('hex')]) {
      expect(decodeKey(encoded).equals(bytes)).toBe(true)
    }
  })

  it.each([
    ['16 bytes of base64', randomBytes(16).toString('base64'), /32 bytes.*got 16 bytes of base64/],
    ['31 bytes of hex', randomBytes(31).toString('hex'), /32 bytes.*got 31 bytes of hex/],
    ['a passphrase', 'correct horse battery staple', /neither hex nor base64/],
    ['an empty string', '', /32 bytes/],
  ])('names the problem with %s', (_name, key, message) => {
    expect(() => new Keyring([key])).toThrow(message)
  })

  it('says which key of a rotation list is wrong', () => {
    expect(() => new Keyring([keyA, 'short'])).toThrow(/encryptionKey\[1\]/)
  })
})
