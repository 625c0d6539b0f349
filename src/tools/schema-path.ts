import type { JsonValue } from '../providers/tool-definition.js'
import { indexOf, splitPath } from './json-path.js'

/**
 * One step of a map path: a property (`issues`, or `['@odata.nextLink']` for a name with dots), every
 * item (`[]`, or `issues[]` = `issues` then `[]`), an index.
 */
export type PathStep = { property: string } | { items: true } | { index: number }

/**
 * `issues[].labels.0` → property issues, items, property labels, index 0. A path that does not parse
 * (the definition schema refuses those) is one property named by the whole path.
 */
export function pathSteps(path: string): PathStep[] {
  const segments = splitPath(path)
  if (!segments) return [{ property: path }]
  return segments.map((segment): PathStep => {
    if (!segment.literal && segment.name === '[]') return { items: true }
    const index = indexOf(segment)
    return index === null ? { property: segment.name } : { index }
  })
}

type Known = 'yes' | 'no' | 'unknown'
type Schema = { [key: string]: JsonValue }
const MAX_DEPTH = 64

const isSchema = (value: JsonValue | undefined): value is Schema =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

function allowsType(schema: Schema, type: 'object' | 'array'): boolean {
  const declared = schema.type
  if (declared === undefined) return true
  return Array.isArray(declared) ? declared.includes(type) : declared === type
}

/** A local `$ref` (`#/$defs/issue`) resolved against the root; undefined for anything else. */
function localTarget(root: Schema, ref: JsonValue | undefined): JsonValue | undefined {
  if (typeof ref !== 'string' || !ref.startsWith('#')) return undefined
  let node: JsonValue | undefined = root
  for (const token of ref.slice(1).split('/').slice(1)) {
    const name = decodeURIComponent(token).replaceAll('~1', '/').replaceAll('~0', '~')
    node = isSchema(node) && Object.hasOwn(node, name) ? node[name] : undefined
  }
  return node
}

function ownStep(root: Schema, schema: Schema, step: PathStep, rest: PathStep[], depth: number): Known {
  if ('property' in step) {
    if (!allowsType(schema, 'object')) return 'no'
    const properties = schema.properties
    if (isSchema(properties) && Object.hasOwn(properties, step.property))
      return known(root, properties[step.property], rest, depth + 1)
    const patterns = isSchema(schema.patternProperties) ? Object.entries(schema.patternProperties) : []
    for (const [pattern, sub] of patterns)
      if (safeTest(pattern, step.property)) return known(root, sub, rest, depth + 1)
    if (isSchema(schema.additionalProperties))
      return known(root, schema.additionalProperties, rest, depth + 1)
    return isSchema(properties) || schema.additionalProperties === false ? 'no' : 'unknown'
  }
  if (!allowsType(schema, 'array')) return 'no'
  const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : []
  if ('index' in step && step.index < prefix.length) return known(root, prefix[step.index], rest, depth + 1)
  if (schema.items !== undefined) return known(root, schema.items, rest, depth + 1)
  return schema.type === 'array' && prefix.length > 0 ? 'no' : 'unknown'
}

function safeTest(pattern: string, text: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(text)
  } catch {
    return false
  }
}

/**
 * Whether a schema documents a path: `yes`; `no` when it says the path cannot be there (a listed
 * `properties` without the name, a type that is not an object or array); `unknown` when it says
 * nothing (no `properties`, no `items`, a remote `$ref`). Any `anyOf`/`oneOf`/`allOf` branch or local
 * `$ref` that documents it is enough.
 */
function known(root: Schema, schema: JsonValue | undefined, steps: PathStep[], depth: number): Known {
  if (schema === false) return 'no'
  if (!isSchema(schema) || depth > MAX_DEPTH) return 'unknown'
  const [step, ...rest] = steps
  if (!step) return 'yes'
  const branches: JsonValue[] = []
  for (const keyword of ['anyOf', 'oneOf', 'allOf']) {
    const list = schema[keyword]
    if (Array.isArray(list)) branches.push(...list)
  }
  const answers = [ownStep(root, schema, step, rest, depth)]
  if (schema.$ref !== undefined) {
    const target = localTarget(root, schema.$ref)
    answers.push(target === undefined ? 'unknown' : known(root, target, steps, depth + 1))
  }
  for (const branch of branches) answers.push(known(root, branch, steps, depth + 1))
  if (answers.includes('yes')) return 'yes'
  // A branch or own keywords that say nothing about the path do not outvote one that rules it out.
  const informative = answers.filter((answer) => answer !== 'unknown')
  if (schema.$ref === undefined && branches.length === 0) return answers[0] ?? 'unknown'
  return informative.length > 0 ? 'no' : 'unknown'
}

/** false only when `schema` rules the path out; a schema that says nothing about it does not. */
export function schemaMayHavePath(schema: JsonValue, path: string): boolean {
  return known(isSchema(schema) ? schema : {}, schema, pathSteps(path), 0) !== 'no'
}
