import { sameSecret } from '../crypto/compare.js'
import { GrantRevokedError, type TokenEndpoint } from '../oauth/token-client.js'
import type { OAuth2Provider } from '../providers/types.js'
import { MissingRecordError, type Repository } from '../storage/repository.js'
import { ConnectionsError, type ErrorCode } from './errors.js'
import type { Connection, ConnectionRecord, ConnectionSecrets } from './model.js'
import type { Recorder } from './recorder.js'
import type { RefreshBackoff } from './refresh-backoff.js'
import { expiresAt, grantedScopes, type SecretBox, secretsOf } from './sealed.js'

/** What token vending hands out. */
export interface AccessToken {
  accessToken: string
  tokenType: string
  expiresAt: string | null
  scopes: string[]
  /**
   * Set when the refresh that was due failed for a passing reason (the provider down, slow or
   * refusing) and the current token, still valid until `expiresAt`, is served instead. Over HTTP:
   * the `X-Token-Refresh: failed` header.
   */
  refreshError?: { code: ErrorCode; message: string; retryAfterSeconds?: number }
}

export interface TokenDeps {
  repository: Repository
  box: SecretBox
  endpoint: TokenEndpoint
  recorder: Recorder
  provider: (record: ConnectionRecord) => OAuth2Provider
  toPublic: (record: ConnectionRecord) => Connection
  /** Refresh when the token expires within this long (capped at half its lifetime). */
  refreshSkewMs: number
  backoff: RefreshBackoff
  now: () => Date
}

const TOUCH_INTERVAL_MS = 60_000
/**
 * Pauses before writing a refresh's outcome again, under the same lock, when the write fails: the
 * provider has already rotated the refresh token, so losing the write to a store blip would cost
 * the user the connection. About two seconds in all.
 */
const ROTATED_WRITE_RETRIES_MS = [100, 400, 1500]

/** After a 401, a token refreshed more recently than this is not refreshed again: one bad path must not loop. */
const FORCED_REFRESH_INTERVAL_MS = 30_000

/**
 * A provider that refuses a refresh with the same OAuth error this many times in a row (within the
 * hour the backoff remembers) has lost the grant, whatever the code: some servers answer a revoked
 * grant with `invalid_request` (@jmondi/oauth2-server) where RFC 6749 §5.2 says `invalid_grant`.
 */
const SAME_OAUTH_ERROR_LIMIT = 3

type Outcome =
  | { kind: 'refreshed' }
  | { kind: 'grant_lost'; reason: string; code: string }
  | { kind: 'transient'; error: ConnectionsError; called: boolean }

/**
 * Valid access tokens for connections: refreshes a token about to expire, one refresh at a time per
 * connection (single-flight in this process, the repository's connection lock across processes, and
 * a re-read under the lock, since another instance may have refreshed already). A failing token
 * endpoint is backed off (RefreshBackoff), and a token with life left is served while it is.
 */
export class TokenManager {
  private readonly inFlight = new Map<string, Promise<ConnectionRecord>>()
  /** The one read after each refresh, shared by every caller that waited on that refresh. */
  private readonly rereads = new WeakMap<Promise<ConnectionRecord>, Promise<ConnectionRecord>>()

  constructor(private readonly deps: TokenDeps) {}

  async accessToken(
    record: ConnectionRecord,
    actor: string,
  ): Promise<{ token: AccessToken; record: ConnectionRecord }> {
    assertUsable(record)
    // After a refresh (which waits on the provider and may queue behind the lock), read again: a revoke
    // that finished meanwhile must win. Without one, the caller's read is this request's own. The lock
    // is taken only to mark use (at most once a minute), so vending never queues behind it.
    let latest = record
    let refreshError: AccessToken['refreshError']
    if (this.isExpiring(record)) {
      try {
        latest = await this.refreshedThenRead(record, actor)
      } catch (error) {
        // The refresh was early: a token with life left still works while the provider is failing.
        if (!(error instanceof ConnectionsError && error.code === 'provider_error')) throw error
        latest = await this.reread(record)
        if (this.isExpired(latest)) throw error
        if (this.isExpiring(latest)) refreshError = describe(error)
      }
    }
    const current =
      this.touched(latest) === latest
        ? latest
        : await this.deps.repository.updateConnection(latest.id, (stored) => this.touched(stored))
    assertUsable(current)
    const secrets = this.deps.box.open(current)
    if (!secrets) throw usable(current)
    return {
      record: current,
      token: {
        accessToken: secrets.accessToken,
        tokenType: secrets.tokenType,
        expiresAt: current.expiresAt,
        scopes: current.grantedScopes,
        ...(refreshError ? { refreshError } : {}),
      },
    }
  }

