import { z } from 'zod'
import { AUDIT_ACTIONS, AUDIT_RULES } from '../core/audit.js'
import { ERROR_STATUS, type ErrorCode } from '../core/errors.js'
import type { ReencryptProgress } from '../core/key-rotation.js'
import { CONNECTION_STATUSES } from '../core/model.js'
import { policy, policyRules } from '../policy/schema.js'
import type { ToolDefinition } from '../providers/tool-definition.js'

/**
 * One zod schema per request and per resource: they validate requests, type the handlers and
 * generate the OpenAPI document, so the three cannot drift apart.
 */
export const providerId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be a provider id')
export const connectionId = z.uuid({ error: 'must be a connection id (a UUID)' })
const label = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters')
const returnUrl = z.string().min(1).max(2048, 'must be at most 2048 characters')
/** RFC 6749 §3.3 scope-token: printable ASCII without space, `"` or `\`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/
const scopeRule = 'must be printable ASCII without spaces, quotes or backslashes (RFC 6749 §3.3)'
const scope = z.string().min(1).max(200).regex(SCOPE_TOKEN, scopeRule)

const metadata = z
  .record(z.string().max(64), z.unknown())
  .refine((value) => jsonSize(value) <= 4096, 'must be at most 4 KiB of JSON')

/** Too deep to serialise counts as too large. */
function jsonSize(value: unknown): number {
  try {
    return JSON.stringify(value).length
  } catch {
    return Number.POSITIVE_INFINITY
  }
}

export const connectionParams = z.object({ id: connectionId })
export const providerParams = z.object({ provider: providerId })

const grantFields = {
  agentId: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe('Bind this agent to the new connection when the flow completes (a policy with the defaults)'),
}

export const connectQuery = z.object({
  ...grantFields,
  allowedModels: z
    .string()
    .max(10)
    .transform((value) => value.split(',').filter(Boolean))
    .pipe(policyRules.shape.allowedModels.unwrap())
    .optional()
    .describe('With agentId: comma-separated execution models of its policy (A, B); default B'),
  return_url: returnUrl.optional(),
  scopes: z
    .string()
    .max(2000)
    .transform((value) => {
      const scopes = value.split(/[\s,]+/).filter(Boolean)
      return scopes.length > 0 ? scopes : undefined
    })
    .refine((scopes) => scopes?.every((s) => SCOPE_TOKEN.test(s)) ?? true, scopeRule)
    .optional()
    .describe('Space- or comma-separated scopes; default: the provider’s'),
  label: label.optional(),
})

/**
 * The connect query's other keys, by name: the provider's connection params (`?shop=acme`), each
 * checked against the provider's own pattern. Keys the provider does not take are ignored.
 */
export const connectQueryParams = z
  .record(z.string().max(64), z.string().max(255))
  .describe("The provider's connection params by name, e.g. ?shop=acme for Shopify (see the provider's docs)")

/** Values of a provider's connection params (Shopify's `shop`); each provider checks its own. */
const connectParams = z
  .record(z.string().max(64), z.string().max(255))
  .describe(
    "The provider's connection params, e.g. { shop: 'acme' } for Shopify: each must match the provider's pattern",
  )

export const startBody = z.strictObject({
  provider: providerId,
  ...grantFields,
  allowedModels: policyRules.shape.allowedModels
    .unwrap()
    .optional()
    .describe('With agentId: the execution models of its policy; default ["B"]'),
  params: connectParams.optional(),
  scopes: z.array(scope).max(50).optional(),
  label: label.optional(),
  returnUrl: returnUrl.optional(),
  metadata: metadata.optional(),
})

export const labelBody = z.strictObject({ label })

export const revokeBody = z.strictObject({
  localOnly: z
    .boolean()
    .optional()
    .describe(
      'Revoke here only, without asking the provider (its tokens stay valid there until they expire). Needed when the stored tokens no longer decrypt: otherwise such a revoke answers 409.',
    ),
})

/** `/connections/:id/token` and the proxy also take a singleton provider's id for the owner's one connection of it. */
export const connectionRefParams = z.object({
  id: z
    .union([connectionId, providerId])
    .describe("A connection id, or a singleton provider's id: the owner's one connection of it"),
})

