import { promisify } from 'node:util'
import type { Request } from 'express'
import { ConnectionsError } from '../core/errors.js'
import type { FlowGrant, PendingFlow } from '../core/model.js'
import type { FlowInput } from '../core/service.js'
import { runStrategy } from '../oauth/authenticate.js'
import { bindConnectionParams, resolveConnectionParams } from '../providers/connection-params.js'
import type { OAuth2Provider } from '../providers/types.js'
import { resolveCaller } from './caller.js'
import { callbackUrl, type HttpContext, requireAllowed } from './context.js'
import { toConnectionsError } from './errors.js'
import { mountPathFor } from './mount-path.js'
import { policyAdminOf } from './policy-routes.js'
import { checkReturnUrl } from './return-url.js'
import type { RouterSession } from './session.js'

const SESSION_MARK = 'express-connections'

export interface FlowRequest {
  /** The provider of a new connection; ignored for a re-authorization. */
  provider?: string | undefined
  /** Re-authorize this connection: same id, label and metadata, new tokens. */
  reauthOf?: string | undefined
  scopes?: string[] | undefined
  label?: string | undefined
  returnUrl?: string | undefined
  /** How the request named the return URL, for error details. */
  returnUrlField: string
  metadata?: Record<string, unknown> | undefined
  /** The provider's connection params (`?shop=acme`, `params` in a start body), checked here. */
  params?: Record<string, unknown> | undefined
  /**
   * Where they came from: the connect query (its other keys are not params: only the provider's own
   * names are read) or a start body's `params` (where an unknown name is refused).
   */
  paramsIn?: 'query' | 'body'
  /** Bind this agent to the new connection when the flow completes (owners only; not on reauth). */
  grant?: { agentId: string; allowedModels?: Array<'A' | 'B'> | undefined } | undefined
}

export interface StartedFlow {
  url: string
  flow: PendingFlow
}

/**
 * Checks what is asked for, saves the flow and returns the provider's authorization URL. `session`
 * binds the flow to the browser that asks; without it (server code, an agent) the flow belongs to
 * the owner and completes only for them (see refuseForeignCaller).
 */
export async function beginFlow(
  ctx: HttpContext,
  req: Request,
  owner: string,
  request: FlowRequest,
  via: { session: RouterSession | null; fromServerCode?: boolean },
): Promise<StartedFlow> {
  // Server code is trusted as the owner's own; `authorize` is for what arrives over HTTP.
  const allow = via.fromServerCode ? async () => undefined : requireAllowed
  let input: Omit<FlowInput, 'returnUrl' | 'sessionId' | 'allowSessionless' | 'redirectUri'>
  if (request.reauthOf) {
    input = await ctx.service.reauthInput(owner, request.reauthOf, request.scopes)
    const connection = await ctx.service.get(owner, request.reauthOf)
    checkScopes(ctx.providers.oauth(input.provider, owner), input.scopes)
    await allow(ctx, {
      req,
      owner,
      action: 'reauth',
      connection,
      provider: input.provider,
      scopes: input.scopes,
    })
  } else {
    await ctx.providers.ensure(owner, [request.provider ?? ''])
    const provider = ctx.providers.oauth(request.provider ?? '', owner)
    const scopes = request.scopes ?? provider.scopes
    checkScopes(provider, scopes)
    const params = resolveConnectionParams(
      provider,
      request.paramsIn === 'query' ? declaredOnly(provider, request.params) : request.params,
      request.paramsIn === 'query' ? [] : ['params'],
    )
    const given = Object.keys(params).length > 0 ? { params } : {}
    await allow(ctx, { req, owner, action: 'connect', provider: provider.id, scopes, ...given })
    const grant = request.grant && (await grantOf(ctx, req, owner, request.grant, via.fromServerCode))
    input = {
      owner,
      provider: provider.id,
      scopes,
      label: request.label ?? null,
      metadata: request.metadata ?? {},
      reauthConnectionId: null,
      ...given,
      ...(grant ? { grant } : {}),
    }
  }
  const returnUrl = request.returnUrl
    ? await checkReturnUrl(ctx, req, request.returnUrl, request.returnUrlField)
    : null
  const mount = await mountPathFor(ctx.mountPath, owner, via.fromServerCode ? null : req)
  const sessionId = via.session ? await bindSession(via.session, req, mount) : null
  return startFlow(ctx, req, {
    ...input,
    returnUrl,
    sessionId,
    allowSessionless: sessionId === null && ctx.allowLinkCompletionWithoutSession,
    redirectUri: callbackUrl(ctx, req, mount, input.provider),
  })
}

/**
 * A flow started from server code, with no request to learn the public URL from: the callback URL is
 * `baseUrl` + the `mountPath` option (the router cannot know where it is mounted).
 */
