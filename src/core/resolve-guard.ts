import type { LookupAddress } from 'node:dns'
import { lookup as dnsLookup } from 'node:dns/promises'
import { isIP, type LookupFunction } from 'node:net'
import { Agent, fetch as undiciFetch } from 'undici'
import type { ProviderFetch } from '../providers/types.js'
import { ConnectionsError } from './errors.js'
import { isNonPublicAddress } from './url-policy.js'

/** Every address a host name resolves to, as `dns.promises.lookup(host, { all: true })` answers. */
export type LookupAll = (hostname: string) => Promise<ReadonlyArray<{ address: string; family: number }>>

/**
 * The lookup pinned fetches use when none is passed, read at each connection. Replaceable so that
 * tests (which cannot change DNS) can make a name resolve where they need; restore it afterwards.
 */
export const resolver: { lookup: LookupAll } = {
  lookup: (hostname) => dnsLookup(hostname, { all: true, verbatim: true }),
}

export interface PinnedFetchOptions {
  /** Default: `resolver.lookup`, read at each connection. */
  lookup?: LookupAll
  /** True for an address the server must not call. Default: `isNonPublicAddress`. */
  isRefused?: (address: string) => boolean
}

/**
 * The fetch of custom providers under the default `publicHttpsOnly` policy (which checks names only):
 * every connection resolves the host once, is refused (`provider_error`, nothing sent) when any
 * address is loopback, private, link-local (169.254.169.254 included), unspecified, CGNAT, multicast
 * or IPv4-mapped, and connects to the addresses it checked. A name cannot resolve to one address for
 * the check and to another for the connection (DNS rebinding). IP literals skip DNS and get the same
 * classification. TLS still verifies the certificate against the name.
 *
 * undici's own `fetch` with an undici `Agent` (Node's global fetch bundles another undici version,
 * whose dispatcher interface need not match): responses are undici `Response`s, not global ones.
 */
export function createPinnedFetch(options: PinnedFetchOptions = {}): ProviderFetch {
  const isRefused = options.isRefused ?? isNonPublicAddress
  const agent = new Agent({ connect: { lookup: pinnedLookup(options.lookup, isRefused) } })
  return async (url, init) => {
    const host = hostOf(url)
    // The socket does not look IP literals up: they are classified here.
    if (isIP(host) !== 0 && isRefused(host)) throw refused()
    try {
      const response = await undiciFetch(url, {
        ...(init as Parameters<typeof undiciFetch>[1]),
        dispatcher: agent,
      })
      return response as unknown as Response
    } catch (error) {
      throw refusalIn(error) ?? error
    }
  }
}

/** `net.connect`'s lookup: one resolution per connection, checked, and what the socket connects to. */
function pinnedLookup(
  lookup: LookupAll | undefined,
  isRefused: (address: string) => boolean,
): LookupFunction {
  return (hostname, options, callback) => {
    checkedAddresses(hostname, lookup ?? resolver.lookup, isRefused).then(
      (addresses) => {
        if (options.all) return callback(null, addresses)
        const [first] = addresses as [LookupAddress]
        callback(null, first.address, first.family)
      },
      (error: ConnectionsError) => callback(error, ''),
    )
  }
}

async function checkedAddresses(
  hostname: string,
  lookup: LookupAll,
  isRefused: (address: string) => boolean,
): Promise<LookupAddress[]> {
  let answer: ReadonlyArray<{ address: string; family: number }>
  try {
    answer = await lookup(hostname)
  } catch (cause) {
    throw new ConnectionsError('provider_error', 'The provider’s server could not be found.', { cause })
  }
  // Any refused address refuses the connection: the socket may use any of them.
  if (answer.length === 0 || answer.some((entry) => isRefused(entry.address))) throw refused()
  return answer.map(({ address, family }) => ({ address, family }))
}

function hostOf(url: string | URL): string {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '')
  } catch {
    throw refused()
  }
}

/** The refusal (or failed lookup) behind undici's `TypeError: fetch failed`, when there is one. */
function refusalIn(error: unknown): ConnectionsError | undefined {
  let current: unknown = error
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    if (current instanceof ConnectionsError) return current
    current = current.cause
  }
  return undefined
}

function refused(): ConnectionsError {
  // No host, no address: the message reaches clients, and which internal address a name points at is
  // exactly what an attacker probing the network would want to learn.
  return new ConnectionsError(
    'provider_error',
    'The provider’s server is on an address this server does not call.',
  )
}

/**
 * A fetch that asks `policy` (the custom-provider URL policy) about every URL before calling it:
 * for MCP servers owners register, whose endpoints come from the server's own metadata, not from a
 * registration that was checked. A refused URL is never called (`provider_error`, no URL in it).
 */
export function policyCheckedFetch(
  policy: (url: URL) => boolean | Promise<boolean>,
  inner: ProviderFetch,
): ProviderFetch {
  return async (url, init) => {
    let allowed = false
    try {
      allowed = (await policy(new URL(String(url)))) === true
    } catch {
      allowed = false
    }
    if (!allowed) {
      throw new ConnectionsError(
        'provider_error',
        'The provider’s server is at a URL this server does not call.',
      )
    }
    return inner(url, init)
  }
}
