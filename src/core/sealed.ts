import { DecryptionError, type Keyring } from '../crypto/keyring.js'
import type { TokenResponse } from '../providers/types.js'
import { ConnectionsError } from './errors.js'
import type { ConnectionRecord, ConnectionSecrets } from './model.js'

/** Seals a record's secrets with its id as associated data, so they only open on that record. */
export class SecretBox {
  constructor(private readonly keyring: Keyring) {}

  seal(id: string, secrets: ConnectionSecrets): string {
    return this.keyring.encrypt(JSON.stringify(secrets), aad(id))
  }

  /** Throws `internal_error` (never a bare DecryptionError) when no key of the ring opens them. */
  open(record: ConnectionRecord): ConnectionSecrets | null {
    if (!record.secrets) return null
    try {
      return JSON.parse(this.keyring.decrypt(record.secrets, aad(record.id))) as ConnectionSecrets
    } catch (error) {
      if (!(error instanceof DecryptionError)) throw error
      throw new ConnectionsError(
        'internal_error',
        "The connection's stored secrets open with none of the configured encryption keys (was " +
          'encryptionKey changed without keeping the old key after it?).',
        { cause: error },
      )
    }
  }

  /**
   * The record's secrets sealed again with the current key, or null when they already are (or there
   * are none). Throws DecryptionError when no key of the ring opens them.
   */
  reseal(record: ConnectionRecord): string | null {
    if (!record.secrets || !this.keyring.needsReencryption(record.secrets)) return null
    return this.keyring.encrypt(this.keyring.decrypt(record.secrets, aad(record.id)), aad(record.id))
  }
}

function aad(id: string): string {
  return `connection:${id}`
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

export function expiresAt(tokens: TokenResponse, now: Date): string | null {
  const seconds = Number(tokens.expires_in)
  if (!Number.isFinite(seconds) || seconds <= 0) return null
  return new Date(now.getTime() + seconds * 1000).toISOString()
}
