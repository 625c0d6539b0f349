import type { Request } from 'express'
import { z } from 'zod'
import type { CustomProviderUrlPolicy } from './core/custom-providers.js'
import type { ApprovalView, EventHandler } from './core/events.js'
import type { Authorize, GetActor, GetAgent, GetOwner, ReturnUrlPolicy } from './http/context.js'
import { MOUNT_PATH, type MountPath } from './http/mount-path.js'
import type { RateLimit } from './http/rate-limit.js'
import type { RouterSessionOptions } from './http/session.js'
import type { UiOption } from './http/ui-route.js'
import type { Lock } from './locks/lock.js'
import type { Logger } from './logger.js'
import { formatIssues } from './providers/define.js'
import type { Provider } from './providers/types.js'
import { isKeyvLike, type KeyvLike } from './storage/keyv-like.js'
import type { RateLimitStore } from './storage/rate-counter.js'

/** The page of the host app where a person decides this approval (an absolute http(s) URL). */
export type ApprovalUrl = (approval: ApprovalView) => string

/** Options of {@link createConnectionsRouter}. Only `store`, `providers` and `encryptionKey` are required. */
export interface ConnectionsRouterOptions {
  /** Any Keyv instance (memory, SQLite, Redis, Postgres, custom). Give the router its own: it turns on `throwOnErrors`. */
  store: KeyvLike
  providers: Provider[]
  /**
   * 32 bytes as base64 or hex, or a 32-byte Buffer or Uint8Array. An array rotates keys: the first
   * encrypts, all decrypt.
   */
  encryptionKey: EncryptionKey | EncryptionKey[]
  /**
   * Opens secrets sealed before 0.1.0 bound them to their record (`v1` blobs). Default `false`: such
   * a blob carries no binding, so one written back from an old dump would open on a changed record.
   * Set it only to migrate: run `connections.reencrypt()`, then remove it.
   */
  acceptUnboundSecrets?: boolean
  /** Who owns the connections of this request. Default: `req.user?.id`. No owner → 401. */
  getOwner?: GetOwner
  /**
   * For hosts with their own agent identity: the agent acting on a request (`{ id, name }`), or null.
   * Given, the built-in registry is off (`/agents` answers 404) and `Bearer ak_…` keys mean nothing.
   */
  getAgent?: GetAgent
  /**
   * Where policies' rate limits are counted: `{ redis: client }` (a connected node-redis client),
   * `{ postgres: pool }` (a `pg.Pool`), or `'memory'` (default; exact for one instance only).
   */
  rateLimitStore?: RateLimitStore
  /** How long an approval waits for the owner's decision and then for the agent's retry. Default 15 minutes. */
  approvalTtlMs?: number
  /**
   * Serve `POST /mcp`, the MCP endpoint for agents (streamable HTTP, stateless): `true`, or
   * `{ bodyLimit }` (bytes or `'64kb'`, the default). Off by default: a new endpoint is the host's
   * choice, and it needs the optional peer `@modelcontextprotocol/sdk` (without it `/mcp` answers 501).
   * `approvalUrl`: the page of your app where a person decides an approval; a call that waits for one
   * names it (`structuredContent.approvalUrl`), so the agent can show it to its user.
   */
  mcp?: boolean | { bodyLimit?: number | string; approvalUrl?: ApprovalUrl }
  /** Who acted, for the audit trail (a user id, an agent or API key name). Default: the owner. */
  getActor?: GetActor
  /** Extra policy per action. Default: allow, except `token` and `proxy`. */
  authorize?: Authorize
  /** Public URL of the app (origin, plus any path prefix a proxy strips); the mount path is appended. */
  baseUrl?: string
  /**
   * Where the router is mounted, as registered at the providers (e.g. `/integrations`): callback URLs
   * are `baseUrl` + this + `/callback/<id>`. For a mount with route parameters, a function of the
   * owner (and of the request, null from server code): `({ owner }) => \`/orgs/${owner}/integrations\``.
   * Without it each request's own path is used for the flows it starts, and server code
   * (`connections.start`, `.reauth`) cannot start flows.
   */
  mountPath?: MountPath
  /**
   * Origins a return URL may point to, or a predicate (may be async; only `true` allows, and one that
   * throws refuses the URL with a 400). Default: the app's own origin only.
   */
  returnUrls?: ReturnUrlPolicy
  /** The router's own session (options), or `false` to use the host's express-session. */
  session?: RouterSessionOptions | false
  /**
   * Lets a link from `POST /connections/start` made server-side (no browser session) be completed by a
   * browser in which `getOwner` identifies nobody. Risky: whoever opens the link connects their
   * account to the owner who asked for it. Default `false`.
   */
  allowLinkCompletionWithoutSession?: boolean
  /**
   * Asked before each connect (`/connect`, `/connections/start`, `/reauth`), callback and credentials
   * request: return `false` to answer 429 `rate_limited` before anything is stored. Default: no limit.
   */
  rateLimit?: RateLimit
  /** Mutual exclusion for index updates; an in-process lock by default. Several instances need a shared one. */
  lock?: Lock
  /** Called after each change of a connection. Errors it throws are logged, never surfaced. */
  onEvent?: EventHandler
  logger?: Logger
  /** Largest JSON body accepted. Default `'16kb'`. */
  bodyLimit?: string | number
  /** Store calls slower than this fail with 503. Default 5000. */
  storeTimeoutMs?: number
  /**
   * The longest TTL the store's adapter can hold. Longer ones (the audit retention) are stored
   * without an adapter TTL, the expiry kept in the value and checked on read. Default: 30 days for
   * @keyv/memcache (memcached reads a longer one as a date in 1970), else no limit.
   */
  storeMaxTtlMs?: number
  /** Calls to providers slower than this fail with 502. Default 15000. */
  providerTimeoutMs?: number
  /** Refresh a token when it expires within this long (at most half its lifetime). Default 60000. */
  refreshSkewMs?: number
  /** Largest request body the proxy forwards, in bytes. Default 1 MiB. */
  proxyBodyLimit?: number
  /** How long audit entries are kept. Default 90 days. */
  auditRetentionDays?: number
  /**
   * Token hand-outs of one connection to one actor within this long share one audit entry, written
   * before the first of them. Default 60000 (a minute); 0 writes an entry for every hand-out, at the
   * cost of four store writes each.
   */
  tokenAuditIntervalMs?: number
  /**
   * How long a connection's secrets, once opened for a token hand-out or a proxied call, are kept
   * opened in this process, so that the next hand-outs of the same record skip the decryption.
   * Default 60000 (a minute); 0 opens them on every use. At most 1,000 connections are kept; an entry
   * is zeroed when it expires or is evicted, and a refresh, reconnect or key rotation makes a new one.
   */
  openedSecretsTtlMs?: number
  /**
   * Which URLs custom providers registered at runtime may use: the server calls their token and
   * profile endpoints with secrets, so this is an SSRF boundary. Default: https, and no loopback,
   * private-network or link-local address or `localhost`/`.local`/`.internal` name. May be async;
   * only `true` allows, and one that throws refuses the URL (400).
   */
  customProviderUrls?: CustomProviderUrlPolicy
  /**
   * Serve the web components as one ESM file at `/ui.js` (and a content-hashed `/ui.<hash>.js`,
   * cached as immutable); `router.ui` then has the hashed path and the `integrity` value. Default off.
   */
  ui?: UiOption
}

