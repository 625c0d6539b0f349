import type { JsonSchema } from '../providers/tool-definition.js'

const NO_PROTOTYPE_SEGMENT = '(?!(?:.*\\.)?(?:__proto__|constructor|prototype)(?:\\.|\\[|$))'
const NO_PROTOTYPE_LITERAL = "(?!.*\\['(?:__proto__|constructor|prototype)'\\])"
const NAME = '[^.\\[\\]\\s]+'
/** `['@odata.nextLink']`: a name with dots, taken literally. */
const LITERAL = "\\['[^'\\]]+'\\]"
const MAP_FIRST = `(?:${NAME}|${LITERAL}|\\[\\])`
const MAP_NEXT = `(?:\\.${NAME}|\\.?${LITERAL}|\\.?\\[\\])`

/**
 * The JSON Schema (2020-12) of a ToolDefinition: what every preset's tools must look like, checked
 * by `checkToolDefinitions` (with the checks a schema cannot make) in a test over every preset.
 */
export const toolDefinitionSchema: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: [
    'slug',
    'displayName',
    'description',
    'inputSchema',
    'request',
    'responseSchema',
    'responseFieldMap',
    'annotations',
    'docsUrl',
  ],
  additionalProperties: false,
  properties: {
    slug: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,63}$' },
    displayName: { type: 'string', minLength: 1, maxLength: 80 },
    description: { type: 'string', minLength: 1, maxLength: 1024 },
    inputSchema: {
      type: 'object',
      required: ['type', 'additionalProperties'],
      properties: { type: { const: 'object' }, additionalProperties: { const: false } },
    },
    request: { $ref: '#/$defs/request' },
    responseSchema: { type: ['object', 'null'] },
    responseFieldMap: {
      type: 'object',
      propertyNames: { $ref: '#/$defs/mapPath' },
      additionalProperties: { $ref: '#/$defs/mapPath' },
    },
    success: {
      oneOf: [
        {
          type: 'object',
          required: ['path', 'equals'],
          additionalProperties: false,
          properties: {
            path: { $ref: '#/$defs/dottedPath' },
            equals: true,
            errorPath: { $ref: '#/$defs/dottedPath' },
          },
        },
        {
          type: 'object',
          required: ['path', 'absent'],
          additionalProperties: false,
          properties: {
            path: { $ref: '#/$defs/dottedPath' },
            absent: { const: true },
            errorPath: { $ref: '#/$defs/dottedPath' },
          },
        },
      ],
    },
    annotations: {
      type: 'object',
      required: ['readOnly'],
      additionalProperties: false,
      properties: {
        readOnly: { type: 'boolean' },
        destructive: { type: 'boolean' },
        idempotent: { type: 'boolean' },
      },
    },
    scopes: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { type: 'string', minLength: 1, maxLength: 256, pattern: '^[\\x21-\\x7e]+$' },
    },
    docsUrl: { type: 'string', format: 'uri', pattern: '^https://' },
  },
  $defs: {
    dottedPath: { type: 'string', pattern: `^${NO_PROTOTYPE_SEGMENT}${NAME}(?:\\.${NAME})*$` },
    mapPath: {
      type: 'string',
      pattern: `^${NO_PROTOTYPE_SEGMENT}${NO_PROTOTYPE_LITERAL}${MAP_FIRST}${MAP_NEXT}*$`,
    },
    toolValue: {
      oneOf: [
        { $ref: '#/$defs/dottedPath' },
        { type: 'object', required: ['const'], additionalProperties: false, properties: { const: true } },
      ],
    },
    request: {
      type: 'object',
      required: ['method', 'path'],
      additionalProperties: false,
      properties: {
        method: { enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] },
        path: { type: 'string', pattern: '^/[^?#\\s]*$' },
        query: {
          type: 'object',
          propertyNames: { minLength: 1 },
          additionalProperties: { $ref: '#/$defs/toolValue' },
        },
        body: {
          type: 'object',
          required: ['fields'],
          additionalProperties: false,
          properties: {
            format: { enum: ['json', 'form'] },
            fields: {
              type: 'object',
              propertyNames: { $ref: '#/$defs/dottedPath' },
              additionalProperties: { $ref: '#/$defs/toolValue' },
            },
          },
        },
        encoder: { enum: ['rfc822_message'] },
        headers: {
          type: 'object',
          propertyNames: { pattern: '^[A-Za-z0-9-]+$' },
          additionalProperties: { type: 'string', pattern: '^[^\\r\\n]*$' },
        },
      },
    },
  },
}