  /**
   * The refresh, then a read of the record: one read per refresh, not one per caller. Every caller
   * joined the refresh before it settled, and the read starts after it settled, so a revoke that
   * finished before any caller's refresh did is seen by the read all of them share.
   */
  private refreshedThenRead(record: ConnectionRecord, actor: string): Promise<ConnectionRecord> {
    const flight = this.refresh(record, actor)
    let read = this.rereads.get(flight)
    if (!read) {
      read = flight.then((refreshed) => this.reread(refreshed))
      this.rereads.set(flight, read)
    }
    return read
  }

  private async reread(record: ConnectionRecord): Promise<ConnectionRecord> {
    const latest = await this.deps.repository.getConnection(record.id)
    if (!latest) throw new MissingRecordError(record.id)
    return latest
  }

  /**
   * Refreshes now, once for all concurrent callers. With `rejectedToken` (after the provider answered
   * 401) it refreshes only if that is still the stored token; otherwise only if the token is expiring.
   */
  refresh(record: ConnectionRecord, actor: string, rejectedToken?: string): Promise<ConnectionRecord> {
    const running = this.inFlight.get(record.id)
    if (running) return running
    const run = this.refreshUnderLock(record, actor, rejectedToken).finally(() =>
      this.inFlight.delete(record.id),
    )
    this.inFlight.set(record.id, run)
    return run
  }

