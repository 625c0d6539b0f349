import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto'

const NONCE_BYTES = 12
const TAG_BYTES = 16
const DIGEST = /^[A-Za-z0-9_-]{43}$/

export interface KeyringKey {
  id: string
  key: Buffer
}

/**
 * AES-256-GCM with a random 96-bit nonce per blob and caller-chosen associated data (the record id),
 * so a blob copied onto another record does not decrypt. The blob names its key id: several keys can
 * be held for rotation; the first one encrypts, all of them decrypt.
 *
 * The blob's first field is its format version, and the version lives here, in the blob's prefix:
 *
 * - `v1.<keyid>.<sealed>`: the associated data is the caller's string as it is. Written by
 *   {@link encrypt} without a binding (flow verifiers), and by every seal before bindings existed.
 * - `v2.<keyid>.<digest>.<sealed>`: the blob is also bound to a `binding`, a string of the caller's
 *   (a canonical encoding of the record fields a secret must only be used with: owner, provider, API
 *   base, URLs…). It carries the binding's SHA-256 digest, and the associated data fed to GCM is
 *   `["v2", associatedData, digest]` in JSON, so the version, the caller's string and the binding are
 *   all authenticated. The digest travels in the blob so that the keyring can authenticate a blob
 *   without being told the record (a key holder opens it with its associated data alone) and so that
 *   a record that no longer matches its blob is told apart from a wrong key or an altered blob.
 *
 * The keyring stays generic: it takes strings and never knows what a binding means. The callers
 * (SecretBox for connections, CustomProviderStore) build the binding from the record they seal or
 * open, and treat a `v1` blob as sealed before bindings (readable, upgraded by the rotation sweep).
 */
export class Keyring {
  private readonly keys: KeyringKey[]
  private readonly byId: Map<string, Buffer>
  private readonly openUnbound: boolean

