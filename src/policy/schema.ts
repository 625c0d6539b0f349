import { z } from 'zod'
import { isValidPathPattern } from './allowlist.js'
import type { Policy, ProviderConstraints } from './model.js'
import { isValidTimeZone, minutesOf } from './time-window.js'

/**
 * The zod schemas of a policy document: `POST /policies` and `PUT /policies/:id` parse with
 * {@link policyInput} and {@link policyRules}, `PUT /policies/:id/provider-constraints` with
 * {@link providerConstraints}, and the OpenAPI document is generated from them. Strict objects: a
 * misspelt rule (`chatID`) is refused rather than silently ignored, since an ignored rule allows more.
 */

const id = z.string().min(1).max(200)
const ids = z.array(id).max(1000)
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const

export const httpAllowlistEntry = z.strictObject({
  method: z
    .string()
    .regex(/^(\*|[A-Za-z]{1,20})$/, 'must be an HTTP method or *')
    .transform((m) => m.toUpperCase())
    // The output is a string again: the OpenAPI document (and the client's types) say so.
    .pipe(z.string()),
  path: z
    .string()
    .max(512)
    .refine(
      isValidPathPattern,
      'must start with /, with no dot segments, encoded slashes or //, and ** only as a whole segment, at most twice',
    ),
})

export const toolAllowlistEntry = z.strictObject({
  tool: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be a tool slug'),
})

export const rateLimit = z.strictObject({
  limit: z.number().int().min(1).max(1_000_000_000),
  per: z.enum(['second', 'minute', 'hour', 'day']),
})

const clock = (end: boolean) =>
  z
    .string()
    .refine(
      (value) => minutesOf(value) !== null && (end || value !== '24:00'),
      end ? 'must be HH:MM (24:00 allowed)' : 'must be HH:MM',
    )

export const timeWindow = z
  .strictObject({
    days: z
      .array(z.enum(WEEKDAYS))
      .min(1)
      .max(7)
      .refine((days) => new Set(days).size === days.length, 'must not repeat a day'),
    start: clock(false),
    end: clock(true),
    timeZone: z.string().max(64).refine(isValidTimeZone, 'must be an IANA time zone, e.g. Europe/Berlin'),
  })
  .refine((w) => w.start !== w.end, {
    message: 'start and end must differ',
    path: ['end'],
  })

const telegramChatId = z.union([
  z.number().int().refine(Number.isSafeInteger, 'must be a chat id'),
  z.string().regex(/^(-?\d{1,20}|@\w{4,32})$/, 'must be a numeric chat id or an @username'),
])

export const providerConstraints = z
  .strictObject({
    telegram: z.strictObject({ chatIds: z.array(telegramChatId).max(1000) }).optional(),
    slack: z
      .strictObject({ channels: ids.optional(), users: ids.optional() })
      .refine((s) => s.channels || s.users, 'must list channels or users')
      .optional(),
    teams: z
      .strictObject({
        tenantIds: ids.optional(),
        teamIds: ids.optional(),
        channelIds: ids.optional(),
        chatIds: ids.optional(),
      })
      .refine((t) => t.tenantIds || t.teamIds || t.channelIds || t.chatIds, 'must list some ids')
      .optional(),
  })
  .refine(
    (c) => Object.values(c).filter(Boolean).length <= 1,
    'may constrain one provider family only',
  ) satisfies z.ZodType<ProviderConstraints>

/** The rules of a policy, each with its default. */
export const policyRules = z.strictObject({
  defaultMode: z.enum(['read_only', 'read_write']).default('read_only'),
  stepUpApproval: z.enum(['never', 'risk_based', 'always']).default('risk_based'),
  allowedModels: z
    .array(z.enum(['A', 'B']))
    .min(1)
    .max(2)
    .refine((models) => new Set(models).size === models.length, 'must not repeat a model')
    .default(['B']),
  allowlists: z
    .array(z.union([httpAllowlistEntry, toolAllowlistEntry]))
    .max(100)
    .default([]),
  rateLimits: z
    .array(rateLimit)
    .min(1)
    .max(4)
    .refine((limits) => new Set(limits.map((l) => l.per)).size === limits.length, 'must not repeat a window')
    .nullable()
    .default(null),
  timeWindows: z.array(timeWindow).max(20).default([]),
  providerConstraints: providerConstraints.default({}),
})

/** `POST /policies`: which agent on which connection, and its rules. */
export const policyInput = policyRules.extend({
  connectionId: z.uuid({ error: 'must be a connection id (a UUID)' }),
  agentId: id,
  agentName: z.string().trim().min(1).max(100).optional(),
})

/** A policy as stored and on the wire. */
export const policy = policyRules.extend({
  id: z.string(),
  connectionId: z.string(),
  agentId: id,
  agentName: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
}) satisfies z.ZodType<Policy>
