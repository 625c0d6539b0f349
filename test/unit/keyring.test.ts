import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { DecryptionError, decodeKey, Keyring } from '../../src/crypto/keyring.js'

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

  it('writes v1 blobs without a binding and v2 blobs with one; both name the current key', () => {
    const ring = new Keyring([keyA])
    expect(ring.encrypt('token-123', 'connection:a').split('.')).toHaveLength(3)
    const bound = ring.encrypt('token-123', 'connection:a', '["ana","github",null]')
    const [version, id, digest] = bound.split('.')
    expect([version, id]).toEqual(['v2', ring.currentKeyId])
    expect(digest).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(bound).not.toContain('ana')
  })

  it('opens a v2 blob with its binding, or with none, and refuses another binding once the blob is authentic', () => {
    const ring = new Keyring([keyA])
    const bound = ring.encrypt('token-123', 'connection:a', '["ana","github",null]')
    expect(ring.decrypt(bound, 'connection:a', '["ana","github",null]')).toBe('token-123')
    expect(ring.decrypt(bound, 'connection:a')).toBe('token-123')
    let error: unknown
    try {
      ring.decrypt(bound, 'connection:a', '["bob","github",null]')
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(DecryptionError)
    expect((error as DecryptionError).kind).toBe('binding')
    expect((error as DecryptionError).message).toMatch(/does not match what the secret was sealed for/)
    expect(() => ring.decrypt(bound, 'connection:b', '["ana","github",null]')).toThrow(
      /authentication failed/,
    )
    // A v1 blob predates bindings: where a binding is asked for, it opens only with openUnbound, and
    // then whatever the binding.
    const legacy = ring.encrypt('token-123', 'connection:a')
    let unbound: unknown
    try {
      ring.decrypt(legacy, 'connection:a', '["ana","github",null]')
    } catch (caught) {
      unbound = caught
    }
    expect((unbound as DecryptionError).kind).toBe('unbound')
    expect(ring.decrypt(legacy, 'connection:a')).toBe('token-123')
    const migrating = new Keyring([keyA], { openUnbound: true })
    expect(migrating.decrypt(legacy, 'connection:a', '["bob","github",null]')).toBe('token-123')
  })

  it('authenticates the version and the digest of a v2 blob: relabelled v1 or given another digest, it does not open', () => {
    const ring = new Keyring([keyA])
    const binding = '["ana","github",null]'
    const [, id, digest, sealed] = ring.encrypt('token-123', 'connection:a', binding).split('.')
    const other = ring.encrypt('x', 'connection:a', '["bob","github",null]').split('.')[2]
    expect(() => ring.decrypt(`v1.${id}.${sealed}`, 'connection:a')).toThrow(/authentication failed/)
    expect(() => ring.decrypt(`v2.${id}.${other}.${sealed}`, 'connection:a')).toThrow(/authentication failed/)
    expect(() => ring.decrypt(`v2.${id}.${sealed}`, 'connection:a')).toThrow(/unknown blob format/)
    expect(() => ring.decrypt(`v3.${id}.${digest}.${sealed}`, 'connection:a')).toThrow(/unknown blob format/)
    const v1 = ring.encrypt('token-123', 'connection:a').split('.')
    expect(() => ring.decrypt(`v2.${v1[1]}.${digest}.${v1[2]}`, 'connection:a')).toThrow(
      /authentication failed/,
    )
  })

  it('needsReencryption with a binding: a v1 blob or one bound to something else needs it, even under the current key', () => {
    const ring = new Keyring([keyA])
    const binding = '["ana","github",null]'
    const legacy = ring.encrypt('token-123', 'connection:a')
    const bound = ring.encrypt('token-123', 'connection:a', binding)
    expect(ring.needsReencryption(legacy)).toBe(false)
    expect(ring.needsReencryption(legacy, binding)).toBe(true)
    expect(ring.needsReencryption(bound, binding)).toBe(false)
    expect(ring.needsReencryption(bound)).toBe(false)
    expect(ring.needsReencryption(bound, '["bob","github",null]')).toBe(true)
    expect(new Keyring([keyB, keyA]).needsReencryption(bound, binding)).toBe(true)
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