/** `POST /connections/telegram`: the shape agents already send for a Telegram bot. */
export const telegramBody = z.strictObject({
  botToken: z.string().min(1).max(4096),
  label: label.optional(),
})

export const credentialsBody = z.strictObject({
  provider: providerId,
  credentials: z.record(z.string().max(64), z.string().max(4096)),
  label: label.optional(),
})

const endpoint = z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }).max(2048)

export const customProviderBody = z.strictObject({
  slug: providerId,
  name: z.string().trim().min(1).max(100),
  authorizationUrl: endpoint,
  tokenUrl: endpoint,
  userInfoUrl: endpoint.optional(),
  revocationUrl: endpoint.optional(),
  apiBaseUrl: endpoint.optional(),
  scopes: z.array(scope).max(50).default([]),
  tokenAuth: z.enum(['client_secret_post', 'client_secret_basic']).default('client_secret_post'),
  clientId: z.string().min(1).max(512),
  clientSecret: z.string().min(1).max(2048),
  /** RFC 9207: an `iss` at the callback naming another server is refused. */
  issuer: endpoint.optional(),
  /** The server always sends `iss` (its metadata's `authorization_response_iss_parameter_supported`). */
  requireIss: z.boolean().default(false),
  /** Tool definitions (see ToolDefinition); their shape is checked by the tool engine, not here. */
  tools: z
    .array(z.custom<ToolDefinition>((value) => typeof value === 'object' && value !== null))
    .max(50)
    .default([]),
})

/** A registration, checked, as the custom-provider store takes it (an absent URL is null). */
export function customProviderInput(body: z.output<typeof customProviderBody>) {
  return {
    ...body,
    userInfoUrl: body.userInfoUrl ?? null,
    revocationUrl: body.revocationUrl ?? null,
    apiBaseUrl: body.apiBaseUrl ?? null,
    issuer: body.issuer ?? null,
    requireIss: body.issuer !== undefined && body.requireIss,
  }
}

/**
 * A remote MCP server an owner registers: its endpoints are discovered (RFC 9728, RFC 8414) under
 * the same URL policy as custom providers, its client registered by the router unless given.
 */
export const customMcpProviderBody = z.strictObject({
  slug: providerId,
  name: z.string().trim().min(1).max(100),
  mcpUrl: endpoint,
  scopes: z.array(scope).max(50).default([]),
  clientId: z.string().min(1).max(512).optional(),
  clientSecret: z.string().min(1).max(2048).optional(),
})

export const slugParams = z.object({ slug: providerId })

export const customProviderResource = z.object({
  slug: z.string(),
  name: z.string(),
  authorizationUrl: z.string(),
  tokenUrl: z.string(),
  userInfoUrl: z.string().nullable(),
  revocationUrl: z.string().nullable(),
  apiBaseUrl: z.string().nullable(),
  scopes: z.array(z.string()),
  tokenAuth: z.enum(['client_secret_post', 'client_secret_basic']),
  clientId: z.string(),
  issuer: z.string().nullable(),
  requireIss: z.boolean(),
  tools: z.array(z.record(z.string(), z.unknown())),
  /** A remote MCP server's URL; its endpoint URLs above are then empty (discovered). */
  mcpUrl: z.string().optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
})

export const reauthBody = z.strictObject({
  scopes: z.array(scope).max(50).optional(),
  returnUrl: returnUrl.optional(),
})

export const auditQuery = z.object({
  connectionId: connectionId.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z
    .string()
    .regex(/^\d{1,15}$/, 'must be a cursor from a previous page')
    .optional(),
})

export const auditVerifyOptions = z.strictObject({
  connectionId: connectionId.optional(),
  anchor: z
    .strictObject({
      seq: z.number().int().positive(),
      mac: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be a head returned by verifyAudit'),
    })
    .optional(),
})

export const listQuery = z.object({
  provider: providerId.optional(),
  status: z.enum(CONNECTION_STATUSES).optional(),
})

