import { promisify } from 'node:util'
import type { Request, Response, Router } from 'express'
import { ConnectionsError } from '../core/errors.js'
import { refuseForeignCaller } from '../core/flow-caller.js'
import type { FlowInput } from '../core/service.js'
import { runStrategy } from '../oauth/authenticate.js'
import { TokenError } from '../oauth/errors.js'
import type { FlowHooks } from '../oauth/state-store.js'
import type { OAuthResult } from '../oauth/strategies.js'
import type { OAuth2Provider } from '../providers/types.js'
import {
  callbackUrl,
  type HttpContext,
  parse,
  requireAllowed,
  requireOwner,
  resolveOwner,
} from './context.js'
import { logFailure, publicMessage, sendError, toConnectionsError } from './errors.js'
import { handle } from './handle.js'
import { checkReturnUrl, withParams } from './return-url.js'
import { callbackQuery, connectQuery, providerParams, startBody } from './schemas.js'
import type { RouterSession } from './session.js'

const SESSION_MARK = 'express-connections'

/** connect (browser redirect), start (JSON link) and the OAuth callback. */
export function mountFlowRoutes(router: Router, ctx: HttpContext, routerSession: RouterSession): void {
  const session = routerSession.middleware
  router.get(
    '/connect/:provider',
    session,
    handle(async (req, res) => {
      refuseCrossSite(req)
      await requireOwner(ctx, req)
      const { provider } = parse(providerParams, req.params)
      const query = parse(connectQuery, req.query)
      const { url } = await beginFlow(ctx, routerSession, req, {
        provider,
        scopes: query.scopes,
        label: query.label,
        returnUrl: query.return_url,
        returnUrlField: 'return_url',
        fromBrowser: true,
      })
      res.set('cache-control', 'no-store').redirect(302, url)
    }),
  )

  router.post(
    '/connections/start',
    session,
    handle(async (req, res) => {
      await requireOwner(ctx, req)
      const body = parse(startBody, req.body)
      const { url, flow } = await beginFlow(ctx, routerSession, req, {
        ...body,
        returnUrlField: 'returnUrl',
        fromBrowser: isFromBrowser(req),
      })
      res
        .status(201)
        .set('cache-control', 'no-store')
        .json({ data: { pendingConnectionId: flow.id, authorizationUrl: url, expiresAt: flow.expiresAt } })
    }),
  )

  router.get(
    '/callback/:provider',
    session,
    handle(async (req, res) => {
      const { provider: providerId } = parse(providerParams, req.params)
      const query = parse(callbackQuery, req.query)
      const provider = ctx.service.oauthProvider(providerId)
      if (!query.state)
        throw new ConnectionsError('invalid_request', 'Invalid request: the state is missing.')
      if (query.error) {
        const refused = await flowHooks(ctx).take(req, query.state)
        if ('refused' in refused) throw refused.refused
        const description = query.error_description ?? 'The authorization was not granted.'
        return finish(ctx, req, res, new ConnectionsError('provider_error', description), query.error)
      }
      // Without a code passport-oauth2 would start a new authorization instead of completing one.
      if (!query.code) throw new ConnectionsError('invalid_request', 'Invalid request: the code is missing.')
      const outcome = await runStrategy(
        ctx.passport,
        provider.id,
        req,
        { callbackURL: callbackUrl(ctx, req, provider.id) },
        ctx.providerTimeoutMs,
      )
      if (outcome.kind === 'fail') {
        if (outcome.challenge instanceof ConnectionsError) throw outcome.challenge
        throw new ConnectionsError('invalid_request', 'Invalid request: the callback was refused.')
      }
      if (outcome.kind === 'error') return finish(ctx, req, res, providerFailure(provider, outcome.error))
      if (outcome.kind !== 'success') throw new ConnectionsError('internal_error', 'Unexpected redirect.')
      const flow = ctx.taken.get(req)
      if (!flow) throw new ConnectionsError('internal_error', 'The flow was lost during the callback.')
      const { tokens, userInfo } = outcome.user as OAuthResult
      try {
        const connection = await ctx.service.completeFlow(flow, tokens, provider.profile(userInfo, tokens))
        res.set('cache-control', 'no-store')
        if (flow.returnUrl)
          return res.redirect(302, withParams(flow.returnUrl, { connection_id: connection.id }))
        res.json({ data: connection })
      } catch (error) {
        finish(ctx, req, res, toConnectionsError(error))
      }
    }),
  )
}

/** passport-oauth2's state store hooks: open saves a flow, take consumes it and checks the caller. */
export function flowHooks(ctx: HttpContext): FlowHooks {
  return {
    async open(req, state, verifier) {
      const input = ctx.starting.get(req)
      if (!input) throw new Error('A flow was started outside of the connect endpoints.')
      ctx.opened.set(req, await ctx.service.openFlow(state, input, verifier))
    },
    async take(req, state) {
      const taken = await ctx.service.takeFlow(state)
      if (!taken) {
        const message = 'The authorization state is unknown, expired or already used. Start again.'
        return { refused: new ConnectionsError('invalid_request', message) }
      }
      const provider = ctx.service.oauthProvider(taken.flow.provider)
      const refused = refuseForeignCaller(taken.flow, {
        provider: String(req.params.provider),
        sessionId: req.sessionID ?? null,
        owner: await resolveOwner(ctx, req),
      })
      if (refused) return { refused }
      const iss = typeof req.query.iss === 'string' ? req.query.iss : undefined
      // RFC 9207 §2.4: where the provider is known to send iss, it must be there and name that provider.
      if (provider.issuer && iss !== provider.issuer) {
        return {
          refused: new ConnectionsError('forbidden', 'The authorization response came from another issuer.'),
        }
      }
      ctx.taken.set(req, taken.flow)
      return { verifier: taken.verifier }
    },
  }
}

