import passport from 'passport'
import OAuth2Strategy from 'passport-oauth2'
import type { OAuth2Provider, TokenResponse } from '../providers/types.js'
import { fetchUserInfo } from './profile.js'
import type { KeyvStateStore } from './state-store.js'

/** What a successful strategy run hands back: every token field and the user-info document. */
export interface OAuthResult {
  tokens: TokenResponse
  userInfo: Record<string, unknown>
}

/**
 * A Passport of the router's own, never the host's global `passport`, with one passport-oauth2
 * strategy per provider, named by the provider id.
 */
export function createPassport(
  providers: readonly OAuth2Provider[],
  store: KeyvStateStore,
  providerTimeoutMs: number,
): passport.Authenticator {
  const instance = new passport.Passport()
  for (const provider of providers)
    instance.use(provider.id, createStrategy(provider, store, providerTimeoutMs))
  return instance
}

function createStrategy(provider: OAuth2Provider, store: KeyvStateStore, timeoutMs: number): OAuth2Strategy {
  const strategy = new OAuth2Strategy(
    {
      authorizationURL: provider.authorizationUrl,
      tokenURL: provider.tokenUrl,
      clientID: provider.clientId,
      clientSecret: provider.clientSecret,
      scope: provider.scopes,
      scopeSeparator: provider.scopeSeparator,
      pkce: true,
      store: store as unknown as OAuth2Strategy.StateStore,
      passReqToCallback: true,
    },
    (_req, accessToken, refreshToken, params, userInfo, done) => {
      const tokens: TokenResponse = { ...params, access_token: accessToken }
      if (refreshToken) tokens.refresh_token = refreshToken
      const result: OAuthResult = { tokens, userInfo }
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
