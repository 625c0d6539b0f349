import type { JsonValue } from '../providers/tool-definition.js'

/**
 * The value at a dotted path (`message.subject`, `errors.0.message`: a number indexes an array), or
 * undefined. Own properties only, so a path can never read through a prototype.
 */
export function valueAt(root: JsonValue | undefined, path: string): JsonValue | undefined {
  let node: JsonValue | undefined = root
  for (const segment of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined
    if (Array.isArray(node)) {
      if (!/^(0|[1-9]\d*)$/.test(segment)) return undefined
      node = node[Number(segment)]
    } else {
      node = Object.hasOwn(node, segment) ? node[segment] : undefined
    }
  }
  return node
}