interface FlowRequest {
  provider: string
  scopes?: string[] | undefined
  label?: string | undefined
  returnUrl?: string | undefined
  /** How the request named the return URL, for error details. */
  returnUrlField: string
  metadata?: Record<string, unknown> | undefined
  /** A browser's flow is bound to its session; server code's link to the owner (see refuseForeignCaller). */
  fromBrowser: boolean
}

/** Checks who asks and for what, then saves the flow and returns the provider's authorization URL. */
async function beginFlow(ctx: HttpContext, routerSession: RouterSession, req: Request, request: FlowRequest) {
  const owner = await requireOwner(ctx, req)
  const provider = ctx.service.oauthProvider(request.provider)
  await requireAllowed(ctx, { req, owner, action: 'connect' })
  const returnUrl = request.returnUrl
    ? checkReturnUrl(ctx, req, request.returnUrl, request.returnUrlField)
    : null
  const sessionId = request.fromBrowser ? await bindSession(routerSession, req) : null
  return startFlow(ctx, req, provider, {
    owner,
    provider: provider.id,
    scopes: request.scopes ?? provider.scopes,
    label: request.label ?? null,
    returnUrl,
    metadata: request.metadata ?? {},
    sessionId,
    allowSessionless: sessionId === null && ctx.allowLinkCompletionWithoutSession,
    reauthConnectionId: null,
  })
}

async function startFlow(ctx: HttpContext, req: Request, provider: OAuth2Provider, input: FlowInput) {
  ctx.starting.set(req, input)
  const outcome = await runStrategy(
    ctx.passport,
    provider.id,
    req,
    { scope: input.scopes, callbackURL: callbackUrl(ctx, req, provider.id) },
    ctx.providerTimeoutMs,
  )
  const flow = ctx.opened.get(req)
  if (outcome.kind === 'redirect' && flow) return { url: outcome.url, flow }
  throw outcome.kind === 'error' ? toConnectionsError(outcome.error) : new Error('The flow could not start.')
}

/**
 * Marks the browser's session so it is saved (and its cookie set, scoped to the mount path) before the
 * redirect: the callback must find it. Returns the session id the flow is bound to.
 */
async function bindSession(routerSession: RouterSession, req: Request): Promise<string> {
  const session = req.session
  if (!session) {
    throw new ConnectionsError(
      'internal_error',
      'session: false needs the host to mount express-session before the connections router.',
    )
  }
  if (routerSession.owns(req)) session.cookie.path = req.baseUrl || '/'
  ;(session as unknown as Record<string, unknown>)[SESSION_MARK] = { boundAt: new Date().toISOString() }
  await promisify(session.save.bind(session))()
  return req.sessionID
}

/**
 * A page on another site must not start flows in the user's name (consent phishing, or silently adding
 * connections where the provider auto-approves). Browsers say where a navigation came from; a missing
 * header (older browsers, a typed URL) is allowed.
 */
function refuseCrossSite(req: Request): void {
  if (req.get('sec-fetch-site') === 'cross-site') {
    throw new ConnectionsError('forbidden', 'A connection cannot be started from another site.')
  }
}

/**
 * Browsers send Origin on a POST and Sec-Fetch-Site on every request; server code asking for a link
 * does not (Node's fetch sends Sec-Fetch-Mode, not these). A miss only makes the link stricter.
 */
function isFromBrowser(req: Request): boolean {
  return Boolean(req.get('sec-fetch-site') || req.get('origin'))
}

function providerFailure(provider: OAuth2Provider, error: unknown): ConnectionsError {
  if (error instanceof ConnectionsError) return error
  const code = error instanceof TokenError ? `: ${error.code}` : ''
  return new ConnectionsError('provider_error', `${provider.name} refused the authorization${code}.`, {
    cause: error,
  })
}

/** After the flow is known, failures go back to its return URL (when it has one) rather than as JSON. */
function finish(
  ctx: HttpContext,
  req: Request,
  res: Response,
  error: ConnectionsError,
  providerCode?: string,
): void {
  const flow = ctx.taken.get(req)
  if (error.code === 'provider_error') {
    ctx.logger.warn('express-connections: provider refused', { provider: flow?.provider, code: providerCode })
  } else if (error.status >= 500) logFailure(ctx.logger, error)
  if (!flow?.returnUrl) {
    sendError(res, error)
    return
  }
  const params = { error: providerCode ?? error.code, error_description: publicMessage(error) }
  res.set('cache-control', 'no-store').redirect(302, withParams(flow.returnUrl, params))
}
