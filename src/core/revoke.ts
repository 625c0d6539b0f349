import type { TokenEndpoint } from '../oauth/token-client.js'
import type { Provider } from '../providers/types.js'
import { ConnectionsError } from './errors.js'
import type { Connection, ConnectionRecord, ConnectionSecrets } from './model.js'
import type { Happening } from './recorder.js'
import type { SecretBox } from './sealed.js'

export interface RevokeOptions {
  /**
   * Revoke here only: the secrets are destroyed and the provider is not asked, so its tokens stay
   * valid there until they expire. The way out when the stored secrets no longer decrypt (a key
   * rollback): without it, such a revoke is refused with 409, because destroying the only copy of
   * tokens that are still live at the provider would leave them unrevocable.
   */
  localOnly?: boolean
}

/** What a revoke found in the record, decided under its lock before the secrets are destroyed. */
export interface RevokePlan {
  /** The tokens to revoke at the provider; null when there are none to send, or it is not asked. */
  secrets: ConnectionSecrets | null
  /** Set when the provider is not asked: why, for the audit entry. */
  skipped: string | null
}

/**
 * Opens the secrets for a revoke. When they do not open (the key they were sealed with is gone, or
 * the record was tampered with) and the provider could have revoked them, the revoke is refused
 * unless `localOnly` forces it: either way the audit says what really happened.
 */
export function planRevoke(
  box: SecretBox,
  record: ConnectionRecord,
  provider: Provider | undefined,
  options: RevokeOptions,
): RevokePlan {
  const revocable = provider?.kind === 'oauth2' && Boolean(provider.revocationUrl)
  let secrets: ConnectionSecrets | null
  try {
    secrets = box.open(record)
  } catch (error) {
    if (!(error instanceof ConnectionsError)) throw error
    if (revocable && !options.localOnly) throw new UndecryptableRevokeError(error.message)
    return {
      secrets: null,
      skipped: revocable
        ? 'revoked here only (localOnly): the stored tokens could not be decrypted, so they were not revoked at the provider and stay valid there until they expire'
        : 'provider has no revocation endpoint; the stored secrets could not be decrypted',
    }
  }
  if (!revocable) return { secrets: null, skipped: 'provider has no revocation endpoint' }
  if (options.localOnly) {
    return {
      secrets: null,
      skipped: secrets
        ? 'revoked here only (localOnly): the tokens were not revoked at the provider'
        : 'no tokens to revoke at the provider',
    }
  }
  return { secrets, skipped: secrets ? null : 'no tokens to revoke at the provider' }
}

/** The 409 of a revoke whose secrets cannot be opened; its message says why and what to do. */
export class UndecryptableRevokeError extends ConnectionsError {
  /** The refusal's audit entry (a failure, no event: nothing changed). */
  happening(record: ConnectionRecord, connection: Connection, actor: string): Happening {
    return {
      action: 'revoked',
      record,
      connection,
      actor,
      outcome: 'failure',
      detail:
        'refused: the stored tokens could not be decrypted, so they cannot be revoked at the provider; nothing was changed',
      quiet: true,
    }
  }

  constructor(why: string) {
    super(
      'conflict',
      `${why} Revoking now would destroy tokens that are still valid at the provider without revoking them there. ` +
        'Configure the key they were sealed with and revoke again, or revoke with localOnly: true to revoke the connection here only.',
    )
  }
}

/**
 * Revoking the refresh token ends the whole grant at most providers; the access token too, for the
 * rest (RFC 7009). Each is tried even if the other fails. Resolves with the audit entry's detail:
 * why the provider was not asked, or what it answered.
 */
export async function revokeAtProvider(
  endpoint: TokenEndpoint,
  provider: Provider | undefined,
  plan: RevokePlan | undefined,
): Promise<string> {
  if (plan?.skipped) return plan.skipped
  const secrets = plan?.secrets
  if (!secrets || provider?.kind !== 'oauth2') return 'no tokens to revoke at the provider'
  const kinds = provider.revocation.tokens
  const attempts: Array<[string, 'refresh_token' | 'access_token']> = []
  if (secrets.refreshToken && kinds !== 'access') attempts.push([secrets.refreshToken, 'refresh_token'])
  if (kinds !== 'refresh' || attempts.length === 0) attempts.push([secrets.accessToken, 'access_token'])
  const results = await Promise.allSettled(
    attempts.map(([token, hint]) => endpoint.revoke(provider, token, hint)),
  )
  const failed = results.filter((result) => result.status === 'rejected').length
  if (failed === 0) return 'revoked at the provider'
  return `provider revocation failed for ${failed} of ${results.length} tokens`
}