  /**
   * @param options.openUnbound Whether a `v1` blob opens when the caller binds (decrypts with a
   *   `binding`). Off by default: a `v1` blob carries no binding, so a copy written back from an old
   *   dump, with the record's owner or URLs changed, would open. On only to migrate such blobs (the
   *   rotation sweep then upgrades them to `v2`).
   */
  constructor(secrets: readonly (string | Uint8Array)[], options: { openUnbound?: boolean } = {}) {
    this.openUnbound = options.openUnbound ?? false
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

  /** A `v2` blob bound to `binding` when one is given, else a `v1` blob (see the class comment). */
  encrypt(plaintext: string, associatedData: string, binding?: string): string {
    // Not remembered: a flow's binding is sealed once and opened once, and would only push out the
    // digests token hand-outs open again and again.
    const digest = binding === undefined ? null : bindingDigest(binding, false)
    const nonce = randomBytes(NONCE_BYTES)
    const cipher = createCipheriv('aes-256-gcm', this.primary.key, nonce)
    cipher.setAAD(gcmAad(associatedData, digest))
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
    const sealed = Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64url')
    return digest === null ? `v1.${this.primary.id}.${sealed}` : `v2.${this.primary.id}.${digest}.${sealed}`
  }

  /**
   * The plaintext. With a `binding`, a `v2` blob must have been bound to exactly that string (else a
   * DecryptionError of kind `binding`, after the blob itself has been authenticated), and a `v1` blob
   * (sealed before bindings) opens only when the ring was built with `openUnbound` (else kind
   * `unbound`). Without one, the binding is not checked.
   */
  decrypt(blob: string, associatedData: string, binding?: string): string {
    const parsed = parse(blob)
    const key = this.byId.get(parsed.id)
    if (!key) throw new DecryptionError(`no key with id ${parsed.id} in the keyring`, 'unknown_key')
    const raw = Buffer.from(parsed.sealed, 'base64url')
    if (raw.length < NONCE_BYTES + TAG_BYTES) throw new DecryptionError('blob too short')
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, NONCE_BYTES))
    decipher.setAAD(gcmAad(associatedData, parsed.digest))
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES))
    let plaintext: string
    try {
      const body = raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES)
      plaintext = Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8')
    } catch {
      throw new DecryptionError('authentication failed (wrong key, tampered blob or wrong record)')
    }
    if (binding === undefined) return plaintext
    if (parsed.digest === null && !this.openUnbound) {
      throw new DecryptionError('the secret was sealed before secrets were bound to records', 'unbound')
    }
    if (parsed.digest !== null && parsed.digest !== bindingDigest(binding)) {
      throw new DecryptionError('the record does not match what the secret was sealed for', 'binding')
    }
    return plaintext
  }

  /**
   * Whether a blob should be sealed again (a rotation sweep does): it names a key other than the
   * current one, or — when the caller binds its blobs and says to what — it is a `v1` blob (sealed
   * before bindings) or a `v2` blob bound to something else (opening it then fails: reported, never
   * re-bound). Malformed blobs count as needing it (opening them then fails).
   */
  needsReencryption(blob: string, binding?: string): boolean {
    let parsed: ParsedBlob
    try {
      parsed = parse(blob)
    } catch {
      return true
    }
    if (parsed.id !== this.primary.id) return true
    if (binding === undefined) return false
    return parsed.digest !== bindingDigest(binding)
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

/**
 * Why a blob did not open: `format` (not a blob), `unknown_key` (its key is not in the ring),
 * `authentication` (GCM refused it: another key under the same id, an altered blob, other associated
 * data), `binding` (authentic, but bound to other record fields than the caller's) or `unbound` (a
 * `v1` blob where a binding is required).
 */
export type DecryptionFailure = 'format' | 'unknown_key' | 'authentication' | 'binding' | 'unbound'

export class DecryptionError extends Error {
  readonly kind: DecryptionFailure

  constructor(reason: string, kind: DecryptionFailure = 'authentication') {
    super(`Could not ${kind === 'binding' ? 'open' : 'decrypt'} a stored secret: ${reason}.`)
    this.name = 'DecryptionError'
    this.kind = kind
  }
}

interface ParsedBlob {
  id: string
  /** The binding's digest of a `v2` blob; null for a `v1` blob. */
  digest: string | null
  sealed: string
}

function parse(blob: string): ParsedBlob {
  const parts = typeof blob === 'string' ? blob.split('.') : []
  const [version, id, third, fourth] = parts
  if (version === 'v1' && parts.length === 3 && id && third) return { id, digest: null, sealed: third }
  if (version === 'v2' && parts.length === 4 && id && third && DIGEST.test(third) && fourth) {
    return { id, digest: third, sealed: fourth }
  }
  throw new DecryptionError('unknown blob format', 'format')
}

/** What GCM authenticates besides the ciphertext: the caller's string as it is for `v1` blobs. */
function gcmAad(associatedData: string, digest: string | null): Buffer {
  const aad = digest === null ? associatedData : JSON.stringify(['v2', associatedData, digest])
  return Buffer.from(aad, 'utf8')
}

/** Digests of the bindings seen last: a connection's is computed again on every token hand-out. */
const recentDigests = new Map<string, string>()
const RECENT_DIGESTS = 1024

/** SHA-256 of a binding, domain-separated, as the 43 base64url characters a `v2` blob carries. */
function bindingDigest(binding: string, remember = true): string {
  const known = recentDigests.get(binding)
  if (known !== undefined) return known
  const digest = createHash('sha256')
    .update('express-connections binding\u0000')
    .update(binding, 'utf8')
    .digest('base64url')
  if (!remember) return digest
  if (recentDigests.size >= RECENT_DIGESTS) recentDigests.clear()
  recentDigests.set(binding, digest)
  return digest
}

const HEX_KEY = /^[0-9a-fA-F]{64}$/
const BASE64_KEY = /^[A-Za-z0-9+/_-]{43}=?$/

/**
 * Accepts 32 bytes as 64 hex characters, as base64/base64url (43 or 44 characters), or as a Buffer
 * or Uint8Array (copied: the caller may reuse theirs).
 */
export function decodeKey(secret: string | Uint8Array, index = 0): Buffer {
  const where = index === 0 ? 'encryptionKey' : `encryptionKey[${index}]`
  if (secret instanceof Uint8Array) {
    if (secret.length !== 32) {
      throw new Error(
        `${where} must be 32 bytes; got a ${secret.constructor.name} of ${secret.length} bytes.`,
      )
    }
    return Buffer.from(secret)
  }
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
