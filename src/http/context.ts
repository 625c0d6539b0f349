import type { Request } from 'express'
import type passport from 'passport'
import type { z } from 'zod'
import type { Approvals } from '../agents/approvals.js'
import type { Gate } from '../agents/gate.js'
import type { PolicyStore } from '../agents/policies.js'
import type { PolicyAdmin } from '../agents/policy-admin.js'
import type { AgentRegistry } from '../agents/registry.js'
import type { ConnectionAccess } from '../core/access.js'
import type { CustomProviders } from '../core/custom-providers.js'
import { ConnectionsError } from '../core/errors.js'
import type { Connection, PendingFlow } from '../core/model.js'
import type { ProviderRegistry } from '../core/provider-registry.js'
import type { ConnectionService, FlowInput } from '../core/service.js'
import type { Logger } from '../logger.js'
import type { StrategyRegistry } from '../oauth/strategies.js'
import type { RateCounter } from '../storage/rate-counter.js'
import type { ToolRunner } from '../tools/runner.js'
import type { ToolStates } from '../tools/states.js'
import type { ToolValidator } from '../tools/validate.js'
import { agentKeyOf } from './agent-key.js'
import type { DevWarnings } from './dev-warnings.js'
import { invalidRequest } from './errors.js'
import type { MountPath } from './mount-path.js'
import type { RateLimit } from './rate-limit.js'
import { REFUSED } from './refusals.js'
import { connectionParams as connectionIdParams } from './schemas.js'

/** What `authorize` is asked to allow. `token`, `proxy` and `tool` are refused over HTTP unless it says yes (or a policy does, for an agent). */
export type Action =
  | 'list'
  | 'read'
  | 'connect'
  | 'revoke'
  | 'reauth'
  | 'update'
  | 'token'
  | 'proxy'
  | 'tool'
  | 'admin'
  | 'agents'
  | 'policies'
  | 'approvals'

export interface AuthorizeContext {
  req: Request
  owner: string
  action: Action
  connection?: Connection
  /** For `connect` and `reauth`: the provider and the scopes the flow would ask for. */
  provider?: string
  scopes?: readonly string[]
  /** For `connect`: the connection params it gives (Shopify's `shop`), checked against their patterns. */
  params?: Readonly<Record<string, string>>
  /** The agent acting for the owner (`token`, `proxy`: after its policy was found), or absent for a person. */
  agent?: { id: string; name: string } | null
}

export type GetOwner = (req: Request) => string | null | undefined | Promise<string | null | undefined>
/** Names who acted in the audit trail (a user, an agent, an API key). */
export type GetActor = (req: Request, owner: string) => string | Promise<string>
/** For hosts with their own agent identity: the agent acting on this request, or null for a person. */
export type GetAgent = (
  req: Request,
) =>
  | { id: string; name: string }
  | null
  | undefined
  | Promise<{ id: string; name: string } | null | undefined>
export type Authorize = (context: AuthorizeContext) => boolean | Promise<boolean>
/** An allow-list of origins, or a predicate: only `true` (or a promise of `true`) allows a URL. */
export type ReturnUrlPolicy = readonly string[] | ((url: URL, req: Request) => boolean | Promise<boolean>)

/** Everything the HTTP handlers share; built once per router. */
export interface HttpContext {
  service: ConnectionService
  /** Finding a connection and using it (token, call): what every route that acts with one goes through. */
  access: ConnectionAccess
  providers: ProviderRegistry
  customProviders: CustomProviders
  passport: passport.Authenticator
  strategies: StrategyRegistry
  logger: Logger
  warnings: DevWarnings
  getOwner: GetOwner
  getActor: GetActor
  authorize: Authorize
  baseUrl: string | null
  /** The `mountPath` option: where the router is mounted, as registered at the providers. */
  mountPath: MountPath | null
  returnUrls: ReturnUrlPolicy | null
  allowLinkCompletionWithoutSession: boolean
  rateLimit: RateLimit | null
  providerTimeoutMs: number
  proxyBodyLimit: number
  /** A flow being started on this request (read by the state store when passport asks to save it). */
  starting: WeakMap<Request, FlowInput>
  /** The flow saved for this request, so the start endpoint can answer with its id. */
  opened: WeakMap<Request, PendingFlow>
  /** The flow taken at this request's callback, so the handler can finish or report on it. */
  taken: WeakMap<Request, PendingFlow>
  /** The agent layer: the built-in registry (null when the host gives getAgent), approvals, rate counts. */
  agents: {
    registry: AgentRegistry | null
    getAgent: GetAgent | null
    approvals: Approvals
    policies: PolicyStore
    /** The owner's policy operations (checks, audit, events) over `policies`. */
    policyAdmin: PolicyAdmin
    rates: RateCounter
    /** Decides an agent's token and proxy calls by its policy (approvals and rate limits included). */
    gate: Gate
    /** Each connection's tools (state, sync) and their runs. */
    tools: { states: ToolStates; runner: ToolRunner; validator: ToolValidator }
  }
}

