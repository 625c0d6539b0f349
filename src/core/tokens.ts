import { GrantRevokedError, type TokenEndpoint } from '../oauth/token-client.js'
import type { OAuth2Provider } from '../providers/types.js'
import type { Repository } from '../storage/repository.js'
import { ConnectionsError } from './errors.js'
import type { Connection, ConnectionRecord } from './model.js'
import type { Recorder } from './recorder.js'
import { expiresAt, grantedScopes, type SecretBox, secretsOf } from './sealed.js'

/** What token vending hands out. */
export interface AccessToken {
  accessToken: string
  tokenType: string
  expiresAt: string | null
  scopes: string[]
}

export interface TokenDeps {
  repository: Repository
  box: SecretBox
  endpoint: TokenEndpoint
  recorder: Recorder
  provider: (id: string) => OAuth2Provider
  toPublic: (record: ConnectionRecord) => Connection
  /** Refresh when the token expires within this long (capped at half its lifetime). */
  refreshSkewMs: number
  now: () => Date
}

const TOUCH_INTERVAL_MS = 60_000

/**
 * Valid access tokens for connections: refreshes a token about to expire, one refresh at a time per
 * connection (single-flight in this process, the repository's connection lock across processes, and
 * a re-read under the lock, since another instance may have refreshed already).
 */
export class TokenManager {
  private readonly inFlight = new Map<string, Promise<ConnectionRecord>>()

  constructor(private readonly deps: TokenDeps) {}

  async accessToken(
    record: ConnectionRecord,
    actor: string,
  ): Promise<{ token: AccessToken; record: ConnectionRecord }> {
    assertUsable(record)
    let current = record
    if (this.isExpiring(current)) current = await this.refresh(current, actor)
    else current = await this.touch(current)
    const secrets = this.deps.box.open(current)
    if (!secrets) throw usable(current)
    return {
      record: current,
      token: {
        accessToken: secrets.accessToken,
        tokenType: secrets.tokenType,
        expiresAt: current.expiresAt,
        scopes: current.grantedScopes,
      },
    }
  }

  /**
   * Refreshes now, once for all concurrent callers. With `rejectedToken` (after the provider answered
   * 401) it refreshes only if that is still the stored token; otherwise only if the token is expiring.
   */
  refresh(record: ConnectionRecord, actor: string, rejectedToken?: string): Promise<ConnectionRecord> {
    const running = this.inFlight.get(record.id)
    if (running) return running
    const run = this.refreshUnderLock(record.id, actor, rejectedToken).finally(() =>
      this.inFlight.delete(record.id),
    )
    this.inFlight.set(record.id, run)
    return run
  }

