import OAuth2Strategy from 'passport-oauth2'

/** passport-oauth2's error for a token endpoint refusal; carries the provider's `error` code. */
export const TokenError = OAuth2Strategy.TokenError
export type TokenError = OAuth2Strategy.TokenError
