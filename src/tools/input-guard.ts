import { type InputProblem, PROTOTYPE_KEYS, pointerToken } from './problems.js'

/** Input larger than this (UTF-8 bytes of its JSON) is refused before any schema sees it. */
export const MAX_INPUT_BYTES = 64 * 1024
/** Objects and arrays nested deeper than this are refused (and a cycle always is). */
export const MAX_INPUT_DEPTH = 32
const MAX_PROBLEMS = 20

/**
 * What makes a value unsafe to hand to a schema validator or a request builder, whatever the schema
 * says: a key that reaches a prototype, nesting past MAX_INPUT_DEPTH, more than MAX_INPUT_BYTES, or
 * something that is not JSON (undefined, a function, NaN). Never throws.
 */
export function inputHazards(value: unknown): InputProblem[] {
  const problems: InputProblem[] = []
  let bytes = 0
  const visit = (node: unknown, pointer: string, depth: number): void => {
    if (problems.length >= MAX_PROBLEMS || bytes > MAX_INPUT_BYTES) return
    if (typeof node === 'string') {
      bytes += Buffer.byteLength(node) + 2
      return
    }
    if (node === null || typeof node === 'boolean') {
      bytes += 5
      return
    }
    if (typeof node === 'number') {
      if (!Number.isFinite(node)) problems.push({ pointer, message: 'must be a finite number' })
      bytes += 24
      return
    }
    if (typeof node !== 'object') {
      problems.push({ pointer, message: 'must be a JSON value' })
      return
    }
    if (depth >= MAX_INPUT_DEPTH) {
      problems.push({ pointer, message: `must not be nested more than ${MAX_INPUT_DEPTH} levels deep` })
      return
    }
    if (Array.isArray(node)) {
      for (const [index, item] of node.entries()) visit(item, `${pointer}/${index}`, depth + 1)
      bytes += node.length + 2
      return
    }
    const prototype = Object.getPrototypeOf(node)
    if (prototype !== Object.prototype && prototype !== null) {
      problems.push({ pointer, message: 'must be a plain JSON object' })
      return
    }
    for (const key of Object.keys(node)) {
      const at = `${pointer}/${pointerToken(key)}`
      if (PROTOTYPE_KEYS.has(key)) {
        problems.push({ pointer: at, message: `"${key}" is not allowed as a key` })
        continue
      }
      bytes += Buffer.byteLength(key) + 4
      visit((node as Record<string, unknown>)[key], at, depth + 1)
    }
  }
  visit(value, '', 0)
  if (bytes > MAX_INPUT_BYTES)
    problems.push({ pointer: '', message: `must not be larger than ${MAX_INPUT_BYTES} bytes` })
  return problems
}
