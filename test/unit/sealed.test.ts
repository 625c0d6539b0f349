import { randomBytes, randomUUID } from 'node:crypto'
import Keyv from 'keyv'
import { describe, expect, it } from 'vitest'
import { ConnectionsError } from '../../src/core/errors.js'
import type { ConnectionRecord, ConnectionSecrets } from '../../src/core/model.js'
import { expiresAt, SecretBox } from '../../src/core/sealed.js'
import { DecryptionError, Keyring } from '../../src/crypto/keyring.js'
import { InProcessLock } from '../../src/locks/lock.js'
import { type CustomProviderInput, CustomProviderStore } from '../../src/storage/custom-providers.js'
import { keys } from '../../src/storage/keys.js'
import { SafeStore } from '../../src/storage/safe-store.js'
import { connectionRecord } from '../support/fixtures.js'

/**
 * P10: a connection's secrets open only on the record they were sealed for (its id, owner, provider
 * and API base), and a custom provider's client secret only with the URLs and client id it was
 * registered with; blobs sealed before these bindings (v1) still open, and the sweep upgrades them.
 */

const keyA = randomBytes(32).toString('base64')
const keyB = randomBytes(32).toString('base64')

const SECRETS: ConnectionSecrets = {
  accessToken: 'sealed-access-CANARY',
  refreshToken: 'sealed-refresh-CANARY',
  tokenType: 'Bearer',
  idToken: null,
}

function record(overrides: Partial<ConnectionRecord> = {}): Omit<ConnectionRecord, 'secrets'> {
  const { secrets: _none, ...rest } = connectionRecord({
    provider: 'salesforce',
    label: 'Salesforce',
    apiBaseUrl: 'https://ana.my.salesforce.com',
    ...overrides,
  })
  return rest
}

/** A blob the way SecretBox sealed it before bindings: the record id alone as associated data. */
function sealedTheOldWay(ring: Keyring, id: string, secrets: ConnectionSecrets = SECRETS): string {
  return ring.encrypt(JSON.stringify(secrets), `connection:${id}`)
}

function refusal(run: () => unknown): ConnectionsError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(ConnectionsError)
    return error as ConnectionsError
  }
  throw new Error('expected a refusal')
}

