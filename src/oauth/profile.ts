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
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
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