export const callbackQuery = z.object({
  code: z.string().max(4096).optional(),
  state: z.string().max(512).optional(),
  error: z.string().max(256).optional(),
  error_description: z.string().max(1024).optional(),
  iss: z.string().max(2048).optional(),
})

const timestamp = z.iso.datetime()

export const connectionResource = z.object({
  id: z.uuid(),
  provider: z.string(),
  providerName: z.string(),
  label: z.string(),
  status: z.enum(CONNECTION_STATUSES),
  statusReason: z.string().nullable(),
  accountId: z.string().nullable(),
  accountEmail: z.string().nullable(),
  grantedScopes: z.array(z.string()),
  singleton: z.boolean(),
  metadata: z.record(z.string(), z.unknown()),
  expiresAt: timestamp.nullable(),
  connectedAt: timestamp,
  lastRefreshedAt: timestamp.nullable(),
  lastUsedAt: timestamp.nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
  params: z
    .record(z.string(), z.string())
    .optional()
    .describe('The connection params it was made with (Shopify’s shop); only for providers that take them'),
  policies: z
    .array(policy)
    .optional()
    .describe('The agents bound to it and their rules (GET /connections and GET /connections/:id)'),
  toolsStatus: z
    .enum(['pending', 'syncing', 'synced', 'failed'])
    .optional()
    .describe('Where its tools stand (GET /connections and GET /connections/:id)'),
  toolsSyncedAt: timestamp.nullable().optional().describe('When its tools were last synced'),
})

export const providerResource = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['oauth2', 'credentials']),
  scopes: z.array(z.string()),
  singleton: z.boolean(),
  params: z
    .array(
      z.object({ name: z.string(), description: z.string(), example: z.string(), required: z.boolean() }),
    )
    .optional()
    .describe('What a connection gives at connect time (?name=value, or params in a start body)'),
  status: z.enum(['active', 'needs_reauth', 'not_connected']).optional(),
  accountEmail: z.string().nullable().optional(),
})

export const startResult = z.object({
  pendingConnectionId: z.uuid(),
  authorizationUrl: z.url(),
  expiresAt: timestamp,
})

export const tokenResource = z.object({
  accessToken: z.string(),
  tokenType: z.string(),
  expiresAt: timestamp.nullable(),
  scopes: z.array(z.string()),
})

/** The answer to `POST /connections/telegram`. */
export const telegramConnected = z.object({
  connection: connectionResource,
  botInfo: z.object({
    id: z.number().int(),
    username: z.string().nullable(),
    firstName: z.string().nullable(),
  }),
  message: z.string(),
})

export const revokeResult = z.object({ connection: connectionResource, auditId: z.uuid() })

export const auditEntryResource = z.object({
  id: z.uuid(),
  action: z.enum(AUDIT_ACTIONS),
  /** Absent on entries about no connection (agents, policies): those are in the owner's trail only. */
  connectionId: z.uuid().optional(),
  provider: z.string().optional(),
  actor: z.string(),
  at: timestamp,
  outcome: z.enum(['success', 'failure']),
  detail: z.string().optional(),
  agentId: z.string().optional(),
  policyId: z.string().optional(),
  rule: z.enum(AUDIT_RULES).optional(),
  approvalId: z.string().optional(),
})

export const errorResource = z.object({
  error: z.object({
    // An enum, so that the client's generated types list the codes it may branch on.
    code: z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]),
    message: z.string(),
    details: z.array(z.unknown()).optional(),
  }),
})

const iterable = (value: unknown) =>
  typeof value === 'object' && value !== null && (Symbol.iterator in value || Symbol.asyncIterator in value)

/** Options of `connections.reencrypt()` (server code, not HTTP: checked all the same). */
export const reencryptOptions = z.object({
  owners: z.custom<Iterable<string> | AsyncIterable<string>>(iterable, {
    error: 'owners must be an array or an (async) iterable of owner ids',
  }),
  onProgress: z
    .custom<(progress: ReencryptProgress) => void>((value) => typeof value === 'function', {
      error: 'onProgress must be a function',
    })
    .optional(),
})