describe('SecretBox: connection secrets bound to their record (P10)', () => {
  it('seals v2 blobs under the current key that open on their own record', () => {
    const ring = new Keyring([keyA])
    const box = new SecretBox(ring)
    const sealed = box.withSecrets(record(), SECRETS)
    expect(sealed.secrets?.startsWith(`v2.${ring.currentKeyId}.`)).toBe(true)
    expect(sealed.secrets).not.toContain('CANARY')
    expect(box.open(sealed)).toEqual(SECRETS)
    expect(box.seal(sealed, SECRETS)).not.toBe(sealed.secrets)
    // A record without an apiBaseUrl field is the same as one with null.
    const { apiBaseUrl: _a, ...withoutBase } = record({ apiBaseUrl: null })
    const bare = box.withSecrets(withoutBase, SECRETS)
    expect(box.open({ ...bare, apiBaseUrl: null })).toEqual(SECRETS)
    // Moved onto another record id, it does not open either (the id is the associated data).
    expect(refusal(() => box.open({ ...sealed, id: randomUUID() })).code).toBe('internal_error')
  })

  it.each<[string, Partial<ConnectionRecord>]>([
    ['owner', { owner: 'bob' }],
    ['provider', { provider: 'evil-custom' }],
    ['apiBaseUrl (another host)', { apiBaseUrl: 'https://attacker.example' }],
    ['apiBaseUrl (removed)', { apiBaseUrl: null }],
  ])(
    'refuses to open a v2 blob once the record’s %s was changed: internal_error, not blaming the key',
    (_field, change) => {
      const box = new SecretBox(new Keyring([keyA]))
      const sealed = box.withSecrets(record(), SECRETS)
      const error = refusal(() => box.open({ ...sealed, ...change }))
      expect(error.code).toBe('internal_error')
      expect(error.message).toMatch(/does not match what its stored secrets were sealed for/)
      expect(error.message).not.toMatch(/encryption key/)
      expect(error.cause).toBeInstanceOf(DecryptionError)
      expect((error.cause as DecryptionError).kind).toBe('binding')
      expect(error.message).not.toContain('CANARY')
    },
  )

  it('refuses a v2 blob whose key left the ring with the message that names the keys', () => {
    const sealed = new SecretBox(new Keyring([keyA])).withSecrets(record(), SECRETS)
    const error = refusal(() => new SecretBox(new Keyring([keyB])).open(sealed))
    expect(error.code).toBe('internal_error')
    expect(error.message).toMatch(/none of the configured encryption keys/)
  })

  it('refuses a v1 blob sealed the old way (the record id alone) unless told to accept unbound secrets', () => {
    const ring = new Keyring([keyA])
    const base = record()
    const old: ConnectionRecord = { ...base, secrets: sealedTheOldWay(ring, base.id) }
    expect(old.secrets?.startsWith(`v1.${ring.currentKeyId}.`)).toBe(true)
    // An old dump written back with the owner changed would open: refused, and the sweep leaves it.
    const refused = refusal(() => new SecretBox(ring).open({ ...old, owner: 'mallory' }))
    expect(refused.code).toBe('internal_error')
    expect(refused.message).toMatch(/acceptUnboundSecrets/)
    expect(() => new SecretBox(ring).reseal(old)).toThrow(DecryptionError)
  })

  it('with acceptUnboundSecrets, still opens a v1 blob, on its own record only', () => {
    const ring = new Keyring([keyA], { openUnbound: true })
    const box = new SecretBox(ring)
    const base = record()
    const old: ConnectionRecord = { ...base, secrets: sealedTheOldWay(ring, base.id) }
    expect(box.open(old)).toEqual(SECRETS)
    expect(refusal(() => box.open({ ...old, id: randomUUID() })).code).toBe('internal_error')
  })

  it('reseal upgrades a v1 blob to v2 even under the current key, bound to the record; then leaves it', () => {
    const ring = new Keyring([keyA], { openUnbound: true })
    const box = new SecretBox(ring)
    const base = record()
    const old: ConnectionRecord = { ...base, secrets: sealedTheOldWay(ring, base.id) }
    expect(ring.needsReencryption(old.secrets as string)).toBe(false)
    const upgraded = box.reseal(old)
    expect(upgraded?.startsWith(`v2.${ring.currentKeyId}.`)).toBe(true)
    const now: ConnectionRecord = { ...old, secrets: upgraded }
    expect(box.open(now)).toEqual(SECRETS)
    expect(box.reseal(now)).toBeNull()
    // From now on, the record's fields are bound.
    expect(refusal(() => box.open({ ...now, apiBaseUrl: 'https://attacker.example' })).code).toBe(
      'internal_error',
    )
  })

  it('reseal moves v1 and v2 blobs to a new key, and never re-binds a v2 blob to a changed record', () => {
    const box = new SecretBox(new Keyring([keyA]))
    const sealed = box.withSecrets(record(), SECRETS)
    const rotated = new SecretBox(new Keyring([keyB, keyA]))
    const moved = rotated.reseal(sealed)
    expect(moved).not.toBeNull()
    expect(new SecretBox(new Keyring([keyB])).open({ ...sealed, secrets: moved })).toEqual(SECRETS)

    const tampered = { ...sealed, owner: 'bob' }
    expect(() => rotated.reseal(tampered)).toThrow(DecryptionError)
    // Under the current key too: the sweep reports it rather than calling it done.
    expect(() => box.reseal(tampered)).toThrow(DecryptionError)
  })
})

