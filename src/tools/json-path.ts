import type { JsonValue } from '../providers/tool-definition.js'

/** One segment of a path: a name (`message`, `0`), or `['…']`, a name taken literally (dots and all). */
export type PathSegment = { name: string; literal: boolean }

const SEGMENT = /\['([^'\]]+)'\]|([^.[\]]+)|(\[\])/y
/** Array indexes a path may name: `0`…`100` (more would let data build huge arrays). */
export const MAX_PATH_INDEX = 100
const INDEX = /^(0|[1-9]\d*)$/

/** The array index a segment names, or null when it is a name (a literal `['0']` never is one). */
export function indexOf(segment: PathSegment): number | null {
  return !segment.literal && INDEX.test(segment.name) ? Number(segment.name) : null
}

/**
 * `errors.0.message` → errors, 0, message; `['@odata.nextLink']` → the one name `@odata.nextLink`.
 * A bracketed segment starts the path or follows a `.` or another segment directly
 * (`value['a.b']`); `[]` (every item) is kept as the segment `[]`. null when the path is malformed.
 */
export function splitPath(path: string): PathSegment[] | null {
  const segments: PathSegment[] = []
  let at = 0
  while (at < path.length || segments.length === 0) {
    if (segments.length > 0 && path[at] === '.') at += 1
    else if (segments.length > 0 && path[at] !== '[') return null
    SEGMENT.lastIndex = at
    const match = SEGMENT.exec(path)
    if (!match) return null
    const [whole, literal, name] = match
    segments.push(
      literal !== undefined ? { name: literal, literal: true } : { name: name ?? whole, literal: false },
    )
    at += whole.length
  }
  return segments
}

/**
 * The value at a dotted path (`message.subject`, `errors.0.message`: a number indexes an array;
 * `['@odata.nextLink']` a key with dots), or undefined. Own properties only, so a path can never read
 * through a prototype.
 */
export function valueAt(root: JsonValue | undefined, path: string): JsonValue | undefined {
  const segments = splitPath(path)
  if (!segments) return undefined
  let node: JsonValue | undefined = root
  for (const segment of segments) {
    if (node === null || typeof node !== 'object') return undefined
    if (Array.isArray(node)) {
      const index = indexOf(segment)
      if (index === null) return undefined
      node = node[index]
    } else {
      node = Object.hasOwn(node, segment.name) ? node[segment.name] : undefined
    }
  }
  return node
}
