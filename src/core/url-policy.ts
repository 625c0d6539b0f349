/**
 * The default policy for URLs of custom providers registered at runtime: the server calls them with
 * client secrets and tokens, so they must be https and must not name this machine or a private
 * network by address or well-known name. (A public name that resolves to a private address is not
 * caught here; hosts that need that put a resolving check in `customProviderUrls`.)
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
  return !isPrivateAddress(host)
}

function isPrivateAddress(host: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host)
  if (v4) {
    const [a = 0, b = 0] = v4.slice(1).map(Number)
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      a >= 224
    )
  }
  if (!host.includes(':')) return false
  return (
    host === '::' || host === '::1' || /^(fc|fd|fe8|fe9|fea|feb)/.test(host) || host.startsWith('::ffff:')
  )
}
