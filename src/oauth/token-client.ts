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

// RFC 6749 §5.2 codes after which retrying with the same refresh token cannot succeed.
const GRANT_GONE = new Set(['invalid_grant', 'unauthorized_client', 'invalid_client'])

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
      if (response.status < 500 && code && GRANT_GONE.has(code)) throw new GrantRevokedError(code)
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
