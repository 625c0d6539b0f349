import { ConnectionsError } from '../core/errors.js'
import type { OAuth2Provider } from '../providers/types.js'

/** Fetches the provider's user-info document with the new access token; `{}` when it has none. */
export async function fetchUserInfo(
  provider: OAuth2Provider,
  accessToken: string,
  timeoutMs: number,
): Promise<Record<string, unknown>> {
  if (!provider.userInfoUrl) return {}
  let response: Response
  try {
    response = await fetch(provider.userInfoUrl, {
      method: provider.userInfoMethod,
      headers: {
        accept: 'application/json',
        ...provider.userInfoHeaders,
        authorization: `Bearer ${accessToken}`,
      },
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    })
  } catch (cause) {
    throw new ConnectionsError('provider_error', `${provider.name} did not answer the profile request.`, {
      cause,
    })
  }
  if (!response.ok) {
    throw new ConnectionsError(
      'provider_error',
      `${provider.name} refused the profile request (${response.status}).`,
    )
  }
  const body: unknown = await response.json().catch(() => undefined)
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ConnectionsError('provider_error', `${provider.name} sent a profile that is not a JSON object.`)
  }
  return body as Record<string, unknown>
}

/** A JSON call to the provider with the new access token, for the provider-specific lookups. */
export async function fetchProviderJson(
  provider: OAuth2Provider,
  accessToken: string,
  url: string,
  init: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string },
  timeoutMs: number,
): Promise<unknown> {
  let response: Response
  try {
    response = await fetch(url, {
      method: init.method ?? 'GET',
      headers: { accept: 'application/json', ...init.headers, authorization: `Bearer ${accessToken}` },
      ...(init.body === undefined ? {} : { body: init.body }),
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    })
  } catch (cause) {
    throw new ConnectionsError('provider_error', `${provider.name} did not answer a lookup.`, { cause })
  }
  if (!response.ok) {
    throw new ConnectionsError('provider_error', `${provider.name} refused a lookup (${response.status}).`)
  }
  return response.json().catch(() => {
    throw new ConnectionsError(
      'provider_error',
      `${provider.name} answered a lookup with something other than JSON.`,
    )
  })
}