export function serverRequest(ctx: HttpContext): Request {
  if (!ctx.baseUrl || ctx.mountPath === null) {
    throw new ConnectionsError(
      'internal_error',
      "Starting a flow from server code needs the baseUrl option (the app's public URL) and the " +
        "mountPath option (where the router is mounted, e.g. '/integrations').",
    )
  }
  const request = {
    baseUrl: '',
    query: {},
    body: {},
    params: {},
    headers: {},
    get: () => undefined,
  }
  return request as unknown as Request
}

async function startFlow(ctx: HttpContext, request: Request, input: FlowInput): Promise<StartedFlow> {
  // passport-oauth2 reads `code` and `error` in the query as a callback: a start never has them.
  const req = Object.create(request, { query: { value: {} } }) as Request
  ctx.starting.set(req, input)
  // Filled with the connection's values before anything is sent: a value that leaves the
  // provider's host shape is refused here.
  const provider = bindConnectionParams(ctx.providers.oauth(input.provider, input.owner), input.params)
  const outcome = await runStrategy(
    ctx.passport,
    ctx.strategies.nameFor(provider),
    req,
    // No scopes means no scope parameter at all: passport-oauth2 would send an empty `scope=`.
    {
      ...(input.scopes.length > 0 ? { scope: input.scopes } : {}),
      callbackURL: input.redirectUri,
    },
    ctx.providerTimeoutMs,
  )
  const flow = ctx.opened.get(req)
  if (outcome.kind === 'redirect' && flow) return { url: outcome.url, flow }
  throw outcome.kind === 'error' ? toConnectionsError(outcome.error) : new Error('The flow could not start.')
}

/**
 * Marks the browser's session so it is saved (and its cookie set, scoped to the path the callback
 * will arrive at) before the redirect: the callback must find it. Returns the session id the flow is
 * bound to.
 */
async function bindSession(routerSession: RouterSession, req: Request, mount: string): Promise<string> {
  const session = req.session
  if (!session) {
    throw new ConnectionsError(
      'internal_error',
      'session: false needs the host to mount express-session before the connections router.',
    )
  }
  if (routerSession.owns(req)) session.cookie.path = mount || '/'
  ;(session as unknown as Record<string, unknown>)[SESSION_MARK] = { boundAt: new Date().toISOString() }
  await promisify(session.save.bind(session))()
  return req.sessionID
}

/**
 * Browsers send Origin on a POST and Sec-Fetch-Site on every request; server code asking for a link
 * does not (Node's fetch sends Sec-Fetch-Mode, not these). A miss only makes the link stricter.
 */
export function isFromBrowser(req: Request): boolean {
  return Boolean(req.get('sec-fetch-site') || req.get('origin'))
}

/** `agentId` and `allowedModels` of a start or connect: the models alone name no agent. */
export function grantIn(given: {
  agentId?: string | undefined
  allowedModels?: Array<'A' | 'B'> | undefined
}): FlowRequest['grant'] {
  if (given.agentId !== undefined) return { agentId: given.agentId, allowedModels: given.allowedModels }
  if (given.allowedModels !== undefined) {
    throw new ConnectionsError('invalid_request', 'Invalid request: allowedModels needs an agentId.', {
      details: [{ path: ['agentId'], message: 'the agent the models are granted to' }],
    })
  }
  return undefined
}

/** The agent a flow will bind: named by an owner (an agent cannot grant itself a connection), and theirs. */
async function grantOf(
  ctx: HttpContext,
  req: Request,
  owner: string,
  grant: NonNullable<FlowRequest['grant']>,
  fromServerCode: boolean | undefined,
): Promise<FlowGrant> {
  if (!fromServerCode && (await resolveCaller(ctx, req))?.agent) {
    throw new ConnectionsError('forbidden', 'Agents cannot manage agents, policies, tools or approvals.')
  }
  return policyAdminOf(ctx).grantFor(owner, grant.agentId, grant.allowedModels ?? ['B'])
}

function declaredOnly(provider: OAuth2Provider, query: Record<string, unknown> | undefined) {
  return Object.fromEntries(
    Object.entries(query ?? {}).filter(([name]) => Object.hasOwn(provider.connectionParams, name)),
  )
}

/** A provider with `allowedScopes` is asked for those only, whatever the caller names. */
function checkScopes(provider: OAuth2Provider, scopes: readonly string[]): void {
  if (!provider.allowedScopes) return
  const refused = scopes.filter((scope) => !provider.allowedScopes?.includes(scope))
  if (refused.length > 0) {
    throw new ConnectionsError(
      'invalid_request',
      `Invalid request: ${provider.name} does not allow the scope "${refused[0]}".`,
      {
        details: [
          {
            path: ['scopes'],
            code: 'scope_not_allowed',
            message: `allowed: ${provider.allowedScopes.join(' ')}`,
          },
        ],
      },
    )
  }
}