const fn = <T>(name: string) =>
  z.custom<T>((value) => typeof value === 'function', { error: `${name} must be a function` })

/** 32 bytes as base64 or hex, or as a Buffer or Uint8Array. */
export type EncryptionKey = string | Uint8Array

const MOUNT_PATH_RULE =
  'mountPath must be a path like /integrations (no trailing slash) or a function of the owner'

const encryptionKey = z.union([z.string(), z.instanceof(Uint8Array)])

const providerShape = z.custom<Provider>(
  (value) => typeof value === 'object' && value !== null && 'kind' in value && 'id' in value,
  { error: 'must be created with providers.oauth2() or a preset' },
)

const optionsSchema = z.object({
  store: z.custom<KeyvLike>(isKeyvLike, {
    error: 'store must be a Keyv instance (or an object with get, set and delete)',
  }),
  providers: z
    .array(providerShape, { error: 'providers must be an array' })
    .min(1, 'providers must list at least one provider')
    .superRefine((list, ctx) => {
      const ids = list.map((p) => p.id)
      const repeated = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))]
      if (repeated.length === 0) return
      const named = repeated.map((id) => `"${id}"`).join(', ')
      ctx.addIssue({
        code: 'custom',
        message: `providers must have unique ids: ${named} ${repeated.length > 1 ? 'are' : 'is'} given more than once (pass another id to one of them)`,
      })
    }),
  encryptionKey: z.union([encryptionKey, z.array(encryptionKey).min(1)], {
    error:
      'encryptionKey is required: 32 bytes as base64 or hex, or a 32-byte Buffer (or an array of them to rotate)',
  }),
  acceptUnboundSecrets: z.boolean().optional(),
  getOwner: fn<GetOwner>('getOwner').optional(),
  getActor: fn<GetActor>('getActor').optional(),
  getAgent: fn<GetAgent>('getAgent').optional(),
  approvalTtlMs: z.number().int().positive().optional(),
  mcp: z
    .union(
      [
        z.boolean(),
        z.strictObject({
          bodyLimit: z.union([z.number().int().positive(), z.string()]).optional(),
          approvalUrl: fn<ApprovalUrl>('approvalUrl').optional(),
        }),
      ],
      {
        error: 'mcp must be true, false or { bodyLimit, approvalUrl }',
      },
    )
    .optional(),
  rateLimitStore: z
    .union(
      [
        z.literal('memory'),
        z.strictObject({ redis: z.custom<object>((v) => typeof v === 'object' && v !== null) }),
        z.strictObject({ postgres: z.custom<object>((v) => typeof v === 'object' && v !== null) }),
      ],
      { error: "rateLimitStore must be 'memory', { redis: client } or { postgres: pool }" },
    )
    .optional(),
  authorize: fn<Authorize>('authorize').optional(),
  rateLimit: fn<RateLimit>('rateLimit').optional(),
  baseUrl: z.url({ protocol: /^https?$/, error: 'baseUrl must be an absolute http(s) URL' }).optional(),
  mountPath: z
    .union([z.string().regex(MOUNT_PATH, MOUNT_PATH_RULE), fn<Exclude<MountPath, string>>('mountPath')], {
      error: MOUNT_PATH_RULE,
    })
    .optional(),
  returnUrls: z
    .union(
      [
        z.array(z.url({ protocol: /^https?$/ })),
        fn<Exclude<ReturnUrlPolicy, readonly string[]>>('returnUrls'),
      ],
      {
        error: 'returnUrls must be a list of http(s) origins or a function',
      },
    )
    .optional(),
  session: z
    .union([
      z.literal(false),
      z.strictObject({
        name: z.string().min(1).optional(),
        maxAgeMs: z.number().int().positive().optional(),
      }),
    ])
    .optional(),
  allowLinkCompletionWithoutSession: z.boolean().optional(),
  lock: z
    .custom<Lock>((value) => typeof (value as Lock | null)?.withLock === 'function', {
      error: 'lock must have a withLock(key, fn) method',
    })
    .optional(),
  onEvent: fn<EventHandler>('onEvent').optional(),
  logger: z
    .custom<Logger>(
      (v) => typeof (v as Logger | null)?.warn === 'function' && typeof (v as Logger).error === 'function',
      {
        error: 'logger must have warn and error methods',
      },
    )
    .optional(),
  bodyLimit: z.union([z.string().min(1), z.number().int().positive()]).optional(),
  storeTimeoutMs: z.number().int().positive().optional(),
  storeMaxTtlMs: z.number().int().positive().optional(),
  providerTimeoutMs: z.number().int().positive().optional(),
  refreshSkewMs: z.number().int().nonnegative().optional(),
  proxyBodyLimit: z.number().int().positive().optional(),
  auditRetentionDays: z.number().positive().optional(),
  tokenAuditIntervalMs: z.number().int().nonnegative().optional(),
  openedSecretsTtlMs: z.number().int().nonnegative().optional(),
  customProviderUrls: fn<CustomProviderUrlPolicy>('customProviderUrls').optional(),
  ui: z
    .union([z.boolean(), z.strictObject({ file: z.string().min(1) })], {
      error: 'ui must be true, false or { file: path to ui.js }',
    })
    .optional(),
})

export function validateOptions(options: ConnectionsRouterOptions): ConnectionsRouterOptions {
  const result = optionsSchema.safeParse(options ?? {})
  if (!result.success) throw new TypeError(`createConnectionsRouter: ${formatIssues(result.error)}`)
  return result.data as ConnectionsRouterOptions
}

export function defaultGetOwner(req: Request): string | undefined {
  const user = (req as Request & { user?: { id?: unknown } }).user
  const id = user?.id
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined
}

/**
 * Raw tokens, calls made as the user, and provider administration need the host's explicit yes. An
 * agent's token, proxy call or tool run has its policy as that yes (it reaches `authorize` only once
 * one binds it to the connection). A person's tool run is a call made as the user: refused by default.
 */
export function defaultAuthorize({ action, agent }: { action: string; agent?: unknown }): boolean {
  if (agent && (action === 'token' || action === 'proxy' || action === 'tool')) return true
  return action !== 'token' && action !== 'proxy' && action !== 'tool' && action !== 'admin'
}
