import { ConnectionsError } from '../core/errors.js'
import type { OAuth2Provider, TokenResponse } from '../providers/types.js'

/** The provider said the grant is gone (RFC 6749 §5.2 `invalid_grant`): only a new consent helps. */
export class GrantRevokedError extends Error {
  constructor(readonly providerCode: string) {
    super(`The provider refused the refresh token (${providerCode}).`)
    this.name = 'GrantRevokedError'
  }
}

/** Provider calls made outside passport: refresh (RFC 6749 §6) and revocation (RFC 7009). */
export interface TokenEndpoint {
  refresh(provider: OAuth2Provider, refreshToken: string): Promise<TokenResponse>
  revoke(provider: OAuth2Provider, token: string, hint: 'access_token' | 'refresh_token'): Promise<void>
}

/**
 * The token endpoint over `fetch`, with a timeout on every call (node-oauth, which passport-oauth2
 * uses for the code exchange, has none). Client credentials go in the body (client_secret_post), as
 * passport-oauth2 sends them.
 */
export function createTokenEndpoint(timeoutMs: number): TokenEndpoint {
  async function post(
    provider: OAuth2Provider,
    url: string,
    fields: Record<string, string>,
  ): Promise<Response> {
    const body = new URLSearchParams({
      ...fields,
      client_id: provider.clientId,
      client_secret: provider.clientSecret,
    })
    try {
      return await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      })
    } catch (cause) {
      throw new ConnectionsError('provider_error', `${provider.name} did not answer in time.`, { cause })
    }
  }

  return {
    async refresh(provider, refreshToken) {
      const response = await post(provider, provider.tokenUrl, {
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
      })
      const body = (await response.json().catch(() => undefined)) as TokenResponse | undefined
      if (response.ok && typeof body?.access_token === 'string') return body
      const code = typeof body?.error === 'string' ? body.error : undefined
      // RFC 6749 §5.2: only invalid_grant says the grant is gone. invalid_client and the like say this
      // app's own credentials are wrong; the user reconnecting would not help, and every connection
      // would be marked at once.
      if (response.status < 500 && code === 'invalid_grant') throw new GrantRevokedError(code)
      if (code === 'invalid_client' || code === 'unauthorized_client') {
        throw new ConnectionsError(
          'provider_error',
          `${provider.name} rejected this app's client credentials (${code}): check clientId and clientSecret.`,
        )
      }
      const what = code ?? `HTTP ${response.status}`
      throw new ConnectionsError('provider_error', `${provider.name} could not refresh the token (${what}).`)
    },

    async revoke(provider, token, hint) {
      if (!provider.revocationUrl) return
      const response = await post(provider, provider.revocationUrl, { token, token_type_hint: hint })
      // RFC 7009 §2.2: 200 whether or not the token was valid.
      if (!response.ok) {
        throw new ConnectionsError(
          'provider_error',
          `${provider.name} refused the revocation (HTTP ${response.status}).`,
        )
      }
    },
  }
}
