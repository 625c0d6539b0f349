import { canonicalJson } from '../crypto/canonical-json.js'
import type { JsonValue, ToolDefinition } from '../providers/tool-definition.js'
import { valueAt } from './json-path.js'
import { PROTOTYPE_KEYS } from './problems.js'
import { type PathStep, pathSteps, schemaMayHavePath } from './schema-path.js'

/** Provider messages longer than this are cut: they reach the agent and the audit log. */
export const MAX_PROVIDER_MESSAGE = 300

function providerMessage(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return 'the provider reported a failure'
  const text = typeof value === 'string' ? value : canonicalJson(value)
  const printable = text.replaceAll(/\p{Cc}/gu, ' ').trim()
  const characters = [...printable]
  return characters.length > MAX_PROVIDER_MESSAGE
    ? `${characters.slice(0, MAX_PROVIDER_MESSAGE - 1).join('')}…`
    : printable
}

/**
 * null when a response the provider answered with 2xx is a success by the tool's `success` check (or
 * the tool has none); else the provider's message from `errorPath`, at most 300 characters. `absent`
 * counts null as absent (GraphQL's `errors: null`).
 *
 * @example
 * checkSuccess(slackPost, { ok: false, error: 'channel_not_found' }) // 'channel_not_found'
 */
export function checkSuccess(definition: ToolDefinition, body: JsonValue): string | null {
  const check = definition.success
  if (!check) return null
  const value = valueAt(body, check.path)
  const succeeded =
    'absent' in check
      ? value === undefined || value === null
      : value !== undefined && canonicalJson(value) === canonicalJson(check.equals)
  if (succeeded) return null
  return providerMessage(check.errorPath === undefined ? undefined : valueAt(body, check.errorPath))
}

/**
 * The value at `steps`, with one level of array for each `[]` step; undefined where the body has
 * nothing (also as an item, so the output keeps every item's position).
 */
function collect(node: unknown, steps: PathStep[]): unknown {
  const [step, ...rest] = steps
  if (!step || node === undefined) return node
  if ('items' in step) return Array.isArray(node) ? node.map((item) => collect(item, rest)) : undefined
  if ('index' in step) return Array.isArray(node) ? collect(node[step.index], rest) : undefined
  if (node === null || typeof node !== 'object' || Array.isArray(node) || !Object.hasOwn(node, step.property))
    return undefined
  return collect((node as Record<string, unknown>)[step.property], rest)
}

type Holder = Record<string, unknown>

const isHolder = (value: unknown): value is Holder =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

/** Puts `value` at `steps` under `holder[key]`, spreading one array level over each `[]` step. */
function place(holder: Holder, key: string, steps: PathStep[], value: unknown): void {
  if (value === undefined || PROTOTYPE_KEYS.has(key)) return
  const [step, ...rest] = steps
  if (!step) {
    holder[key] = value
    return
  }
  if ('property' in step) {
    const object = isHolder(holder[key]) ? (holder[key] as Holder) : {}
    holder[key] = object
    place(object, step.property, rest, value)
    return
  }
  if (!Array.isArray(value)) return
  const list: unknown[] = Array.isArray(holder[key]) ? (holder[key] as unknown[]) : []
  holder[key] = list
  const itemsAreObjects = rest[0] !== undefined && 'property' in rest[0]
  for (const [index, item] of value.entries()) {
    const slot: Holder = { item: list[index] }
    place(slot, 'item', rest, item)
    list[index] = slot.item ?? (itemsAreObjects ? {} : null)
  }
}

/**
 * What the agent gets: for each `responseFieldMap` entry (output path → response path), the value at
 * the response path placed at the output path; `[]` in both walks arrays item by item. A value the
 * response does not have is left out; an item of a walked array keeps its place, as `{}` without the
 * field (or null when the items are the values themselves).
 * An empty map passes the body through unchanged.
 *
 * @example
 * mapResponse(listIssues, [{ number: 1, title: 'Bug', body: '…' }]) // with { 'issues[].number': '[].number' }
 * // { issues: [{ number: 1 }] }
 */
export function mapResponse(definition: ToolDefinition, body: JsonValue): JsonValue {
  const entries = Object.entries(definition.responseFieldMap)
  if (entries.length === 0) return body
  const holder: Holder = {}
  for (const [output, source] of entries)
    place(holder, 'output', pathSteps(output), collect(body, pathSteps(source)))
  const isList = entries.every(([output]) => output.startsWith('[]'))
  return (holder.output ?? (isList ? [] : {})) as JsonValue
}

/**
 * The `responseFieldMap` response paths the tool's `responseSchema` rules out (renamed or removed
 * since the map was written). A part of the schema that lists no `properties` (or `items`) says
 * nothing, so paths below it are not stale; with no `responseSchema` nothing is.
 */
export function staleFieldPaths(definition: ToolDefinition): string[] {
  const schema = definition.responseSchema
  if (schema === null) return []
  return [...new Set(Object.values(definition.responseFieldMap))].filter(
    (path) => !schemaMayHavePath(schema, path),
  )
}
