import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats'
import { canonicalJson } from '../crypto/canonical-json.js'
import type { JsonSchema, JsonValue, ToolDefinition } from '../providers/tool-definition.js'
import { inputHazards } from './input-guard.js'
import { type InputProblem, pointerToken } from './problems.js'

/**
 * What the owner set for one tool on one connection. Defaults fill fields the agent leaves out; a
 * pinned field takes its value from `inputDefaults` and the agent can neither see nor set it. A pinned
 * field without a default is a settings error for the caller to refuse. Top-level fields only.
 *
 * @example
 * const settings: ToolSettings = { inputDefaults: { owner: 'acme', labels: ['bot'] }, pinnedFields: ['owner'] }
 */
export interface ToolSettings {
  inputDefaults: Record<string, JsonValue>
  pinnedFields: string[]
}

export type CheckResult = { ok: true } | { ok: false; errors: InputProblem[] }

const MAX_REPORTED_ERRORS = 20
/** Compiled schemas kept; the least recently used one is dropped (and removed from ajv) past this. */
export const COMPILE_CACHE_SIZE = 256

const isObject = (value: unknown): value is Record<string, JsonValue> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

const pinnedValues = (settings: ToolSettings): [string, JsonValue][] =>
  settings.pinnedFields.flatMap((field) =>
    Object.hasOwn(settings.inputDefaults, field) ? [[field, settings.inputDefaults[field] as JsonValue]] : [],
  )

/**
 * The schema the agent sees: pinned fields gone from `properties` and `required`; a field with a
 * default shows it as `default` and is no longer required.
 *
 * @example
 * mergedInputSchema(createIssue, { inputDefaults: { owner: 'acme' }, pinnedFields: ['owner'] })
 * // properties: { repo, title }, required: ['repo', 'title']
 */
export function mergedInputSchema(definition: ToolDefinition, settings: ToolSettings): JsonSchema {
  const schema = definition.inputSchema
  const pinned = new Set(settings.pinnedFields)
  const merged: JsonSchema = { ...schema }
  if (isObject(schema.properties)) {
    const properties: Record<string, JsonValue> = {}
    for (const [name, property] of Object.entries(schema.properties)) {
      if (pinned.has(name)) continue
      const fallback = Object.hasOwn(settings.inputDefaults, name) ? settings.inputDefaults[name] : undefined
      properties[name] =
        fallback !== undefined && isObject(property) ? { ...property, default: fallback } : property
    }
    merged.properties = properties
  }
  if (Array.isArray(schema.required)) {
    const required = schema.required.filter(
      (name) =>
        typeof name !== 'string' || !(pinned.has(name) || Object.hasOwn(settings.inputDefaults, name)),
    )
    if (required.length > 0) merged.required = required
    else delete merged.required
  }
  return merged
}

/**
 * What the tool is called with: the owner's defaults, then the agent's input over them, then the pins
 * over everything (pins always win). Input naming a pinned field is refused before this, by
 * `pinnedFieldProblems` (or `validateToolInput`, which does both).
 *
 * @example
 * mergeInput({ inputDefaults: { owner: 'acme', state: 'open' }, pinnedFields: ['owner'] }, { state: 'all', owner: 'evil' })
 * // { owner: 'acme', state: 'all' }
 */
export function mergeInput(
  settings: ToolSettings,
  input: Record<string, JsonValue>,
): Record<string, JsonValue> {
  return { ...settings.inputDefaults, ...input, ...Object.fromEntries(pinnedValues(settings)) }
}

/** The input fields an agent tried to set though the owner pinned them: `/owner: pinned by the owner`. */
export function pinnedFieldProblems(
  settings: ToolSettings,
  input: Record<string, JsonValue>,
): InputProblem[] {
  return settings.pinnedFields
    .filter((field) => Object.hasOwn(input, field))
    .map((field) => ({ pointer: `/${pointerToken(field)}`, message: 'is pinned by the owner' }))
}

/**
 * Default and pinned fields the tool's current `inputSchema` no longer has (renamed or removed since
 * the owner set them), sorted.
 */
export function staleInputFields(definition: ToolDefinition, settings: ToolSettings): string[] {
  const properties = isObject(definition.inputSchema.properties) ? definition.inputSchema.properties : {}
  const named = new Set([...Object.keys(settings.inputDefaults), ...settings.pinnedFields])
  return [...named].filter((field) => !Object.hasOwn(properties, field)).sort()
}

// ajv-formats is CommonJS: ESM sees module.exports (which also has `.default`), a bundle may see `.default`.
const addFormats = ((addFormatsModule as unknown as { default?: FormatsPlugin }).default ??
  addFormatsModule) as unknown as FormatsPlugin

/** The RFC 6901 pointer to the field an ajv error is about: the missing or extra property itself. */
function pointerOf(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>
  const named =
    params.missingProperty ?? params.additionalProperty ?? params.unevaluatedProperty ?? params.propertyName
  return typeof named === 'string' ? `${error.instancePath}/${pointerToken(named)}` : error.instancePath
}

