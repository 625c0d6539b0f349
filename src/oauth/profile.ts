import { ConnectionsError } from '../core/errors.js'
import type { OAuth2Provider } from '../providers/types.js'
import { readLimitedJson } from './read-limited.js'

/** Fetches the provider's user-info document with the new access token; `{}` when it has none. */
export async function fetchUserInfo(
  provider: OAuth2Provider,
  accessToken: string,
  timeoutMs: number,
): Promise<Record<string, unknown>> {
  if (!provider.userInfoUrl) return {}
  const init = { method: provider.userInfoMethod, headers: provider.userInfoHeaders }
  const body = await fetchProviderJson(
    provider,
    accessToken,
    provider.userInfoUrl,
    init,
    timeoutMs,
    'profile',
  )
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ConnectionsError('provider_error', `${provider.name} sent a profile that is not a JSON object.`)
  }
  return body as Record<string, unknown>
}

/** A JSON call to the provider with the new access token: the profile, or a provider-specific lookup. */
export async function fetchProviderJson(
  provider: OAuth2Provider,
  accessToken: string,
  url: string,
  init: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string },
  timeoutMs: number,
  what = 'lookup',
): Promise<unknown> {
  let response: Response
  try {
    response = await (provider.fetch ?? fetch)(url, {
      method: init.method ?? 'GET',
      headers: {
        accept: 'application/json',
        ...init.headers,
        ...(provider.apiTokenHeader
          ? { [provider.apiTokenHeader]: accessToken }
          : { authorization: `Bearer ${accessToken}` }),
      },
      ...(init.body === undefined ? {} : { body: init.body }),
      // No redirects: the request carries the user's token.
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    })
  } catch (cause) {
    // A custom provider's refusal of where its URL resolves propagates as is.
    if (cause instanceof ConnectionsError) throw cause
    throw new ConnectionsError('provider_error', `${provider.name} did not answer the ${what} request.`, {
      cause,
    })
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined)
    throw new ConnectionsError(
      'provider_error',
      `${provider.name} refused the ${what} request (${response.status}).`,
    )
  }
  const body = await readLimitedJson(response, provider.name)
  if (body === undefined) {
    throw new ConnectionsError(
      'provider_error',
      `${provider.name} answered the ${what} request with something other than JSON.`,
    )
  }
  return body
}
