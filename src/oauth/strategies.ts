import { createHash } from 'node:crypto'
import type { Request } from 'express'
import passport from 'passport'
import OAuth2Strategy from 'passport-oauth2'
import type { OAuth2Provider, TokenResponse } from '../providers/types.js'
import { fetchUserInfo } from './profile.js'
import type { KeyvStateStore } from './state-store.js'
import type { TokenEndpoint } from './token-client.js'

/** What a successful strategy run hands back: every token field, the user-info document, the callback query. */
export interface OAuthResult {
  tokens: TokenResponse
  userInfo: Record<string, unknown>
  callbackParams: Record<string, string>
}

type ExchangeCallback = (
  error: unknown,
  accessToken?: string,
  refreshToken?: string,
  params?: Record<string, unknown>,
) => void

/**
 * A Passport of the router's own, never the host's global `passport`, with one passport-oauth2
 * strategy per provider, named by the provider id.
 */
export function createPassport(
  providers: readonly OAuth2Provider[],
  store: KeyvStateStore,
  endpoint: TokenEndpoint,
  providerTimeoutMs: number,
): passport.Authenticator {
  const instance = new passport.Passport()
  for (const provider of providers) {
    const strategy = provider.passportStrategy
      ? adoptStrategy(provider, provider.passportStrategy as unknown as OAuth2Strategy, store)
      : createStrategy(provider, store, providerTimeoutMs)
    routeExchange(strategy, provider, endpoint)
    instance.use(provider.id, strategy)
  }
  return instance
}

/**
 * A strategy from npm (fromPassport), made to run the router's way: its state and PKCE go through the
 * router's store, its verify gets the request. Its own authorization parameters and profile code stay.
 * These are passport-oauth2's fields, read at every authenticate() call.
 */
function adoptStrategy(
  provider: OAuth2Provider,
  strategy: OAuth2Strategy,
  store: KeyvStateStore,
): OAuth2Strategy {
  const internals = strategy as unknown as {
    _stateStore: unknown
    _pkceMethod: string
    _passReqToCallback: boolean
  }
  internals._stateStore = store
  internals._pkceMethod = provider.pkce ? 'S256' : (undefined as unknown as string)
  internals._passReqToCallback = true
  strategy.name = provider.id
  const own = strategy.authorizationParams.bind(strategy)
  strategy.authorizationParams = (options: unknown) => ({ ...own(options), ...provider.authorizationParams })
  return strategy
}

/**
 * The code exchange goes through the package's token client (timeouts, Basic or JSON client
 * authentication, each provider's answer smoothed out) instead of node-oauth. `_oauth2` is the
 * extension point passport-oauth2 documents for strategies ("considered protected").
 */
function routeExchange(strategy: OAuth2Strategy, provider: OAuth2Provider, endpoint: TokenEndpoint): void {
  const client = (strategy as unknown as { _oauth2: { getOAuthAccessToken: unknown } })._oauth2
  client.getOAuthAccessToken = (code: string, params: Record<string, string>, callback: ExchangeCallback) => {
    const { grant_type: _grant, ...rest } = params
    endpoint.exchange(provider, code, rest).then(
      (tokens) => callback(null, tokens.access_token, tokens.refresh_token, tokens),
      (error: unknown) => callback(error),
    )
  }
}

function createStrategy(provider: OAuth2Provider, store: KeyvStateStore, timeoutMs: number): OAuth2Strategy {
  const strategy = new OAuth2Strategy(
    {
      authorizationURL: provider.authorizationUrl,
      tokenURL: provider.tokenUrl,
      clientID: provider.clientId,
      // node-oauth keeps it but never sends it: routeExchange replaces the only call that would. A
      // private_key_jwt client has none, and gets none invented.
      clientSecret: provider.clientSecret ?? '',
      ...(provider.scopes.length > 0 ? { scope: provider.scopes } : {}),
      scopeSeparator: provider.scopeSeparator,
      pkce: provider.pkce,
      store: store as unknown as OAuth2Strategy.StateStore,
      passReqToCallback: true,
    },
    (req: Request, accessToken, refreshToken, params, userInfo, done) => {
      const tokens: TokenResponse = { ...params, access_token: accessToken }
      if (refreshToken) tokens.refresh_token = refreshToken
      const result: OAuthResult = { tokens, userInfo, callbackParams: stringParams(req.query) }
      done(null, result)
    },
  )
  strategy.name = provider.id
  strategy.userProfile = (accessToken, done) => {
    fetchUserInfo(provider, accessToken, timeoutMs).then(
      (info) => done(null, info),
      (error: unknown) => done(error),
    )
  }
  strategy.authorizationParams = () => ({ ...provider.authorizationParams })
  return strategy
}

/** The query's single-valued parameters (a repeated one is left out). */
export function stringParams(query: Request['query']): Record<string, string> {
  return Object.fromEntries(
    Object.entries(query).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  )
}

/** Strategies built on demand (custom providers, per-connection URLs) kept at most, least recently used out. */
const ON_DEMAND_STRATEGIES = 1000

/**
 * Strategy names for providers: the router's own are registered at start-up under their id; custom
 * providers registered at runtime get theirs on first use, under a name unique to their owner, and
 * again whenever their configuration changes; a provider bound to one connection's params (its URLs
 * filled in) gets one per distinct set of values. Those built on demand are rebuilt when evicted.
 */
export class StrategyRegistry {
  private readonly fingerprints = new Map<string, string>()

  constructor(
    private readonly instance: passport.Authenticator,
    private readonly store: KeyvStateStore,
    private readonly endpoint: TokenEndpoint,
    private readonly timeoutMs: number,
  ) {}

  nameFor(provider: OAuth2Provider): string {
    const bound = provider.boundParams
      ? `:${digest(JSON.stringify(Object.entries(provider.boundParams)))}`
      : ''
    // An MCP server's endpoints and client are discovered after start-up: its strategy is built on demand.
    if (provider.owner === null && !bound && !provider.mcp) return provider.id
    const kind = provider.mcp ? 'mcp' : 'bound'
    const name =
      provider.owner === null
        ? `${kind}:${provider.id}${bound}`
        : `custom:${digest(provider.owner)}:${provider.id}${bound}`
    const fingerprint = digest(
      JSON.stringify([
        provider.authorizationUrl,
        provider.tokenUrl,
        provider.userInfoUrl,
        provider.clientId,
        provider.clientSecret,
        provider.scopes,
        provider.tokenAuth,
        provider.pkce,
        provider.authorizationParams,
        provider.tokenParams,
      ]),
    )
    const known = this.fingerprints.get(name)
    this.fingerprints.delete(name)
    if (known !== fingerprint) {
      const strategy = createStrategy(provider, this.store, this.timeoutMs)
      routeExchange(strategy, provider, this.endpoint)
      this.instance.use(name, strategy)
    }
    this.fingerprints.set(name, fingerprint)
    this.evict()
    return name
  }

  private evict(): void {
    for (const oldest of this.fingerprints.keys()) {
      if (this.fingerprints.size <= ON_DEMAND_STRATEGIES) return
      this.fingerprints.delete(oldest)
      this.instance.unuse(oldest)
    }
  }
}

function digest(value: string): string {
  return createHash('sha256').update(value).digest('base64url').slice(0, 22)
}