function messageOf(error: ErrorObject): string {
  if (error.keyword === 'required' || error.keyword === 'dependentRequired') return 'is required'
  if (error.keyword === 'additionalProperties' || error.keyword === 'unevaluatedProperties')
    return 'is not allowed'
  return error.message ?? `fails ${error.keyword}`
}

type Compiled = { validate: ValidateFunction; schema: JsonSchema } | { error: string }

/**
 * JSON Schema 2020-12 checks for tool input and definitions: strict mode, formats, no defaults
 * written into the value, never a remote `$ref`. Compiled schemas are cached by their canonical JSON
 * (COMPILE_CACHE_SIZE, least recently used out). Never throws: a schema that does not compile is an
 * error on the whole value.
 *
 * @example
 * const validator = new ToolValidator()
 * validator.check({ type: 'object', properties: { title: { type: 'string' } }, required: ['title'] }, {})
 * // { ok: false, errors: [{ pointer: '/title', message: 'is required' }] }
 */
export class ToolValidator {
  readonly #ajv = new Ajv2020({
    strict: true,
    allErrors: true,
    allowUnionTypes: true,
    useDefaults: false,
    addUsedSchema: false,
    validateFormats: true,
  })
  readonly #cache = new Map<string, Compiled>()

  constructor() {
    addFormats(this.#ajv)
  }

  /** null if `schema` compiles in strict mode, else why not. */
  compiles(schema: JsonSchema): string | null {
    const compiled = this.#compile(schema)
    return 'error' in compiled ? compiled.error : null
  }

  /**
   * Whether `value` is valid against `schema`, with a JSON pointer to each offending field. Input
   * limits (prototype keys, size, depth) apply unless `limits` is false, for trusted data such as a
   * preset's tool definitions.
   */
  check(schema: JsonSchema, value: unknown, { limits = true }: { limits?: boolean } = {}): CheckResult {
    const hazards = limits ? inputHazards(value) : []
    if (hazards.length > 0) return { ok: false, errors: hazards }
    const compiled = this.#compile(schema)
    if ('error' in compiled) return { ok: false, errors: [{ pointer: '', message: compiled.error }] }
    try {
      if (compiled.validate(value)) return { ok: true }
    } catch (error) {
      return {
        ok: false,
        errors: [{ pointer: '', message: `could not be checked: ${(error as Error).message}` }],
      }
    }
    const errors = (compiled.validate.errors ?? [])
      .slice(0, MAX_REPORTED_ERRORS)
      .map((error) => ({ pointer: pointerOf(error), message: messageOf(error) }))
    return { ok: false, errors }
  }

  #compile(schema: JsonSchema): Compiled {
    let key: string
    try {
      key = canonicalJson(schema)
    } catch (error) {
      return { error: `the schema is not JSON: ${(error as Error).message}` }
    }
    const cached = this.#cache.get(key)
    if (cached) {
      this.#cache.delete(key)
      this.#cache.set(key, cached)
      return cached
    }
    let compiled: Compiled
    try {
      compiled = { validate: this.#ajv.compile(schema), schema }
    } catch (error) {
      compiled = { error: `the schema does not compile: ${(error as Error).message}` }
    }
    this.#cache.set(key, compiled)
    if (this.#cache.size > COMPILE_CACHE_SIZE) this.#evictOldest()
    return compiled
  }

  #evictOldest(): void {
    const [oldestKey, oldest] = this.#cache.entries().next().value ?? []
    if (oldestKey === undefined) return
    this.#cache.delete(oldestKey)
    if (oldest && 'schema' in oldest) this.#ajv.removeSchema(oldest.schema)
  }
}

/**
 * The whole input check of a run: hazards in the raw input, pinned fields the agent tried to set,
 * then defaults ⊕ input ⊕ pins against the tool's own `inputSchema`. On success, the merged input.
 *
 * @example
 * const result = validateToolInput(validator, createIssue, settings, { repo: 'api', title: 'Bug' })
 * if (!result.ok) throw new ToolInputError(result.errors)
 */
export function validateToolInput(
  validator: ToolValidator,
  definition: ToolDefinition,
  settings: ToolSettings,
  input: unknown,
): { ok: true; input: Record<string, JsonValue> } | { ok: false; errors: InputProblem[] } {
  const hazards = inputHazards(input)
  if (hazards.length > 0) return { ok: false, errors: hazards }
  if (!isObject(input)) return { ok: false, errors: [{ pointer: '', message: 'must be an object' }] }
  const pinned = pinnedFieldProblems(settings, input)
  if (pinned.length > 0) return { ok: false, errors: pinned }
  const merged = mergeInput(settings, input)
  const result = validator.check(definition.inputSchema, merged)
  return result.ok ? { ok: true, input: merged } : result
}
