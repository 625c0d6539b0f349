import { type ClientAuthenticationOptions, oauth2 } from './define.js'
import { capStrategyRequests, type NodeOAuthClient } from './passport-requests.js'
import { record, text } from './preset.js'
import type { AccountProfile, OAuth2Provider, PassportOAuth2Strategy } from './types.js'

/**
 * The verify callback the router gives the strategy; it only hands the results on. Loosely typed so
 * that it fits every strategy's own declaration (passport-oauth2 calls it with six arguments once
 * `passReqToCallback` is on, whatever a strategy's types say).
 */
export type PassportVerify = (
  req: unknown,
  accessToken: string,
  refreshToken: unknown,
  params: unknown,
  profile: unknown,
  done?: (error: unknown, user?: unknown) => void,
) => void

export interface FromPassportOptions {
  id: string
  name?: string
  /**
   * Builds the strategy with your options and the router's verify callback, e.g.
   * `(verify) => new GitHubStrategy({ clientID, clientSecret, passReqToCallback: true }, verify)`
   * (the verify callback takes the request; the router turns `passReqToCallback` on in any case).
   */
  strategy: (verify: PassportVerify) => PassportOAuth2Strategy
  /** Default: the strategy's own `scope` option. */
  scopes?: string[]
  apiBaseUrl?: string
  revocationUrl?: string
  /** Extra authorization parameters, added to what the strategy sends itself. */
  authorizationParams?: Record<string, string>
  singleton?: boolean
  /** Maps the strategy's passport profile; default: `id`, `emails[0].value`, `displayName`. */
  profile?: (profile: Record<string, unknown>) => AccountProfile
  docsUrl?: string
  /**
   * How the router authenticates at the token endpoint with the strategy's `clientSecret` (default
   * `client_secret_post`), or `none` for a public client: give the strategy an empty `clientSecret`.
   */
  tokenAuth?: 'client_secret_post' | 'client_secret_basic' | 'none'
  /** With `client_secret_basic`: see `providers.oauth2`. */
  basicAuthEncoding?: 'form' | 'raw'
}

/** The fields of passport-oauth2's Strategy (and of its node-oauth client) the router reads. */
interface OAuth2StrategyInternals {
  _oauth2: NodeOAuthClient & {
    _clientId: string
    _clientSecret: string
    _authorizeUrl: string
    _accessTokenUrl: string
    _baseSite: string
  }
  _scope?: string | string[]
  _scopeSeparator?: string
}

/**
 * Any strategy built on passport-oauth2 (passport-github2, passport-google-oauth20, and hundreds
 * more) as a provider. The router still runs the flow its own way: state and PKCE in the store, the
 * code exchange through its token client; the strategy's profile code names the account.
 *
 * @example
 * providers.fromPassport({
 *   id: 'github', name: 'GitHub',
 *   strategy: (verify) => new GitHubStrategy({ clientID, clientSecret, scope: ['user:email'] }, verify),
 * })
 */
export function fromPassport(options: FromPassportOptions): OAuth2Provider {
  const verify: PassportVerify = (req, accessToken, refreshToken, params, profile, done) => {
    if (!done)
      throw new TypeError(
        'fromPassport: the strategy did not call verify with the request (passReqToCallback).',
      )
    const query = record((req as { query?: unknown }).query)
    const callbackParams = Object.fromEntries(
      Object.entries(query).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    )
    const tokens = {
      ...record(params),
      access_token: accessToken,
      ...(typeof refreshToken === 'string' && refreshToken ? { refresh_token: refreshToken } : {}),
    }
    done(null, { tokens, userInfo: record(profile), callbackParams })
  }
  const strategy = options.strategy(verify)
  const internals = strategy as unknown as OAuth2StrategyInternals & { _verify: unknown }
  // Whatever the factory passed on, the router's verify is the one that runs.
  internals._verify = verify
  if (!internals._oauth2?._accessTokenUrl) {
    throw new TypeError(
      `providers.fromPassport "${options.id}": the strategy is not built on passport-oauth2.`,
    )
  }
  const client = internals._oauth2
  capStrategyRequests(client)
  const ownScope = internals._scope
  const scopes = options.scopes ?? (Array.isArray(ownScope) ? ownScope : ownScope ? [ownScope] : [])
  const provider = oauth2({
    id: options.id,
    name: options.name ?? options.id,
    authorizationUrl: client._baseSite + client._authorizeUrl,
    tokenUrl: client._baseSite + client._accessTokenUrl,
    clientId: client._clientId,
    ...clientAuthentication(options, client._clientSecret),
    ...(options.basicAuthEncoding ? { basicAuthEncoding: options.basicAuthEncoding } : {}),
    scopes,
    scopeSeparator: internals._scopeSeparator ?? ' ',
    ...(options.apiBaseUrl ? { apiBaseUrl: options.apiBaseUrl } : {}),
    ...(options.revocationUrl ? { revocationUrl: options.revocationUrl } : {}),
    ...(options.authorizationParams ? { authorizationParams: options.authorizationParams } : {}),
    ...(options.singleton === undefined ? {} : { singleton: options.singleton }),
    ...(options.docsUrl ? { docsUrl: options.docsUrl } : {}),
    profile: (info) => (options.profile ?? passportProfile)(info),
    quirks: ['passport strategy from npm'],
  })
  return { ...provider, passportStrategy: strategy }
}

/** A public client's strategy holds an empty secret; one that holds a secret with 'none' is refused by oauth2(). */
function clientAuthentication(options: FromPassportOptions, secret: string): ClientAuthenticationOptions {
  if (options.tokenAuth !== 'none') return { tokenAuth: options.tokenAuth, clientSecret: secret }
  return (
    secret ? { tokenAuth: 'none', clientSecret: secret } : { tokenAuth: 'none' }
  ) as ClientAuthenticationOptions
}

/** passport's normalised profile (http://www.passportjs.org/reference/normalized-profile/). */
function passportProfile(profile: Record<string, unknown>): AccountProfile {
  const emails = Array.isArray(profile.emails) ? profile.emails : []
  return {
    accountId: text(profile.id),
    accountEmail: text(record(emails[0]).value),
    displayName: text(profile.displayName) ?? text(profile.username),
  }
}
