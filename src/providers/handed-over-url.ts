import { ConnectionsError } from '../core/errors.js'

/**
 * Checks a URL a provider hands over at connect time (an account's API host) before the user's token
 * goes there: https on one of the provider's own hosts (no other port), or the origin one of the
 * preset's configured endpoints points at (a regional host, a test double). Returns the URL's origin.
 */
export function handedOverOrigin(
  value: string | null,
  check: { provider: string; field: string; ownHost: (hostname: string) => boolean; trustedOrigin: string },
): string {
  const url = value && URL.canParse(value) ? new URL(value) : null
  const ownHost = url?.protocol === 'https:' && url.port === '' && check.ownHost(url.hostname)
  if (!url || !(ownHost || url.origin === check.trustedOrigin)) {
    throw new ConnectionsError(
      'provider_error',
      `${check.provider} sent ${check.field} outside ${check.provider}.`,
    )
  }
  return url.origin
}
