import { ConnectionsError } from '../core/errors.js'
import type { OAuth2Provider, TokenResponse } from '../providers/types.js'
import { JWT_BEARER_ASSERTION } from './client-assertion.js'
import { readLimited } from './read-limited.js'

/** The provider said the grant is gone (RFC 6749 §5.2 `invalid_grant`): only a new consent helps. */
export class GrantRevokedError extends Error {
  constructor(readonly providerCode: string) {
    super(`The provider refused the refresh token (${providerCode}).`)
    this.name = 'GrantRevokedError'
  }
}

/** The token endpoint refused the authorization code; carries the provider's error code only. */
export class CodeRefusedError extends Error {
  constructor(readonly providerCode: string) {
    super(`The provider refused the authorization code (${providerCode}).`)
    this.name = 'CodeRefusedError'
  }
}

/** Provider calls at the token endpoint: code exchange and refresh (RFC 6749), revocation (RFC 7009). */
export interface TokenEndpoint {
  exchange(provider: OAuth2Provider, code: string, params: Record<string, string>): Promise<TokenResponse>
  refresh(provider: OAuth2Provider, refreshToken: string): Promise<TokenResponse>
  revoke(provider: OAuth2Provider, token: string, hint: 'access_token' | 'refresh_token'): Promise<void>
}

/**
 * The token endpoint over `fetch`, with a timeout on every call (node-oauth, which passport-oauth2
 * ships with, has none) and each provider's way of authenticating the client and of answering.
 */
