import { RefreshFailedError } from '../oauth/token-client.js'
import { keys } from '../storage/keys.js'
import type { SafeStore } from '../storage/safe-store.js'
import { ConnectionsError } from './errors.js'

/** A connection's failed refreshes, kept in the shared store so every instance backs off alike. */
interface ConnectionBackoff {
  failures: number
  /** Epoch ms before which the provider is not asked again for this connection. */
  until: number
  message: string
  /** The OAuth `error` of the last 4xx answer, and how many answers in a row carried it. */
  oauthError?: string
  repeats: number
}

/** A token endpoint's failures across all its connections: the circuit breaker. */
interface ProviderBreaker {
  failures: number
  trips: number
  openUntil: number
  message: string
}

const CONNECTION_BASE_MS = 1_000
const CONNECTION_MAX_MS = 5 * 60_000
/** How long a connection's failures are remembered, so "the same OAuth error N times" is over this long. */
const CONNECTION_MEMORY_MS = 60 * 60_000
/** Failures in a row (timeouts, 5xx, 429) at one token endpoint that open its breaker. */
const BREAKER_THRESHOLD = 5
const BREAKER_OPEN_MS = 10_000
const BREAKER_MAX_OPEN_MS = 60_000
const BREAKER_MEMORY_MS = 5 * 60_000
/** A provider's Retry-After is honoured up to this long; past it, the breaker's own limit applies. */
const RETRY_AFTER_MAX_MS = 10 * 60_000
/**
 * OAuth errors that never end a connection however often they come: this app is misconfigured
 * (RFC 6749 §5.2), or the server is busy (codes some servers also send from the token endpoint).
 */
const NOT_ABOUT_THE_GRANT = new Set([
  'invalid_client',
  'unauthorized_client',
  'temporarily_unavailable',
  'server_error',
  'slow_down',
])

/** What a failed refresh leads to. */
export interface FailureVerdict {
  /** The token endpoint gave the same OAuth error this many times in a row for this connection. */
  oauthErrorRepeats: number
  oauthError: string | undefined
  /** When the provider will be asked again for this connection, in whole seconds from now. */
  retryAfterSeconds: number
}

/**
 * Backoff against a failing token endpoint, per connection and per endpoint (a circuit breaker),
 * kept in the store next to the records: instances that share the store share the backoff. While a
 * connection or its endpoint backs off, a refresh fails at once with `Retry-After`, without a call.
 * Exponential with jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"), and never shorter
 * than the provider's own `Retry-After` (RFC 9110 §10.2.3). The state is advisory: a store that cannot
 * read or write it never blocks or fails a refresh.
 */
