import { BlockList, isIP } from 'node:net'

/**
 * The default policy for URLs of custom providers registered at runtime: the server calls them with
 * client secrets and tokens, so they must be https and must not name this machine or a private
 * network by address or well-known name. This checks names only; what a name resolves to is checked
 * right before each call by `createResolveGuard` (src/core/resolve-guard.ts), with the same
 * `isNonPublicAddress` classification.
 */
export function publicHttpsOnly(url: URL): boolean {
  if (url.protocol !== 'https:') return false
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '')
  if (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host.endsWith('.local') ||
    host.endsWith('.internal')
  ) {
    return false
  }
  return !isNonPublicAddress(host)
}

// Addresses the server must never send a provider's secrets or a user's tokens to.
const NON_PUBLIC = new BlockList()
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8], // RFC 1918
  ['100.64.0.0', 10], // CGNAT (RFC 6598)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12], // RFC 1918
  ['192.168.0.0', 16], // RFC 1918
  ['224.0.0.0', 3], // multicast and reserved, up to 255.255.255.255
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv4')
}
for (const [network, prefix] of [
  ['::', 96], // unspecified, loopback, deprecated IPv4-compatible (::a.b.c.d)
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv6')
}

// IPv4-mapped (::ffff:a.b.c.d): never needed to reach a provider, refused whatever the IPv4. A list
// of its own: in NON_PUBLIC this subnet would also match every plain IPv4 address. (The IPv4 rules
// above match the mapped forms of their addresses too.)
const IPV4_MAPPED = new BlockList()
IPV4_MAPPED.addSubnet('::ffff:0:0', 96, 'ipv6')

/**
 * True for an IP address (v4, or v6 with or without brackets) that is loopback, private, link-local,
 * unspecified, CGNAT, multicast or IPv4-mapped; false for a public address and for anything that is
 * not an IP literal (a name).
 */
export function isNonPublicAddress(address: string): boolean {
  const host = address.toLowerCase().replace(/^\[|\]$/g, '')
  const family = isIP(host)
  if (family === 0) return false
  if (family === 4) return NON_PUBLIC.check(host, 'ipv4')
  return NON_PUBLIC.check(host, 'ipv6') || IPV4_MAPPED.check(host, 'ipv6')
}

/** https, or plain http to this machine only (development, tests): where a code or secret may go. */
export function isHttpsOrLoopback(url: URL): boolean {
  return url.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)
}