export function createTokenEndpoint(timeoutMs: number): TokenEndpoint {
  async function post(
    provider: OAuth2Provider,
    url: string,
    fields: Record<string, string | number>,
    shape: { format: 'form' | 'json'; headers?: Record<string, string>; bearer?: string } = {
      format: provider.tokenRequestFormat,
    },
  ): Promise<Response> {
    // The token as Bearer authenticates the request itself (Linear): no client authentication then.
    const auth = shape.bearer ? { headers: {}, fields: {} } : clientAuthentication(provider)
    const headers: Record<string, string> = { accept: 'application/json', ...shape.headers, ...auth.headers }
    if (shape.bearer) headers.authorization = `Bearer ${shape.bearer}`
    const body: Record<string, string | number> = { ...fields, ...auth.fields }
    const json = shape.format === 'json'
    headers['content-type'] = json ? 'application/json' : 'application/x-www-form-urlencoded'
    try {
      // No redirects: a request that carries the client secret or a token goes where it was sent only.
      return await (provider.fetch ?? fetch)(url, {
        method: 'POST',
        headers,
        body: json ? JSON.stringify(body) : new URLSearchParams(stringFields(body)),
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      })
    } catch (cause) {
      // A custom provider's refusal of where its URL resolves propagates as is.
      if (cause instanceof ConnectionsError) throw cause
      throw new ConnectionsError('provider_error', `${provider.name} did not answer in time.`, { cause })
    }
  }

  /** JSON, or the form encoding some providers still answer with (RFC 6749 allows neither other). */
  async function read(provider: OAuth2Provider, response: Response): Promise<TokenResponse | undefined> {
    const text = await readLimited(response, provider.name)
    let raw: unknown
    try {
      raw = JSON.parse(text)
    } catch {
      raw = text.includes('=') ? Object.fromEntries(new URLSearchParams(text)) : undefined
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined
    return provider.parseTokenResponse(raw as Record<string, unknown>)
  }

  function errorCode(body: TokenResponse | undefined): string | undefined {
    return typeof body?.error === 'string' ? body.error : undefined
  }

  return {
    async exchange(provider, code, params) {
      const response = await post(provider, provider.tokenUrl, {
        ...provider.tokenParams,
        grant_type: 'authorization_code',
        code,
        ...params,
      })
      const body = await read(provider, response)
      if (response.ok && typeof body?.access_token === 'string' && !errorCode(body)) return body
      const refused = errorCode(body)
      if (refused && response.status < 500) throw new CodeRefusedError(refused)
      throw new ConnectionsError(
        'provider_error',
        `${provider.name} could not complete the authorization (HTTP ${response.status}).`,
      )
    },

    async refresh(provider, refreshToken) {
      const response = await post(provider, provider.refreshUrl ?? provider.tokenUrl, {
        ...provider.tokenParams,
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
      })
      const body = await read(provider, response)
      const code = errorCode(body)
      if (response.ok && typeof body?.access_token === 'string' && !code) return body
      // RFC 6749 §5.2: only invalid_grant says the grant is gone. invalid_client and the like say this
      // app's own credentials are wrong; the user reconnecting would not help, and every connection
      // would be marked at once.
      if (response.status < 500 && code === 'invalid_grant') throw new GrantRevokedError(code)
      if (code === 'invalid_client' || code === 'unauthorized_client') {
        throw new ConnectionsError(
          'provider_error',
          `${provider.name} rejected this app's client credentials (${code}): check clientId and ${credentialName(provider)}.`,
        )
      }
      const what = code ?? `HTTP ${response.status}`
      throw new ConnectionsError('provider_error', `${provider.name} could not refresh the token (${what}).`)
    },

    async revoke(provider, token, hint) {
      if (!provider.revocationUrl) return
      const shape = provider.revocation
      const fields: Record<string, string> = {}
      if (shape.tokenField) fields[shape.tokenField] = token
      if (shape.hint) fields.token_type_hint = hint
      const response = await post(provider, provider.revocationUrl, fields, {
        format: shape.format,
        headers: shape.headers,
        ...(shape.bearer ? { bearer: token } : {}),
      })
      await response.body?.cancel()
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

function stringFields(body: Record<string, string | number>): Record<string, string> {
  return Object.fromEntries(Object.entries(body).map(([name, value]) => [name, String(value)]))
}

/**
 * RFC 6749 §2.3.1 (a secret, in the body or as Basic), RFC 7523 §2.2 (a signed assertion), or a public
 * client's `client_id` alone (RFC 6749 §3.2.1, and RFC 7009 §2.1 for revocation).
 */
function clientAuthentication(provider: OAuth2Provider): {
  headers: Record<string, string>
  fields: Record<string, string>
} {
  if (provider.tokenAuth === 'private_key_jwt') {
    if (!provider.clientAssertion) throw misconfigured(provider)
    // OpenID Connect Core §9: the audience is the token endpoint, also for refresh and revocation.
    const assertion = provider.clientAssertion.sign(provider.clientId, provider.tokenUrl)
    return {
      headers: {},
      fields: {
        client_id: provider.clientId,
        client_assertion_type: JWT_BEARER_ASSERTION,
        client_assertion: assertion,
      },
    }
  }
  if (provider.tokenAuth === 'none') return { headers: {}, fields: { client_id: provider.clientId } }
  if (provider.clientSecret === null) throw misconfigured(provider)
  if (provider.tokenAuth === 'client_secret_basic') {
    // RFC 6749 §2.3.1 form-encodes both parts before they are joined; servers that do not decode
    // them (node-oauth, jmondi) need them raw.
    const encode = provider.basicAuthEncoding === 'raw' ? (part: string) => part : encodeURIComponent
    const credentials = `${encode(provider.clientId)}:${encode(provider.clientSecret)}`
    return { headers: { authorization: `Basic ${Buffer.from(credentials).toString('base64')}` }, fields: {} }
  }
  return { headers: {}, fields: { client_id: provider.clientId, client_secret: provider.clientSecret } }
}

/** A provider object built by hand with a method and no credential for it: nothing is sent. */
function misconfigured(provider: OAuth2Provider): ConnectionsError {
  return new ConnectionsError(
    'internal_error',
    `${provider.name} has no ${credentialName(provider)} for tokenAuth '${provider.tokenAuth}'.`,
  )
}

function credentialName(provider: OAuth2Provider): string {
  if (provider.tokenAuth === 'none') return "tokenAuth 'none' (the server may want a secret)"
  return provider.tokenAuth === 'private_key_jwt' ? 'clientAssertionKey' : 'clientSecret'
}
