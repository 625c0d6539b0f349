import { lookup as dnsLookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import { ConnectionsError } from './errors.js'
import { isNonPublicAddress } from './url-policy.js'

/** Every address a host name resolves to, as `dns.promises.lookup(host, { all: true })` answers. */
export type LookupAll = (hostname: string) => Promise<ReadonlyArray<{ address: string; family: number }>>

/**
 * The lookup guards use when none is passed, read at each call. Replaceable so that tests (which
 * cannot change DNS) can make a name resolve to a private address; restore it afterwards.
 */
export const resolver: { lookup: LookupAll } = {
  lookup: (hostname) => dnsLookup(hostname, { all: true, verbatim: true }),
}

/**
 * A check to run right before the server calls a custom provider's URL (token exchange, refresh,
 * revocation, profile, lookups, proxy) under the default `publicHttpsOnly` policy, which checks
 * names only: it resolves the URL's host and refuses the call (`provider_error`, nothing sent) when
 * any address is loopback, private, link-local (169.254.169.254 included), unspecified, CGNAT,
 * multicast or IPv4-mapped. IP literals skip DNS and get the same classification.
 *
 * Limit: this checks before connecting but does not pin the address. `fetch` resolves the name again
 * when it connects, so a DNS answer that changes between the check and the connection (DNS
 * rebinding, a TTL of 0) is not caught; that needs a custom undici dispatcher whose `connect`
 * resolves, checks and connects to the checked address.
 */
export function createResolveGuard(lookup?: LookupAll): (url: string) => Promise<void> {
  return async (target) => {
    let host: string
    try {
      host = new URL(target).hostname.replace(/^\[|\]$/g, '')
    } catch {
      throw refused()
    }
    let addresses: string[]
    if (isIP(host) !== 0) {
      addresses = [host]
    } else {
      try {
        addresses = (await (lookup ?? resolver.lookup)(host)).map((entry) => entry.address)
      } catch (cause) {
        throw new ConnectionsError('provider_error', 'The provider’s server could not be found.', { cause })
      }
    }
    // Any private address refuses the call: fetch may connect to any of them.
    if (addresses.length === 0 || addresses.some(isNonPublicAddress)) throw refused()
  }
}

function refused(): ConnectionsError {
  // No host, no address: the message reaches clients, and which internal address a name points at is
  // exactly what an attacker probing the network would want to learn.
  return new ConnectionsError(
    'provider_error',
    'The provider’s server is on an address this server does not call.',
  )
}
