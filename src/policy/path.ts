/**
 * The segments of a request path after percent-decoding each one, or null when the path could be read
 * two ways: a dot segment (`..`, `%2e%2e`, `..;x`), an encoded slash or backslash inside a segment,
 * an encoded percent sign (double encoding), an empty segment (`//`), a control character, a query or
 * fragment, malformed percent-encoding, or no leading `/`. Null is never matched by anything, so a
 * rule that needs the path refuses it.
 */
export function pathSegments(path: string): string[] | null {
  if (!path.startsWith('/') || /[?#\\]/.test(path)) return null
  const raw = path.slice(1).split('/')
  const segments: string[] = []
  for (const [index, part] of raw.entries()) {
    let segment: string
    try {
      segment = decodeURIComponent(part)
    } catch {
      return null
    }
    if (/[/\\%]/.test(segment) || hasControlCharacter(segment)) return null
    // `..;/` is a dot segment to servers that strip path parameters; URL parsers trim spaces around one.
    if (['.', '..'].includes((segment.split(';')[0] ?? '').trim())) return null
    if (segment === '' && index < raw.length - 1) return null
    segments.push(segment)
  }
  return segments
}

function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i)
    if (code < 0x20 || code === 0x7f) return true
  }
  return false
}
