import { ConnectionsError } from '../core/errors.js'

/** Where a URL handed over by a provider may point: the provider's own hosts, or one trusted origin. */
export interface HandedOverCheck {
  provider: string
  field: string
  ownHost: (hostname: string) => boolean
  trustedOrigin: string
}

/**
 * Checks a URL a provider hands over at connect time (an account's API host, an identity URL) before
 * the user's token goes there: https on one of the provider's own hosts (no other port), or the
 * origin one of the preset's configured endpoints points at (a regional host, a test double).
 */
export function handedOverUrl(value: string | null, check: HandedOverCheck): URL {
  const url = value && URL.canParse(value) ? new URL(value) : null
  const ownHost = url?.protocol === 'https:' && url.port === '' && check.ownHost(url.hostname)
  if (!url || !(ownHost || url.origin === check.trustedOrigin)) {
    throw new ConnectionsError(
      'provider_error',
      `${check.provider} sent ${check.field} outside ${check.provider}.`,
    )
  }
  return url
}

/** {@link handedOverUrl}, for a host: its origin. */
export function handedOverOrigin(value: string | null, check: HandedOverCheck): string {
  return handedOverUrl(value, check).origin
}