export function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value)
  if (!result.success) throw invalidRequest(result.error)
  return result.data
}

/** `compute` asked once per request, however many steps (rate limit, gate, route) need its answer. */
export function oncePerRequest<T>(
  compute: (ctx: HttpContext, req: Request) => Promise<T>,
): (ctx: HttpContext, req: Request) => Promise<T> {
  const answers = new WeakMap<Request, Promise<T>>()
  return (ctx, req) => {
    let answer = answers.get(req)
    if (!answer) {
      answer = compute(ctx, req)
      answers.set(req, answer)
    }
    return answer
  }
}

/** The owner of each request, asked of `getOwner` once. */
export const resolveOwner = oncePerRequest(ownerOf)

async function ownerOf(ctx: HttpContext, req: Request): Promise<string | undefined> {
  // An agent key names its owner itself (http/caller.ts): a route that asks getOwner is not one an
  // agent may use, and must not fall back to a session the request may also carry.
  if (ctx.agents.registry && agentKeyOf(req) !== undefined) {
    throw new ConnectionsError('forbidden', 'An agent key cannot be used on this endpoint.')
  }
  const owner = await ctx.getOwner(req)
  if (owner === null || owner === undefined || owner === '') return undefined
  if (typeof owner !== 'string' && typeof owner !== 'number') {
    throw new ConnectionsError('internal_error', 'getOwner must return a string.')
  }
  return String(owner)
}

export async function requireOwner(ctx: HttpContext, req: Request): Promise<string> {
  const owner = await resolveOwner(ctx, req)
  if (owner === undefined) {
    ctx.warnings.noOwner(req)
    throw new ConnectionsError('unauthenticated', 'Sign in to manage connections.')
  }
  return owner
}

export async function requireAllowed(ctx: HttpContext, context: AuthorizeContext): Promise<void> {
  if (!(await ctx.authorize(context))) {
    throw new ConnectionsError('forbidden', REFUSED[context.action])
  }
}

/** The public URL of the app (the `baseUrl` option, or what the request says) with no trailing slash. */
export function publicBase(ctx: HttpContext, req: Request): string {
  // baseUrl was checked and trimmed when the router was created.
  if (ctx.baseUrl) return ctx.baseUrl
  const base = `${req.protocol}://${req.get('host') ?? 'localhost'}`
  // Without baseUrl the Host header makes the URL: one that does not parse is the caller's error.
  if (!URL.canParse(base)) throw new ConnectionsError('invalid_request', 'Invalid request: the Host header.')
  return base.replace(/\/+$/, '')
}

/** The redirect URI of a flow: the public URL, the mount path (see mountPathFor) and the provider. */
export function callbackUrl(ctx: HttpContext, req: Request, mount: string, providerId: string): string {
  return `${publicBase(ctx, req)}${mount}/callback/${providerId}`
}

export async function actorOf(ctx: HttpContext, req: Request, owner: string): Promise<string> {
  return String(await ctx.getActor(req, owner))
}

/**
 * The connection a `/connections/:id/…` request names (or `named`, already resolved from it), once the
 * caller is known, the connection is theirs (else 404) and `authorize` allowed `action` on it.
 */
export async function allowedConnection(
  ctx: HttpContext,
  req: Request,
  action: Action,
  named?: { owner: string; id: string },
) {
  const owner = named?.owner ?? (await requireOwner(ctx, req))
  const { id } = named ?? parse(connectionIdParams, req.params)
  const record = await ctx.access.getRecord(owner, id)
  // Built when read: vending a token to a policy that does not look at it need not build it.
  let view: Connection | undefined
  const found = {
    owner,
    id,
    record,
    get connection(): Connection {
      view ??= ctx.providers.toPublic(record)
      return view
    },
    actor: () => actorOf(ctx, req, owner),
  }
  await requireAllowed(ctx, {
    req,
    owner,
    action,
    get connection() {
      return found.connection
    },
  })
  return found
}
