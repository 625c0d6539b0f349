import { createHmac } from 'node:crypto'
import type { ProviderFetch, TokenResponse } from './types.js'

/**
 * Meta's user tokens from the code exchange are short-lived (an hour or two); a GET trades them for a
 * long-lived one (60 days). Instagram renews a long-lived token with another GET that takes the token
 * itself, without a refresh token. The router speaks RFC 6749 only, so a Meta preset gets this `fetch`:
 * it completes the code exchange with the trade, and turns the router's refresh (the token is kept as
 * its own refresh token) into the renewal. Every other call passes through untouched.
 */
/** The newest Graph API version (Facebook and Instagram hosts alike). */
// https://developers.facebook.com/docs/graph-api/changelog/versions/ (read 2026-12-07): v26.0, 2026-07-29.
export const META_GRAPH_VERSION = 'v26.0'

export interface MetaTokenCalls {
  /** Where the code exchange is POSTed. */
  tokenUrl: string
  /** The smoothing of the exchange's answer (Instagram wraps it in `data`). */
  parse: (raw: Record<string, unknown>) => TokenResponse
  /** The GET that trades a short-lived token for a long-lived one; null: no trade (no app secret). */
  longLivedUrl: ((shortLived: string) => string) | null
  /** Where the router POSTs refreshes, and the GET that renews a long-lived token there. */
  renewal?: { refreshUrl: string; renewUrl: (longLived: string) => string }
  /**
   * Adds `appsecret_proof` (HMAC-SHA256 of the user's token, keyed by the app secret) to every call
   * under this origin that carries a Bearer token: required when the app turns on "Require App
   * Secret", accepted otherwise.
   */
  appSecretProof?: { origin: string; secret: string }
}

export function metaTokenFetch(calls: MetaTokenCalls): ProviderFetch {
  return async (url, init) => {
    const target = String(url)
    const form = init.body instanceof URLSearchParams ? init.body : null
    const grant = init.method === 'POST' ? form?.get('grant_type') : undefined
    if (target === calls.tokenUrl && grant === 'authorization_code') {
      const exchanged = await globalThis.fetch(url, init)
      const short = exchanged.ok ? calls.parse(await readJson(exchanged)) : null
      if (!short || typeof short.access_token !== 'string' || !calls.longLivedUrl) {
        return short ? json(200, short) : exchanged
      }
      const traded = await getJson(calls.longLivedUrl(short.access_token), init.signal)
      if (!traded.ok) return json(502, { error_description: 'the long-lived token exchange failed' })
      return json(200, withRenewal({ ...short, ...traded.body }, calls))
    }
    const renewal = calls.renewal
    if (renewal && target === renewal.refreshUrl && grant === 'refresh_token') {
      const renewed = await getJson(renewal.renewUrl(form?.get('refresh_token') ?? ''), init.signal)
      // Meta answers an expired or revoked token with an OAuthException: only a new consent helps.
      if (!renewed.ok) return json(400, { error: renewed.status < 500 ? 'invalid_grant' : 'server_error' })
      return json(200, withRenewal(renewed.body, calls))
    }
    return globalThis.fetch(withProof(target, init, calls.appSecretProof), init)
  }
}

// https://developers.facebook.com/docs/graph-api/securing-requests#appsecret_proof (read 2026-12-07)
function withProof(target: string, init: RequestInit, proof: MetaTokenCalls['appSecretProof']): string {
  const bearer = new Headers(init.headers).get('authorization')?.match(/^Bearer (.+)$/)?.[1]
  if (!proof || !bearer || !URL.canParse(target)) return target
  const url = new URL(target)
  if (url.origin !== proof.origin) return target
  url.searchParams.set('appsecret_proof', createHmac('sha256', proof.secret).update(bearer).digest('hex'))
  return url.toString()
}

/** A renewable long-lived token is its own refresh token; renewed at half its life, while Meta still can. */
function withRenewal(tokens: Record<string, unknown>, calls: MetaTokenCalls): Record<string, unknown> {
  if (!calls.renewal || typeof tokens.access_token !== 'string') return tokens
  const lifetime = Number(tokens.expires_in)
  return {
    ...tokens,
    refresh_token: tokens.access_token,
    ...(lifetime > 0 ? { expires_in: Math.floor(lifetime / 2) } : {}),
  }
}

async function getJson(
  url: string,
  signal: AbortSignal | null | undefined,
): Promise<{ ok: boolean; status: number; body: Record<string, unknown> }> {
  // The URL carries the app secret or a token: no redirects.
  const response = await globalThis.fetch(url, {
    method: 'GET',
    headers: { accept: 'application/json' },
    redirect: 'error',
    ...(signal ? { signal } : {}),
  })
  if (!response.ok) await response.body?.cancel()
  const body = response.ok ? await readJson(response) : {}
  return { ok: response.ok && typeof body.access_token === 'string', status: response.status, body }
}

async function readJson(response: Response): Promise<Record<string, unknown>> {
  const body: unknown = await response.json().catch(() => null)
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : {}
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
}
