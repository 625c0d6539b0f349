import { ConnectionsError } from '../core/errors.js'
import type { JsonSchema, ToolDefinition } from '../providers/tool-definition.js'
import { type InputProblem, PROTOTYPE_KEYS, pointerToken } from './problems.js'
import type { ToolSettings, ToolValidator } from './validate.js'

/**
 * What is wrong with an owner's settings for a tool, as JSON pointers into the PATCH body: defaults
 * must name fields of the tool and fit their schemas; a pinned field must be a field and have a default
 * (a pin without a value would let the agent's value through, or none at all).
 */
export function settingsProblems(
  validator: ToolValidator,
  definition: ToolDefinition,
  settings: ToolSettings,
): InputProblem[] {
  const properties = propertiesOf(definition.inputSchema)
  const problems: InputProblem[] = []
  for (const field of Object.keys(settings.inputDefaults)) {
    if (PROTOTYPE_KEYS.has(field) || !Object.hasOwn(properties, field)) {
      problems.push({
        pointer: `/inputDefaults/${pointerToken(field)}`,
        message: 'is not a field of this tool',
      })
    }
  }
  settings.pinnedFields.forEach((field, at) => {
    if (PROTOTYPE_KEYS.has(field) || !Object.hasOwn(properties, field)) {
      problems.push({ pointer: `/pinnedFields/${at}`, message: `"${field}" is not a field of this tool` })
    } else if (!Object.hasOwn(settings.inputDefaults, field)) {
      problems.push({ pointer: `/pinnedFields/${at}`, message: `"${field}" needs a default to be pinned` })
    }
  })
  if (problems.length > 0) return problems
  // The defaults together, against the tool's schema with nothing required: each value must fit its field.
  const result = validator.check(partialSchema(definition.inputSchema), settings.inputDefaults)
  return result.ok ? [] : result.errors.map((e) => ({ ...e, pointer: `/inputDefaults${e.pointer}` }))
}

/** 422 `invalid_input` with the problems as `details`. */
export function invalidInput(message: string, problems: InputProblem[]): ConnectionsError {
  return new ConnectionsError('invalid_input', message, { details: problems })
}

function propertiesOf(schema: JsonSchema): Record<string, unknown> {
  const properties = schema.properties
  return properties !== null && typeof properties === 'object' && !Array.isArray(properties) ? properties : {}
}

function partialSchema(schema: JsonSchema): JsonSchema {
  const { required: _required, minProperties: _min, dependentRequired: _dependent, ...rest } = schema
  return rest
}
