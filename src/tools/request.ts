import type { JsonValue, ToolDefinition, ToolValue } from '../providers/tool-definition.js'
import { encode } from './encoders.js'
import { indexOf, MAX_PATH_INDEX, type PathSegment, splitPath, valueAt } from './json-path.js'
import { PROTOTYPE_KEYS, pointerOfPath, ToolInputError } from './problems.js'

/**
 * The HTTP call a tool run makes, relative to the connection's API base URL: the shape policy/model.ts
 * checks (`method`, `path`, `query`, `body`, `contentType`) plus the definition's extra headers.
 */
export interface BuiltRequest {
  method: string
  /** Percent-encoded, starting with `/`, no query. */
  path: string
  /** Without the `?`; `''` when there is none. */
  query: string
  headers: Record<string, string>
  body: Uint8Array | null
  contentType: string | null
}

const PLACEHOLDER = /\{([^{}]+)\}/g

function resolve(source: Record<string, JsonValue>, value: ToolValue): JsonValue | undefined {
  return typeof value === 'string' ? valueAt(source, value) : value.const
}

const fail = (path: string, message: string): never => {
  throw new ToolInputError([{ pointer: pointerOfPath(path), message }])
}

function encodeComponent(text: string, field: string): string {
  try {
    return encodeURIComponent(text)
  } catch {
    return fail(field, 'must be well-formed Unicode')
  }
}

/**
 * A segment that is empty or a dot segment to some server: `..`, and also `..;x` (servers that strip
 * path parameters) and ` .. ` (parsers that trim), as policy/path.ts reads them.
 */
function isDotOrEmpty(segment: string): boolean {
  let decoded: string
  try {
    decoded = decodeURIComponent(segment)
  } catch {
    return false
  }
  return decoded === '' || ['.', '..'].includes((decoded.split(';')[0] ?? '').trim())
}

/** Each `{field}` percent-encoded within its one segment; `.`, `..` and empty segments refused. */
function buildPath(template: string, input: Record<string, JsonValue>): string {
  return template
    .split('/')
    .map((segment) => {
      let field = ''
      const built = segment.replace(PLACEHOLDER, (_, name: string) => {
        field = name
        const value = valueAt(input, name)
        if (value === undefined || value === null) return fail(name, 'is required (it is part of the path)')
        if (typeof value === 'object')
          return fail(name, 'must be a string or a number (it is part of the path)')
        return encodeComponent(String(value), name)
      })
      if (field && isDotOrEmpty(built)) fail(field, 'must not be empty, "." or ".." (it is part of the path)')
      return built
    })
    .join('/')
}

const asText = (value: JsonValue): string => (typeof value === 'string' ? value : JSON.stringify(value))

function buildQuery(definition: ToolDefinition, input: Record<string, JsonValue>): string {
  const pairs: string[] = []
  for (const [name, source] of Object.entries(definition.request.query ?? {})) {
    const value = resolve(input, source)
    if (value === undefined || value === null) continue
    const field = typeof source === 'string' ? source : name
    for (const item of Array.isArray(value) ? value : [value])
      if (item !== null) pairs.push(`${encodeComponent(name, field)}=${encodeComponent(asText(item), field)}`)
  }
  return pairs.join('&')
}

type BodyObject = { [key: string]: JsonValue }
type Container = BodyObject | JsonValue[]

const isBodyObject = (value: JsonValue | undefined): value is BodyObject =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

/**
 * The body fields as a nested object, built on null-prototype objects so no path reaches a prototype.
 * A numeric segment (`children.0.type`) makes or indexes an array, up to index MAX_PATH_INDEX; a
 * position no field filled (its input was absent) is closed up, so arrays never have holes.
 */
function bodyObject(fields: Record<string, ToolValue>, source: Record<string, JsonValue>): BodyObject {
  const root: BodyObject = Object.create(null)
  const made = new Set<JsonValue[]>()
  for (const [path, from] of Object.entries(fields)) {
    const value = resolve(source, from)
    if (value === undefined) continue
    const segments = splitPath(path)
    if (!segments || segments.some((segment) => PROTOTYPE_KEYS.has(segment.name)))
      return fail(path, 'names a prototype key')
    let node: Container = root
    for (const [position, segment] of segments.entries()) {
      const key: string | number = Array.isArray(node) ? arrayIndex(segment, path) : segment.name
      const following = segments[position + 1]
      if (!following) {
        ;(node as Record<string | number, JsonValue>)[key] = value
        break
      }
      const current: JsonValue | undefined = (node as Record<string | number, JsonValue>)[key]
      let next: Container
      if (indexOf(following) === null) next = isBodyObject(current) ? current : Object.create(null)
      else if (Array.isArray(current) && made.has(current)) next = current
      else {
        next = []
        made.add(next)
      }
      ;(node as Record<string | number, JsonValue>)[key] = next
      node = next
    }
  }
  for (const list of made) list.splice(0, list.length, ...list.filter(() => true))
  return root
}

function arrayIndex(segment: PathSegment, path: string): number {
  const index = indexOf(segment)
  if (index === null || index > MAX_PATH_INDEX) return fail(path, `indexes an array past ${MAX_PATH_INDEX}`)
  return index
}

function formBody(object: BodyObject): string {
  const form = new URLSearchParams()
  for (const [name, value] of Object.entries(object)) if (value !== null) form.append(name, asText(value))
  return form.toString()
}

/**
 * The request a tool makes for a merged, validated input. Path placeholders are percent-encoded as
 * one segment each (a `/` is encoded, a `.` or `..` segment refused), so input never changes the
 * path's shape; query and body values come from input fields (absent ones left out) or constants.
 * With an `encoder`, the body fields read the encoder's output merged over the input (Gmail:
 * `body: { fields: { raw: 'raw', threadId: 'threadId' } }`); the path and query read the input. Input the request
 * cannot be built from throws ToolInputError (422).
 *
 * @example
 * buildRequest(createIssue, { owner: 'acme', repo: 'a/b', title: 'Bug' })
 * // { method: 'POST', path: '/repos/acme/a%2Fb/issues', query: '', body: {"title":"Bug"} as bytes, … }
 */
export function buildRequest(definition: ToolDefinition, input: Record<string, JsonValue>): BuiltRequest {
  const { request } = definition
  const path = buildPath(request.path, input)
  const query = buildQuery(definition, input)
  const headers = { ...request.headers }
  if (!request.body) return { method: request.method, path, query, headers, body: null, contentType: null }
  const source = request.encoder ? { ...input, ...encode(request.encoder, input) } : input
  const object = bodyObject(request.body.fields, source)
  const form = request.body.format === 'form'
  const text = form ? formBody(object) : JSON.stringify(object)
  return {
    method: request.method,
    path,
    query,
    headers,
    body: new TextEncoder().encode(text),
    contentType: form ? 'application/x-www-form-urlencoded' : 'application/json',
  }
}
