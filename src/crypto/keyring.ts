import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto'

const VERSION = 'v1'
const NONCE_BYTES = 12
const TAG_BYTES = 16

export interface KeyringKey {
  id: string
  key: Buffer
}

/**
 * AES-256-GCM with a random 96-bit nonce per blob and the record id as associated data, so a blob
 * copied onto another record does not decrypt. The blob names its key id: several keys can be held
 * for rotation; the first one encrypts, all of them decrypt.
 */
export class Keyring {
  private readonly keys: KeyringKey[]
  private readonly byId: Map<string, Buffer>

  constructor(secrets: readonly string[]) {
    if (secrets.length === 0) throw new Error('encryptionKey: at least one key is required.')
    this.keys = secrets.map((secret, index) => {
      const key = decodeKey(secret, index)
      return { id: keyId(key), key }
    })
    this.byId = new Map(this.keys.map((k) => [k.id, k.key]))
  }

  get currentKeyId(): string {
    return this.primary.id
  }

  encrypt(plaintext: string, associatedData: string): string {
    const nonce = randomBytes(NONCE_BYTES)
    const cipher = createCipheriv('aes-256-gcm', this.primary.key, nonce)
    cipher.setAAD(Buffer.from(associatedData, 'utf8'))
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
    const sealed = Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64url')
    return `${VERSION}.${this.primary.id}.${sealed}`
  }

  decrypt(blob: string, associatedData: string): string {
    const [version, id, sealed] = blob.split('.')
    if (version !== VERSION || !id || !sealed) throw new DecryptionError('unknown blob format')
    const key = this.byId.get(id)
    if (!key) throw new DecryptionError(`no key with id ${id} in the keyring`)
    const raw = Buffer.from(sealed, 'base64url')
    if (raw.length < NONCE_BYTES + TAG_BYTES) throw new DecryptionError('blob too short')
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, NONCE_BYTES))
    decipher.setAAD(Buffer.from(associatedData, 'utf8'))
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES))
    try {
      const body = raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES)
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8')
    } catch {
      throw new DecryptionError('authentication failed (wrong key, tampered blob or wrong record)')
    }
  }

  /** Whether a blob was written with a key other than the current one (a rotation sweep re-encrypts it). */
  needsReencryption(blob: string): boolean {
    return blob.split('.')[1] !== this.primary.id
  }

  /**
   * Secrets for another purpose (cookie signing), one per key with the current key's first, so the
   * encryption keys are never reused as they are and rotation keeps older cookies valid.
   */
  deriveAll(purpose: string): string[] {
    return this.keys.map(({ key }) =>
      Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), purpose, 32)).toString('base64url'),
    )
  }

  private get primary(): KeyringKey {
    return this.keys[0] as KeyringKey
  }
}

export class DecryptionError extends Error {
  constructor(reason: string) {
    super(`Could not decrypt a stored secret: ${reason}.`)
    this.name = 'DecryptionError'
  }
}

const HEX_KEY = /^[0-9a-fA-F]{64}$/
const BASE64_KEY = /^[A-Za-z0-9+/_-]{43}=?$/

/** Accepts 32 bytes as 64 hex characters or as base64/base64url (43 or 44 characters). */
export function decodeKey(secret: string, index = 0): Buffer {
  const where = index === 0 ? 'encryptionKey' : `encryptionKey[${index}]`
  const trimmed = secret.trim()
  let key: Buffer | undefined
  if (HEX_KEY.test(trimmed)) key = Buffer.from(trimmed, 'hex')
  else if (BASE64_KEY.test(trimmed))
    key = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64')
  if (key?.length !== 32) {
    const bytes = describeLength(trimmed)
    throw new Error(
      `${where} must be 32 bytes encoded as base64 (44 characters) or hex (64 characters); got ${bytes}. ` +
        "Generate one with: node -e \"console.log(require('node:crypto').randomBytes(32).toString('base64'))\"",
    )
  }
  return key
}

function describeLength(value: string): string {
  if (/^[0-9a-fA-F]+$/.test(value) && value.length % 2 === 0) return `${value.length / 2} bytes of hex`
  if (/^[A-Za-z0-9+/_-]+=*$/.test(value)) return `${Buffer.from(value, 'base64').length} bytes of base64`
  return `a value of ${value.length} characters that is neither hex nor base64`
}

function keyId(key: Buffer): string {
  return createHash('sha256').update('express-connections key id').update(key).digest('base64url').slice(0, 8)
}
