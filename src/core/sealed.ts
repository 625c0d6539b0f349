import { canonicalJson } from '../crypto/canonical-json.js'
import { DecryptionError, type Keyring } from '../crypto/keyring.js'
import type { TokenResponse } from '../providers/types.js'
import { ConnectionsError } from './errors.js'
import type { ConnectionRecord, ConnectionSecrets } from './model.js'
import type { OpenedSecrets } from './opened-secrets.js'

/** The fields of a record its secrets are bound to: they must be the record's own when it is opened. */
export type SealedFor = Pick<ConnectionRecord, 'id' | 'owner' | 'provider' | 'apiBaseUrl' | 'params'>

/**
 * Seals a record's secrets so that they only open on that record, as it was when they were sealed:
 * the record id is the associated data, and every blob written now (`v2`, see {@link Keyring}) is also
 * bound to the record's owner, provider and API base. Someone who can write to the store but holds
 * no key cannot then hand the tokens to another owner, or send them to another host by changing the
 * provider or the API base: the record no longer opens.
 *
 * The blob's format version is in the keyring's blob prefix; what it means for a connection is
 * decided here: `v2` is bound (see {@link bindingOf}), `v1` (sealed before bindings existed) is bound
 * to the id alone: it opens only with `acceptUnboundSecrets` (the keyring's `openUnbound`), and counts
 * as needing re-encryption, so that the rotation sweep (`router.connections.reencrypt()`) upgrades it.
 */
export class SecretBox {
  /** @param opened where opened secrets are kept for a while (the token hand-outs' box only). */
  constructor(
    private readonly keyring: Keyring,
    private readonly opened?: OpenedSecrets,
  ) {}

  /**
   * The secrets sealed for exactly this record: build the final record first (owner, provider and
   * `apiBaseUrl` as they will be stored), then seal — or use {@link withSecrets}, which does both.
   */
  seal(record: SealedFor, secrets: ConnectionSecrets): string {
    return this.keyring.encrypt(JSON.stringify(secrets), aad(record.id), bindingOf(record))
  }

  /** The record with its secrets sealed for it, as it is given (its own fields are what is bound). */
  withSecrets(record: Omit<ConnectionRecord, 'secrets'>, secrets: ConnectionSecrets): ConnectionRecord {
    return { ...record, secrets: this.seal(record, secrets) }
  }

  /**
   * Throws `internal_error` (never a bare DecryptionError) when no key of the ring opens them, or when
   * the record is not the one they were sealed for (its owner, provider or API base was changed).
   */
  open(record: ConnectionRecord): ConnectionSecrets | null {
    if (!record.secrets) return null
    const binding = bindingOf(record)
    const kept = this.opened?.get(record.secrets, record.id, binding)
    if (kept !== undefined) return JSON.parse(kept) as ConnectionSecrets
    try {
      const plaintext = this.keyring.decrypt(record.secrets, aad(record.id), binding)
      this.opened?.put(record.secrets, record.id, binding, plaintext)
      return JSON.parse(plaintext) as ConnectionSecrets
    } catch (error) {
      if (!(error instanceof DecryptionError)) throw error
      throw new ConnectionsError('internal_error', whyNot(error), { cause: error })
    }
  }

  /**
   * The record's secrets sealed again with the current key and bound to the record, or null when
   * they already are (or there are none). Throws DecryptionError when no key of the ring opens them,
   * or when they are bound to other fields than the record's (never re-bound: that would launder a
   * change made in the store).
   */
  reseal(record: ConnectionRecord): string | null {
    if (!record.secrets) return null
    const binding = bindingOf(record)
    if (!this.keyring.needsReencryption(record.secrets, binding)) return null
    return this.keyring.encrypt(
      this.keyring.decrypt(record.secrets, aad(record.id), binding),
      aad(record.id),
      binding,
    )
  }
}

function aad(id: string): string {
  return `connection:${id}`
}

/**
 * What a `v2` connection blob is bound to, in one canonical, unambiguous encoding (JSON of an array
 * of strings or null): the id again, the owner, the provider and the API base (a missing one is null),
 * and the connection params when it has any (they choose the hosts its tokens go to; records without
 * them keep the binding they were sealed with).
 */
export function bindingOf(record: SealedFor): string {
  const bound = ['connection', record.id, record.owner, record.provider, record.apiBaseUrl ?? null]
  const params = record.params ? Object.entries(record.params) : []
  if (params.length > 0) bound.push(canonicalJson(Object.fromEntries(params)))
  return JSON.stringify(bound)
}

function whyNot(error: DecryptionError): string {
  switch (error.kind) {
    case 'binding':
      return (
        'The connection record does not match what its stored secrets were sealed for: its owner, ' +
        'provider, API base or connection params were changed in the store since. They are not used.'
      )
    case 'unbound':
      return (
        "The connection's stored secrets were sealed before 0.1.0 bound them to their record. Set " +
        'acceptUnboundSecrets: true, run connections.reencrypt(), then remove the option.'
      )
    case 'unknown_key':
      return (
        "The connection's stored secrets open with none of the configured encryption keys (was " +
        'encryptionKey changed without keeping the old key after it?).'
      )
    default:
      return (
        "The connection's stored secrets open with none of the configured encryption keys: the " +
        'blob was altered in the store, moved from another record, or sealed with another key.'
      )
  }
}

/** A provider may omit the refresh token (on a repeated consent, on a refresh): keep the one we had. */
export function secretsOf(tokens: TokenResponse, previous: ConnectionSecrets | null): ConnectionSecrets {
  if (typeof tokens.access_token !== 'string' || tokens.access_token === '') {
    throw new ConnectionsError('provider_error', 'The provider returned no access token.')
  }
  return {
    accessToken: tokens.access_token,
    refreshToken:
      typeof tokens.refresh_token === 'string' ? tokens.refresh_token : (previous?.refreshToken ?? null),
    tokenType: typeof tokens.token_type === 'string' ? tokens.token_type : 'Bearer',
    idToken: typeof tokens.id_token === 'string' ? tokens.id_token : (previous?.idToken ?? null),
  }
}

export function grantedScopes(tokens: TokenResponse, fallback: string[]): string[] {
  if (typeof tokens.scope !== 'string') return fallback
  return tokens.scope.split(/[\s,]+/).filter(Boolean)
}

/**
 * When the access token expires, or null when unknown. An `expires_in` that is no positive number, or
 * so large that no Date holds it (past ~8.6e12 s), is unknown too: it must not fail the callback after
 * the state is spent, nor a refresh whose answer carries a rotated refresh token.
 */
export function expiresAt(tokens: TokenResponse, now: Date): string | null {
  const { expires_in: raw } = tokens
  const seconds = typeof raw === 'number' || typeof raw === 'string' ? Number(raw) : Number.NaN
  if (!Number.isFinite(seconds) || seconds <= 0) return null
  const at = new Date(now.getTime() + seconds * 1000)
  return Number.isNaN(at.getTime()) ? null : at.toISOString()
}
