import type { JsonSchema, JsonValue, ToolDefinition } from '../providers/tool-definition.js'
import type { ToolValidator } from '../tools/validate.js'
import type { RemoteTool } from './remote.js'

/** A remote MCP tool as the tool engine lists it, and the name `tools/call` takes. */
export interface SnapshotTool {
  name: string
  definition: ToolDefinition
}

/** The most a connection's snapshot holds (its JSON): a store record, read on every run. */
export const SNAPSHOT_MAX_BYTES = 1024 * 1024

const DRAFT_07 = /^https?:\/\/json-schema\.org\/draft-0[67]\/schema#?$/
const DRAFT_2020 = /^https:\/\/json-schema\.org\/draft\/2020-12\/schema#?$/
const MAX_DEPTH = 32

const isObject = (value: unknown): value is Record<string, JsonValue> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * Why a draft-07 schema cannot be read as 2020-12, or null when it can: only the keywords whose
 * meaning changed (`items` as an array, `additionalItems`, `dependencies`, `$ref` beside other
 * keywords, which draft-07 ignores and 2020-12 applies) make a difference.
 */
function draft07Difference(node: JsonValue, depth = 0): string | null {
  if (depth > MAX_DEPTH) return 'the schema is nested too deeply'
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = draft07Difference(item, depth + 1)
      if (found) return found
    }
    return null
  }
  if (!isObject(node)) return null
  if (Array.isArray(node.items)) return 'draft-07 `items` as an array'
  for (const keyword of ['additionalItems', 'dependencies'])
    if (Object.hasOwn(node, keyword)) return `draft-07 \`${keyword}\``
  if (typeof node.$ref === 'string' && Object.keys(node).some((k) => k !== '$ref' && k !== 'description'))
    return 'draft-07 `$ref` beside other keywords'
  for (const [key, value] of Object.entries(node)) {
    // Values of these are data, not schemas.
    if (key === 'enum' || key === 'const' || key === 'default' || key === 'examples') continue
    const found = draft07Difference(value, depth + 1)
    if (found) return found
  }
  return null
}

/**
 * The schema as ajv 2020-12 (strict) reads it: a draft-07 or draft-06 one (what zod-to-json-schema
 * writes, so most SDK servers) loses its `$schema` when it means the same in 2020-12; a 2020-12 one
 * keeps it; any other dialect is refused. Never fetches anything: a `$ref` outside the schema does
 * not compile.
 */
export function normalizedSchema(schema: JsonSchema): { schema: JsonSchema } | { error: string } {
  const dialect = schema.$schema
  if (dialect === undefined || (typeof dialect === 'string' && DRAFT_2020.test(dialect))) return { schema }
  if (typeof dialect !== 'string' || !DRAFT_07.test(dialect))
    return { error: `the schema's dialect is not one this router reads (${String(dialect).slice(0, 80)})` }
  const { $schema: _dialect, ...rest } = schema
  const difference = draft07Difference(rest)
  return difference ? { error: `${difference} means another thing in 2020-12` } : { schema: rest }
}

/**
 * A slug from an MCP tool name (`get-sum` → `get_sum`): lowercase, other characters `_`, a letter
 * first, at most 64; a clash with an earlier tool's slug gets `_2`, `_3`…
 */
export function slugOf(name: string, taken: ReadonlySet<string>): string {
  let base = name.toLowerCase().replaceAll(/[^a-z0-9_]/g, '_')
  if (!/^[a-z]/.test(base)) base = `t_${base}`
  base = base.slice(0, 64)
  let slug = base
  for (let n = 2; taken.has(slug); n++) slug = `${base.slice(0, 64 - `_${n}`.length)}_${n}`
  return slug
}

function checkedSchemas(
  validator: ToolValidator,
  tool: RemoteTool,
): { input: JsonSchema; output: JsonSchema | null } | { error: string } {
  const input = normalizedSchema(tool.inputSchema)
  if ('error' in input) return { error: `input schema: ${input.error}` }
  if (input.schema.type !== 'object') return { error: 'the input schema is not `type: object`' }
  const inputProblem = validator.compiles(input.schema)
  if (inputProblem) return { error: `input schema: ${inputProblem}` }
  if (tool.outputSchema === null) return { input: input.schema, output: null }
  const output = normalizedSchema(tool.outputSchema)
  if ('error' in output) return { error: `output schema: ${output.error}` }
  const outputProblem = validator.compiles(output.schema)
  if (outputProblem) return { error: `output schema: ${outputProblem}` }
  return { input: input.schema, output: output.schema }
}

/**
 * The listed tools as tool definitions, each schema normalized and compiled (strict): a tool whose
 * input or output schema does not compile is left out, with the reason.
 */
export function snapshotTools(
  validator: ToolValidator,
  tools: readonly RemoteTool[],
  serverUrl: string,
): { tools: SnapshotTool[]; skipped: Array<{ name: string; reason: string }> } {
  const taken = new Set<string>()
  let bytes = 0
  const kept: SnapshotTool[] = []
  const skipped: Array<{ name: string; reason: string }> = []
  for (const tool of tools) {
    const schemas = checkedSchemas(validator, tool)
    if ('error' in schemas) {
      skipped.push({ name: tool.name, reason: schemas.error.slice(0, 300) })
      continue
    }
    const slug = slugOf(tool.name, taken)
    const entry: SnapshotTool = {
      name: tool.name,
      definition: {
        slug,
        displayName: tool.title ?? tool.name,
        description: tool.description,
        inputSchema: schemas.input,
        // Never built: the call is `tools/call` with the tool's name (mcp/tool-source.ts).
        request: { method: 'POST', path: '' },
        responseSchema: schemas.output,
        responseFieldMap: {},
        annotations: {
          readOnly: tool.annotations.readOnly,
          // MCP: `destructiveHint` means something only when `readOnlyHint` is false; its default
          // (true) must not make a read-only tool a write.
          destructive: !tool.annotations.readOnly && tool.annotations.destructive,
          idempotent: tool.annotations.idempotent,
        },
        docsUrl: serverUrl,
      },
    }
    bytes += JSON.stringify(entry).length
    if (bytes > SNAPSHOT_MAX_BYTES) {
      skipped.push({
        name: tool.name,
        reason: `the tools listed before it fill the ${SNAPSHOT_MAX_BYTES} bytes kept`,
      })
      continue
    }
    taken.add(slug)
    kept.push(entry)
  }
  return { tools: kept, skipped }
}
