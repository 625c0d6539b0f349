import type { ToolDefinition, ToolValue } from '../providers/tool-definition.js'
import { toolDefinitionSchema } from './definition-schema.js'
import { indexOf, MAX_PATH_INDEX, splitPath } from './json-path.js'
import { staleFieldPaths } from './response.js'
import { pathSteps, schemaMayHavePath } from './schema-path.js'
import { ToolValidator } from './validate.js'

export { toolDefinitionSchema }

/** What the router sets itself, or a credential: never a tool's own header. */
const RESERVED_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'x-api-key',
  'host',
  'content-length',
  'content-type',
  'transfer-encoding',
])
/** What each encoder's output holds: the names its body fields may read. */
const ENCODER_OUTPUT: Record<
  NonNullable<ToolDefinition['request']['encoder']>,
  { reads: string[]; writes: string[] }
> = {
  rfc822_message: { reads: ['to'], writes: ['raw'] },
}

const placeholders = (path: string): string[] =>
  [...path.matchAll(/\{([^{}]+)\}/g)].map((match) => match[1] ?? '')
const inputPaths = (values: Record<string, ToolValue> | undefined): string[] =>
  Object.values(values ?? {}).flatMap((value) => (typeof value === 'string' ? [value] : []))
const arraySteps = (path: string): number => pathSteps(path).filter((step) => 'items' in step).length

/**
 * What body field paths with array indexes get wrong: an index past MAX_PATH_INDEX, a place used
 * both as an array and as an object, or a position no field fills (`children.1` without `children.0`).
 */
function bodyArrayProblems(paths: string[]): string[] {
  const problems: string[] = []
  const indexes = new Map<string, Set<number>>()
  const objects = new Set<string>()
  for (const path of paths) {
    const segments = splitPath(path) ?? []
    for (const [position, segment] of segments.entries()) {
      const prefix = segments
        .slice(0, position)
        .map((part) => part.name)
        .join('.')
      const index = indexOf(segment)
      if (index === null) {
        if (position > 0) objects.add(prefix)
        continue
      }
      if (index > MAX_PATH_INDEX)
        problems.push(`body field "${path}" indexes an array past ${MAX_PATH_INDEX}`)
      else indexes.set(prefix, (indexes.get(prefix) ?? new Set()).add(index))
    }
  }
  for (const [prefix, used] of indexes) {
    if (objects.has(prefix)) problems.push(`body fields use "${prefix}" both as an array and as an object`)
    const hole = [...Array(used.size).keys()].find((index) => !used.has(index))
    if (hole !== undefined)
      problems.push(`body fields leave "${prefix}.${hole}" empty: indexes must run from 0`)
  }
  return problems
}

/** The checks a schema cannot make, for one definition that passed the schema. */
function problemsOf(tool: ToolDefinition, validator: ToolValidator): string[] {
  const problems: string[] = []
  for (const [name, schema] of [
    ['inputSchema', tool.inputSchema],
    ['responseSchema', tool.responseSchema],
  ] as const) {
    const error = schema === null ? null : validator.compiles(schema)
    if (error) problems.push(`${name}: ${error}`)
  }
  const { request, inputSchema } = tool
  const needsInput = (path: string, where: string) => {
    if (!schemaMayHavePath(inputSchema, path))
      problems.push(`${where} reads "${path}", which inputSchema does not have`)
  }
  for (const name of placeholders(request.path)) needsInput(name, `path placeholder {${name}}`)
  for (const path of inputPaths(request.query)) needsInput(path, 'a query parameter')
  const encoder = request.encoder ? ENCODER_OUTPUT[request.encoder] : null
  // With an encoder, body fields read its output merged over the input: a name it writes, or an input.
  for (const path of inputPaths(request.body?.fields))
    if (!encoder?.writes.includes(path))
      needsInput(path, encoder ? `a body field (not written by ${request.encoder})` : 'a body field')
  for (const path of encoder?.reads ?? []) needsInput(path, `${request.encoder}`)
  problems.push(...bodyArrayProblems(Object.keys(request.body?.fields ?? {})))
  for (const name of Object.keys(request.headers ?? {}))
    if (RESERVED_HEADERS.has(name.toLowerCase()))
      problems.push(`header ${name} is set by the router, never by a tool`)
  const outputs = Object.keys(tool.responseFieldMap)
  if (
    outputs.some((output) => output.startsWith('[]')) &&
    !outputs.every((output) => output.startsWith('[]'))
  )
    problems.push('responseFieldMap mixes a list output ([]…) with named outputs')
  for (const [output, source] of Object.entries(tool.responseFieldMap))
    if (arraySteps(output) > arraySteps(source))
      problems.push(`responseFieldMap "${output}" has more [] than its response path "${source}"`)
  for (const path of staleFieldPaths(tool))
    problems.push(`responseFieldMap reads "${path}", which responseSchema does not have`)
  return problems
}

/**
 * Every problem with a provider's tool definitions, each naming the provider and the tool: the JSON
 * Schema of a definition, schemas that do not compile in strict mode, a path placeholder or request
 * value naming an input field that does not exist, duplicate slugs, response paths the response
 * schema does not have, reserved headers. Empty when all is well.
 *
 * @example
 * expect(checkToolDefinitions('github', github.tools)).toEqual([])
 */
export function checkToolDefinitions(providerId: string, tools: readonly ToolDefinition[]): string[] {
  const validator = new ToolValidator()
  const seen = new Set<string>()
  return tools.flatMap((tool, index) => {
    const slug = typeof tool?.slug === 'string' ? tool.slug : `#${index}`
    const name = `${providerId}/${slug}`
    const result = validator.check(toolDefinitionSchema, tool, { limits: false })
    if (!result.ok)
      return result.errors.map(({ pointer, message }) => `${name}: ${pointer || '/'} ${message}`)
    const problems = seen.has(slug) ? [`${name}: the slug is used by another tool of ${providerId}`] : []
    seen.add(slug)
    return [...problems, ...problemsOf(tool, validator).map((problem) => `${name}: ${problem}`)]
  })
}
