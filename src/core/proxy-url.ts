import { ConnectionsError } from './errors.js'

/**
 * The URL a proxied call goes to: the provider's API base URL plus a relative path, and never another
 * host or a path above the base. Anything that could be read two ways (dot segments, encoded slashes
 * or dots, backslashes, an `@` where a host could be, control characters, an absolute URL) is refused
 * rather than normalised.
 */
export function resolveProxyUrl(apiBaseUrl: string, pathAndQuery: string): URL {
  const queryAt = pathAndQuery.indexOf('?')
  const path = queryAt === -1 ? pathAndQuery : pathAndQuery.slice(0, queryAt)
  const query = queryAt === -1 ? '' : pathAndQuery.slice(queryAt)
  const refuse = (why: string) =>
    new ConnectionsError('invalid_request', `Invalid request: the proxied path ${why}.`, {
      details: [{ path: ['path'], code: 'invalid_proxy_path', message: why }],
    })

  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) throw refuse('must be relative, not an absolute URL')
  if (path.startsWith('//')) throw refuse('must not start with //')
  if (pathAndQuery.includes('\\') || hasControlCharacter(pathAndQuery))
    throw refuse('contains a backslash or a control character')
  // %3b: a server that decodes before splitting off `;` parameters reads `..%3b` as `..`.
  if (/%(2f|5c|2e|00|25|3b)/i.test(path)) {
    throw refuse('contains an encoded slash, backslash, dot, NUL, percent sign or semicolon')
  }
  const segments = path.replace(/^\//, '').split('/')
  // `..;/` is a dot segment to some servers (path parameters), so the part before `;` counts; the
  // URL parser trims spaces around a segment, so ` .. ` counts too.
  if (segments.some((s) => ['.', '..'].includes((s.split(';')[0] ?? '').trim())))
    throw refuse('contains a dot segment')
  if (segments.slice(0, -1).includes('')) throw refuse('contains an empty segment (//)')
  if (/^[a-z][a-z0-9+.-]*:$/i.test(segments[0] ?? '')) throw refuse('must be relative, not an absolute URL')
  if (segments[0]?.includes('@')) throw refuse('must not start with a user@host part')

  const base = new URL(apiBaseUrl)
  const basePath = base.pathname.replace(/\/+$/, '')
  const target = new URL(`${base.origin}${basePath}/${segments.join('/')}${query}`)
  if (target.origin !== base.origin || !`${target.pathname}/`.startsWith(`${basePath}/`)) {
    throw refuse('leaves the provider API')
  }
  return target
}

function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i)
    if (code < 0x20 || code === 0x7f) return true
  }
  return false
}
