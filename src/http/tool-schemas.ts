import { z } from 'zod'
import type { JsonValue } from '../providers/tool-definition.js'
import { connectionId, providerId } from './schemas.js'

const slug = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be a tool slug')
const ref = z
  .union([connectionId, providerId])
  .describe('A connection id, or a provider id naming the one connection of it')

export const toolConnectionParams = z.object({ id: ref })
export const toolParams = z.object({ id: ref, slug })

/** A JSON object; checked key by key by the tool engine (zod's record would drop a `__proto__` key silently). */
const jsonObject = z.custom<Record<string, JsonValue>>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  { error: 'must be an object' },
)

/** `PATCH /connections/:id/tools/:slug`: each given field replaces the one stored. */
export const toolSettingsBody = z
  .strictObject({
    isEnabled: z.boolean().optional(),
    inputDefaults: jsonObject
      .optional()
      .describe('Field → value the agent may override; pinned ones it may not'),
    pinnedFields: z
      .array(z.string().min(1).max(200))
      .max(100)
      .optional()
      .describe('Fields that always take their default: each needs one'),
  })
  .refine((body) => Object.keys(body).length > 0, {
    error: 'name at least one of isEnabled, inputDefaults, pinnedFields',
  })

/** `POST /connections/:id/tools/:slug/run`: the input, checked against the tool's merged input schema. */
export const toolRunBody = z.strictObject({
  input: z.unknown().optional().describe("An object; fields fit the tool's mergedInputPreview"),
})

const schema = z.record(z.string(), z.unknown())

export const toolResource = z.object({
  id: z.uuid(),
  connectionId: z.uuid(),
  slug: z.string(),
  toolPath: z.string().describe('<providerId>/<slug>'),
  displayName: z.string(),
  description: z.string(),
  inputSchema: schema,
  responseSchema: schema.nullable(),
  responseFieldMap: z.record(z.string(), z.string()),
  annotations: z.object({
    readOnly: z.boolean(),
    destructive: z.boolean().optional(),
    idempotent: z.boolean().optional(),
  }),
  isEnabled: z.boolean(),
  inputDefaults: z.record(z.string(), z.unknown()).describe("An agent's view leaves out pinned values"),
  pinnedFields: z.array(z.string()),
  defaultCount: z.number().int(),
  pinnedCount: z.number().int(),
  mergedInputPreview: schema.describe('The schema the agent sees: pinned fields removed, defaults shown'),
  staleInputFields: z.array(z.string()),
  staleFieldPaths: z.array(z.string()),
  lastSeenAt: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
})

export const toolRunResult = z.object({ output: z.unknown() })