export class RefreshBackoff {
  constructor(
    private readonly store: SafeStore,
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {}

  /** The refusal to answer with instead of calling the provider, while the connection or endpoint backs off. */
  async blocked(connectionId: string, tokenUrl: string): Promise<ConnectionsError | undefined> {
    const [connection, breaker] = await Promise.all([
      this.read<ConnectionBackoff>(keys.connectionBackoff(connectionId)),
      this.read<ProviderBreaker>(keys.endpointBackoff(tokenUrl)),
    ])
    const now = this.now()
    const until = Math.max(connection?.until ?? 0, breaker?.openUntil ?? 0)
    if (until <= now) return undefined
    const message = (breaker && breaker.openUntil > now ? breaker.message : connection?.message) ?? ''
    const seconds = Math.ceil((until - now) / 1000)
    return new ConnectionsError('provider_error', `${message} Not tried again for ${seconds} s.`, {
      retryAfterSeconds: seconds,
    })
  }

  /** Records a failed call to the token endpoint; tells how often the same OAuth error came back. */
  async failed(connectionId: string, tokenUrl: string, error: ConnectionsError): Promise<FailureVerdict> {
    const now = this.now()
    const refused = error instanceof RefreshFailedError ? error : undefined
    const retryAfterMs = parseRetryAfter(refused?.retryAfter ?? null, now)
    const oauthError = refused?.providerCode
    const previous = await this.read<ConnectionBackoff>(keys.connectionBackoff(connectionId))
    const failures = (previous?.failures ?? 0) + 1
    const counts = oauthError !== undefined && !NOT_ABOUT_THE_GRANT.has(oauthError)
    const repeats = !counts ? 0 : previous?.oauthError === oauthError ? previous.repeats + 1 : 1
    const delay = Math.max(
      this.jittered(CONNECTION_BASE_MS * 2 ** (failures - 1), CONNECTION_MAX_MS),
      retryAfterMs,
    )
    const state: ConnectionBackoff = { failures, until: now + delay, message: error.message, repeats }
    if (oauthError) state.oauthError = oauthError
    await this.write(keys.connectionBackoff(connectionId), state, CONNECTION_MEMORY_MS)
    // An OAuth error such as invalid_request is about this grant; timeouts, 5xx, 429, a busy server and
    // this app's own credentials are about the endpoint, for every connection.
    if (!counts || retryAfterMs > 0) await this.endpointFailed(tokenUrl, error.message, retryAfterMs, now)
    return { oauthErrorRepeats: repeats, oauthError, retryAfterSeconds: Math.ceil(delay / 1000) }
  }

  /** A refresh went through: the connection and its endpoint start afresh. */
  async succeeded(connectionId: string, tokenUrl: string): Promise<void> {
    const [connection, breaker] = await Promise.all([
      this.read<ConnectionBackoff>(keys.connectionBackoff(connectionId)),
      this.read<ProviderBreaker>(keys.endpointBackoff(tokenUrl)),
    ])
    if (connection) await this.forget(keys.connectionBackoff(connectionId))
    if (breaker) await this.forget(keys.endpointBackoff(tokenUrl))
  }

  /** The grant is gone: once re-authorized, the connection starts with no failures counted against it. */
  async grantLost(connectionId: string): Promise<void> {
    await this.forget(keys.connectionBackoff(connectionId))
  }

  private async endpointFailed(tokenUrl: string, message: string, retryAfterMs: number, now: number) {
    const key = keys.endpointBackoff(tokenUrl)
    const previous = await this.read<ProviderBreaker>(key)
    const failures = (previous?.failures ?? 0) + 1
    let trips = previous?.trips ?? 0
    let openUntil = Math.max(previous?.openUntil ?? 0, retryAfterMs > 0 ? now + retryAfterMs : 0)
    if (failures >= BREAKER_THRESHOLD && (previous?.openUntil ?? 0) <= now) {
      trips += 1
      openUntil = Math.max(
        openUntil,
        now + this.jittered(BREAKER_OPEN_MS * 2 ** (trips - 1), BREAKER_MAX_OPEN_MS),
      )
    }
    const state: ProviderBreaker = { failures, trips, openUntil, message }
    await this.write(key, state, Math.max(0, openUntil - now) + BREAKER_MEMORY_MS)
  }

  /** Between half and all of the exponential delay ("equal jitter"): instances do not retry in step. */
  private jittered(delayMs: number, maxMs: number): number {
    const capped = Math.min(delayMs, maxMs)
    return Math.round(capped / 2 + (this.random() * capped) / 2)
  }

  private async read<T>(key: string): Promise<T | undefined> {
    return this.store.get<T>(key).catch(() => undefined)
  }

  private async write(key: string, value: unknown, ttlMs: number): Promise<void> {
    await this.store.set(key, value, Math.round(ttlMs)).catch(() => undefined)
  }

  private async forget(key: string): Promise<void> {
    await this.store.delete(key).catch(() => undefined)
  }
}

/** RFC 9110 §10.2.3: delay-seconds or an HTTP-date; anything else (or nothing) is 0. */
export function parseRetryAfter(value: string | null, now: number): number {
  if (!value) return 0
  const trimmed = value.trim()
  const ms = /^\d+$/.test(trimmed) ? Number(trimmed) * 1000 : Date.parse(trimmed) - now
  return Number.isFinite(ms) && ms > 0 ? Math.min(ms, RETRY_AFTER_MAX_MS) : 0
}