describe('CustomProviderStore: client secrets bound to the provider’s URLs and client id (P10)', () => {
  const input = (overrides: Partial<CustomProviderInput> = {}): CustomProviderInput => ({
    slug: 'acme',
    name: 'Acme',
    authorizationUrl: 'https://auth.acme.example/authorize',
    tokenUrl: 'https://auth.acme.example/token',
    userInfoUrl: 'https://api.acme.example/me',
    revocationUrl: 'https://auth.acme.example/revoke',
    apiBaseUrl: 'https://api.acme.example',
    scopes: ['read'],
    tokenAuth: 'client_secret_post',
    clientId: 'acme-client',
    clientSecret: 'acme-client-secret-CANARY',
    ...overrides,
  })
  const setup = (ring: Keyring) => {
    const keyv = new Keyv()
    const store = new SafeStore(keyv, 5_000)
    const lock = new InProcessLock()
    return { keyv, store, lock, providers: new CustomProviderStore(store, lock, ring) }
  }
  const stored = async (keyv: Keyv, owner: string) =>
    (await keyv.get(keys.customProvider(owner, 'acme'))) as Record<string, unknown>

  it.each([
    ['authorizationUrl', 'https://attacker.example/authorize'],
    ['tokenUrl', 'https://attacker.example/token'],
    ['userInfoUrl', 'https://attacker.example/me'],
    ['revocationUrl', 'https://attacker.example/revoke'],
    ['apiBaseUrl', 'https://attacker.example'],
    ['clientId', 'attacker-client'],
  ])('a client secret no longer opens once %s is changed in the store', async (field, value) => {
    const ring = new Keyring([keyA])
    const { keyv, providers } = setup(ring)
    await providers.put('ana', input(), new Date())
    const record = await stored(keyv, 'ana')
    expect(String(record.clientSecret).startsWith(`v2.${ring.currentKeyId}.`)).toBe(true)
    expect((await providers.list('ana')).map((p) => p.secret)).toEqual(['acme-client-secret-CANARY'])

    await keyv.set(keys.customProvider('ana', 'acme'), { ...record, [field]: value })
    expect((await providers.list('ana')).map((p) => p.secret)).toEqual([null])
    // The sweep reports it and leaves it as it is.
    expect(await providers.reseal('ana')).toEqual({ checked: 1, resealed: 0, failed: ['acme'] })
  })

  it('refuses a v1 client secret (owner and slug alone) by default; the sweep reports it', async () => {
    const ring = new Keyring([keyA])
    const { keyv, providers } = setup(ring)
    await providers.put('ana', input(), new Date())
    const record = await stored(keyv, 'ana')
    const legacy = ring.encrypt('acme-client-secret-CANARY', 'custom-provider:ana:acme')
    await keyv.set(keys.customProvider('ana', 'acme'), { ...record, clientSecret: legacy })
    expect((await providers.list('ana')).map((p) => p.secret)).toEqual([null])
    expect(await providers.reseal('ana')).toEqual({ checked: 1, resealed: 0, failed: ['acme'] })
  })

  it('with acceptUnboundSecrets, reads a v1 client secret and the sweep upgrades it to v2', async () => {
    const ring = new Keyring([keyA], { openUnbound: true })
    const { keyv, providers } = setup(ring)
    await providers.put('ana', input(), new Date())
    const record = await stored(keyv, 'ana')
    const legacy = ring.encrypt('acme-client-secret-CANARY', 'custom-provider:ana:acme')
    await keyv.set(keys.customProvider('ana', 'acme'), { ...record, clientSecret: legacy })
    expect((await providers.list('ana')).map((p) => p.secret)).toEqual(['acme-client-secret-CANARY'])

    expect(await providers.reseal('ana')).toEqual({ checked: 1, resealed: 1, failed: [] })
    const upgraded = await stored(keyv, 'ana')
    expect(String(upgraded.clientSecret).startsWith(`v2.${ring.currentKeyId}.`)).toBe(true)
    expect((await providers.list('ana')).map((p) => p.secret)).toEqual(['acme-client-secret-CANARY'])
    expect(await providers.reseal('ana')).toEqual({ checked: 1, resealed: 0, failed: [] })

    // Bound from now on.
    await keyv.set(keys.customProvider('ana', 'acme'), {
      ...upgraded,
      tokenUrl: 'https://attacker.example/t',
    })
    expect((await providers.list('ana')).map((p) => p.secret)).toEqual([null])
  })

  it('a secret sealed for one owner does not open for another', async () => {
    const { keyv, providers } = setup(new Keyring([keyA]))
    await providers.put('ana', input(), new Date())
    const anas = await stored(keyv, 'ana')
    // A slug is one owner's at a time: ana gives it up before bob registers it.
    await providers.remove('ana', 'acme')
    await providers.put('bob', input({ clientSecret: 'bob-secret-CANARY' }), new Date())
    await keyv.set(keys.customProvider('bob', 'acme'), anas)
    expect((await providers.list('bob')).map((p) => p.secret)).toEqual([null])
  })
})

describe('expiresAt', () => {
  const now = new Date('2026-01-01T00:00:00.000Z')

  it('reads expires_in in seconds, as a number or a numeric string', () => {
    expect(expiresAt({ expires_in: 3600 }, now)).toBe('2026-01-01T01:00:00.000Z')
    expect(expiresAt({ expires_in: '60' }, now)).toBe('2026-01-01T00:01:00.000Z')
  })

  it.each([
    ['past what a Date holds', 8.7e12],
    ['as a string past it', '1e20'],
    ['infinite', Number.POSITIVE_INFINITY],
    ['not a number', 'soon'],
    ['negative', -1],
    ['zero', 0],
    ['empty', ''],
    ['an object', { seconds: 60 } as unknown as number],
    ['absent', undefined],
  ])('takes an expires_in %s as unknown (null), never throwing', (_what, value) => {
    expect(expiresAt({ expires_in: value }, now)).toBeNull()
  })
})