  private async refreshUnderLock(
    known: ConnectionRecord,
    actor: string,
    rejectedToken?: string,
  ): Promise<ConnectionRecord> {
    const { id } = known
    const { backoff } = this.deps
    let outcome: Outcome | undefined
    // While the connection or its token endpoint backs off, answer at once, without waiting for the
    // lock or calling the provider. Asked while the lock is being taken, not before: in a stampede the
    // first round trip waits behind every request that arrived meanwhile, and two in a row wait twice.
    const endpointUrl = refreshUrlOf(this.deps.provider(known))
    const early = backoff.blocked(id, endpointUrl)
    const update = this.deps.repository
      .updateConnection(
        id,
        async (current) => {
          // Backing off: the caller has had its answer; the lock is let go with nothing changed.
          if (await early) return current
          assertUsable(current)
          const secrets = this.deps.box.open(current)
          if (!secrets) throw usable(current)
          if (!this.shouldRefresh(current, secrets, rejectedToken)) return current
          if (!secrets.refreshToken) {
            // A 401 on some path says little about the token; only an expired token without a way to
            // renew it means the user has to reconnect.
            if (rejectedToken || !this.isExpired(current)) return current
            const reason =
              'The access token expired and the provider gave no refresh token. Reconnect to continue.'
            outcome = { kind: 'grant_lost', reason, code: 'no_refresh_token' }
            return needsReauth(current, reason, this.deps.now())
          }
          const provider = this.deps.provider(current)
          // Requests that queued behind a refresh that failed share its outcome instead of trying again.
          const blocked = await backoff.blocked(id, refreshUrlOf(provider))
          if (blocked) {
            outcome = { kind: 'transient', error: blocked, called: false }
            throw blocked
          }
          try {
            const tokens = await this.deps.endpoint.refresh(provider, secrets.refreshToken)
            outcome = { kind: 'refreshed' }
            return this.withNewTokens(current, secrets, tokens)
          } catch (error) {
            if (error instanceof GrantRevokedError) {
              // With instances that do not share a lock, another one may have rotated the refresh token
              // meanwhile; the provider then rejects ours, but the connection is fine.
              const latest = await this.deps.repository.getConnection(id)
              const latestSecrets = latest ? this.deps.box.open(latest) : null
              if (latest && latestSecrets && !sameSecret(latestSecrets.refreshToken, secrets.refreshToken))
                return latest
              const reason = `${provider.name} refused the refresh token (${error.providerCode}). Reconnect to continue.`
              outcome = { kind: 'grant_lost', reason, code: error.providerCode }
              return needsReauth(current, reason, this.deps.now())
            }
            const failure = error instanceof ConnectionsError ? error : providerError(provider, error)
            const verdict = await backoff.failed(id, refreshUrlOf(provider), failure)
            if (verdict.oauthError && verdict.oauthErrorRepeats >= SAME_OAUTH_ERROR_LIMIT) {
              const reason = `${provider.name} refused to refresh the token ${verdict.oauthErrorRepeats} times in a row (${verdict.oauthError}). Reconnect to continue.`
              outcome = { kind: 'grant_lost', reason, code: verdict.oauthError }
              return needsReauth(current, reason, this.deps.now())
            }
            const answer = new ConnectionsError(failure.code, failure.message, {
              cause: failure,
              retryAfterSeconds: verdict.retryAfterSeconds,
            })
            outcome = { kind: 'transient', error: answer, called: true }
            throw answer
          }
        },
        { writeRetriesMs: ROTATED_WRITE_RETRIES_MS },
      )
      .catch(async (error: unknown) => {
        if (outcome?.kind === 'transient' && outcome.called)
          await this.recordTransient(id, actor, outcome.error)
        throw error
      })
    // Handled now: the update may fail while the early answer is awaited, or after it was given.
    const settled = update.then(
      (record) => ({ record }),
      (error: unknown) => ({ error }),
    )
    const blocked = await early
    if (blocked) throw blocked
    const result = await settled
    if ('error' in result) throw result.error
    const { record } = result
    if (outcome?.kind === 'refreshed') {
      await backoff.succeeded(id, endpointUrl)
      await this.deps.recorder.record({
        action: 'refreshed',
        record,
        connection: this.deps.toPublic(record),
        actor,
      })
    } else if (outcome?.kind === 'grant_lost') {
      await backoff.grantLost(id)
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

  private shouldRefresh(
    record: ConnectionRecord,
    secrets: ConnectionSecrets,
    rejectedToken?: string,
  ): boolean {
    if (!rejectedToken) return this.isExpiring(record)
    if (!sameSecret(secrets.accessToken, rejectedToken)) return false
    const last = record.lastRefreshedAt ? Date.parse(record.lastRefreshedAt) : 0
    return this.deps.now().getTime() - last >= FORCED_REFRESH_INTERVAL_MS
  }

  private withNewTokens(
    current: ConnectionRecord,
    secrets: ConnectionSecrets,
    tokens: Awaited<ReturnType<TokenEndpoint['refresh']>>,
  ): ConnectionRecord {
    const now = this.deps.now()
    // The rotated refresh token is written with the new access token, in this one write, sealed for
    // the record as it is written (its owner, provider and API base are what is bound).
    return this.deps.box.withSecrets(
      {
        ...current,
        grantedScopes: grantedScopes(tokens, current.grantedScopes),
        expiresAt: expiresAt(tokens, now) ?? this.sameLifetime(current, now),
        lastRefreshedAt: now.toISOString(),
        lastUsedAt: now.toISOString(),
        updatedAt: now.toISOString(),
      },
      secretsOf(tokens, secrets),
    )
  }

  /** A refresh answer without expires_in: assume the token lives as long as the previous one did. */
  private sameLifetime(record: ConnectionRecord, now: Date): string | null {
    if (!record.expiresAt) return null
    const lifetime = Date.parse(record.expiresAt) - Date.parse(record.lastRefreshedAt ?? record.connectedAt)
    return lifetime > 0 ? new Date(now.getTime() + lifetime).toISOString() : null
  }

  /** A failed call to the provider changes nothing; it goes to the trail, not to the event hook. */
  private async recordTransient(id: string, actor: string, error: ConnectionsError): Promise<void> {
    const record = await this.deps.repository.getConnection(id).catch(() => undefined)
    if (!record) return
    await this.deps.recorder.record({
      action: 'refresh_failed',
      record,
      connection: this.deps.toPublic(record),
      actor,
      outcome: 'failure',
      detail: `${error.code} (temporary)`,
      quiet: true,
    })
  }

  private touched(record: ConnectionRecord): ConnectionRecord {
    const now = this.deps.now()
    if (record.status !== 'active') return record
    if (record.lastUsedAt && now.getTime() - Date.parse(record.lastUsedAt) < TOUCH_INTERVAL_MS) return record
    return { ...record, lastUsedAt: now.toISOString() }
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

function describe(error: ConnectionsError): NonNullable<AccessToken['refreshError']> {
  return {
    code: error.code,
    message: error.message,
    ...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds }),
  }
}

function refreshUrlOf(provider: OAuth2Provider): string {
  return provider.refreshUrl ?? provider.tokenUrl
}

function providerError(provider: OAuth2Provider, cause: unknown): ConnectionsError {
  return new ConnectionsError('provider_error', `${provider.name} could not refresh the token.`, { cause })
}