  private async refreshUnderLock(
    id: string,
    actor: string,
    rejectedToken?: string,
  ): Promise<ConnectionRecord> {
    let outcome:
      | { action: 'refreshed' }
      | { action: 'refresh_failed'; reason: string; code: string }
      | undefined
    let transportFailure: ConnectionsError | undefined
    const record = await this.deps.repository
      .updateConnection(id, async (current) => {
        assertUsable(current)
        const secrets = this.deps.box.open(current)
        if (!secrets) throw usable(current)
        const stale = rejectedToken ? secrets.accessToken === rejectedToken : this.isExpiring(current)
        if (!stale) return current
        const now = this.deps.now()
        if (!secrets.refreshToken) {
          if (!rejectedToken && !this.isExpired(current)) return current
          const reason =
            'The access token expired and the provider gave no refresh token. Reconnect to continue.'
          outcome = { action: 'refresh_failed', reason, code: 'no_refresh_token' }
          return needsReauth(current, reason, now)
        }
        const provider = this.deps.provider(current.provider)
        try {
          const tokens = await this.deps.endpoint.refresh(provider, secrets.refreshToken)
          outcome = { action: 'refreshed' }
          return {
            ...current,
            grantedScopes: grantedScopes(tokens, current.grantedScopes),
            expiresAt: expiresAt(tokens, now),
            lastRefreshedAt: now.toISOString(),
            lastUsedAt: now.toISOString(),
            updatedAt: now.toISOString(),
            // The rotated refresh token is written with the new access token, in this one write.
            secrets: this.deps.box.seal(current.id, secretsOf(tokens, secrets)),
          }
        } catch (error) {
          if (!(error instanceof GrantRevokedError)) {
            transportFailure = error instanceof ConnectionsError ? error : providerError(provider, error)
            throw transportFailure
          }
          const reason = `${provider.name} refused the refresh token (${error.providerCode}). Reconnect to continue.`
          outcome = { action: 'refresh_failed', reason, code: error.providerCode }
          return needsReauth(current, reason, now)
        }
      })
      .catch(async (error: unknown) => {
        if (transportFailure) await this.recordFailure(id, actor, transportFailure)
        throw error
      })
    if (outcome?.action === 'refreshed') {
      await this.deps.recorder.record({
        action: 'refreshed',
        record,
        connection: this.deps.toPublic(record),
        actor,
      })
    } else if (outcome?.action === 'refresh_failed') {
      await this.deps.recorder.record({
        action: 'refresh_failed',
        record,
        connection: this.deps.toPublic(record),
        actor,
        outcome: 'failure',
        detail: outcome.code,
      })
      throw usable(record)
    }
    return record
  }

  /** A failed call to the provider changes nothing but is worth a line in the trail. */
  private async recordFailure(id: string, actor: string, error: ConnectionsError): Promise<void> {
    const record = await this.deps.repository.getConnection(id).catch(() => undefined)
    if (!record) return
    await this.deps.recorder
      .record({
        action: 'refresh_failed',
        record,
        connection: this.deps.toPublic(record),
        actor,
        outcome: 'failure',
        detail: error.code,
      })
      .catch(() => undefined)
  }

  /** Marks use at most once a minute, so token vending does not write on every call. */
  private async touch(record: ConnectionRecord): Promise<ConnectionRecord> {
    const now = this.deps.now()
    if (record.lastUsedAt && now.getTime() - Date.parse(record.lastUsedAt) < TOUCH_INTERVAL_MS) return record
    return this.deps.repository.updateConnection(record.id, (current) =>
      current.status === record.status ? { ...current, lastUsedAt: now.toISOString() } : current,
    )
  }

  private isExpiring(record: ConnectionRecord): boolean {
    if (!record.expiresAt) return false
    const expires = Date.parse(record.expiresAt)
    const issued = Date.parse(record.lastRefreshedAt ?? record.connectedAt)
    // A token that lives for less than twice the skew would otherwise be refreshed on every call.
    const skew = Math.min(this.deps.refreshSkewMs, Math.max(0, (expires - issued) / 2))
    return expires - this.deps.now().getTime() <= skew
  }

  private isExpired(record: ConnectionRecord): boolean {
    return record.expiresAt !== null && Date.parse(record.expiresAt) <= this.deps.now().getTime()
  }
}

function needsReauth(record: ConnectionRecord, reason: string, now: Date): ConnectionRecord {
  return { ...record, status: 'needs_reauth', statusReason: reason, updatedAt: now.toISOString() }
}

/** Tokens of a revoked connection, or of one that needs re-authorization, are not handed out. */
export function assertUsable(record: ConnectionRecord): void {
  if (record.status !== 'active') throw usable(record)
}

function usable(record: ConnectionRecord): ConnectionsError {
  const message =
    record.status === 'revoked'
      ? 'The connection was revoked.'
      : `The connection needs re-authorization: ${record.statusReason ?? 'reconnect it.'}`
  return new ConnectionsError('conflict', message, { details: [{ status: record.status }] })
}

function providerError(provider: OAuth2Provider, cause: unknown): ConnectionsError {
  return new ConnectionsError('provider_error', `${provider.name} could not refresh the token.`, { cause })
}
