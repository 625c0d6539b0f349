import type { Request, Response, Router } from 'express'
import { ConnectionsError } from '../core/errors.js'
import { refuseForeignCaller } from '../core/flow-caller.js'
import { runStrategy } from '../oauth/authenticate.js'
import { TokenError } from '../oauth/errors.js'
import { fetchProviderJson } from '../oauth/profile.js'
import type { FlowHooks } from '../oauth/state-store.js'
import { type OAuthResult, stringParams } from '../oauth/strategies.js'
import { CodeRefusedError } from '../oauth/token-client.js'
import { bindConnectionParams, sameParams } from '../providers/connection-params.js'
import type { ConnectionDetails, OAuth2Provider } from '../providers/types.js'
import { actorOf, callbackUrl, type HttpContext, parse, requireOwner, resolveOwner } from './context.js'
import { refuseCrossSite } from './cross-site.js'
import { logFailure, publicMessage, sendError, toConnectionsError } from './errors.js'
import { beginFlow, grantIn, isFromBrowser, type StartedFlow } from './flow-start.js'
import { handle } from './handle.js'
import { policyAdminOf } from './policy-routes.js'
import { rateLimited } from './rate-limit.js'
import { withParams } from './return-url.js'
import {
  callbackQuery,
  connectionParams,
  connectQuery,
  providerParams,
  reauthBody,
  startBody,
} from './schemas.js'
import type { RouterSession } from './session.js'

/** connect (browser redirect), start and reauth (JSON link) and the OAuth callback. */
export function mountFlowRoutes(router: Router, ctx: HttpContext, routerSession: RouterSession): void {
  const session = routerSession.middleware
  router.get(
    '/connect/:provider',
    rateLimited(ctx, 'connect'),
    session,
    handle(async (req, res) => {
      refuseHead(req)
      refuseCrossSite(req)
      const owner = await requireOwner(ctx, req)
      const { provider } = parse(providerParams, req.params)
      const query = parse(connectQuery, req.query)
      const request = {
        provider,
        grant: grantIn(query),
        scopes: query.scopes,
        label: query.label,
        returnUrl: query.return_url,
        returnUrlField: 'return_url',
        // The provider's connection params by name (`?shop=acme`); reserved names cannot be params.
        params: req.query as Record<string, unknown>,
        paramsIn: 'query' as const,
      }
      const { url } = await beginFlow(ctx, req, owner, request, { session: routerSession })
      res.set('cache-control', 'no-store').redirect(302, url)
    }),
  )

  router.post(
    '/connections/start',
    rateLimited(ctx, 'connect'),
    session,
    handle(async (req, res) => {
      const owner = await requireOwner(ctx, req)
      const { agentId, allowedModels, ...body } = parse(startBody, req.body)
      const grant = grantIn({ agentId, allowedModels })
      const request = { ...body, grant, returnUrlField: 'returnUrl', paramsIn: 'body' as const }
      const started = await beginFlow(ctx, req, owner, request, {
        session: isFromBrowser(req) ? routerSession : null,
      })
      sendPending(res, started)
    }),
  )

  router.post(
    '/connections/:id/reauth',
    rateLimited(ctx, 'connect'),
    session,
    handle(async (req, res) => {
      const owner = await requireOwner(ctx, req)
      const { id } = parse(connectionParams, req.params)
      const body = parse(reauthBody, req.body ?? {})
      const request = { reauthOf: id, ...body, returnUrlField: 'returnUrl' }
      const started = await beginFlow(ctx, req, owner, request, {
        session: isFromBrowser(req) ? routerSession : null,
      })
      sendPending(res, started)
    }),
  )

  router.get(
    '/callback/:provider',
    rateLimited(ctx, 'callback'),
    session,
    handle(async (req, res) => {
      refuseHead(req)
      const { provider: providerId } = parse(providerParams, req.params)
      const query = parse(callbackQuery, req.query)
      if (!query.state)
        throw new ConnectionsError('invalid_request', 'Invalid request: the state is missing.')
      const pending = await ctx.service.peekFlow(query.state)
      // Its strategy calls the URLs of the flow's connection params; a flow changed in the store since
      // it was opened is refused when it is taken, before the code is exchanged.
      const provider = bindConnectionParams(
        await callbackProvider(ctx, providerId, pending?.owner),
        pending?.params,
      )
      strategyParams.set(req, pending?.params)
      if (query.error) {
        const refused = await flowHooks(ctx).take(req, query.state)
        if ('refused' in refused) throw refused.refused
        const description = query.error_description || 'The authorization was not granted.'
        return finish(ctx, req, res, new ConnectionsError('provider_error', description), query.error)
      }
      // Without a code passport-oauth2 would start a new authorization instead of completing one.
      if (!query.code) throw new ConnectionsError('invalid_request', 'Invalid request: the code is missing.')
      const refusal = provider.checkCallback?.(stringParams(req.query), provider)
      if (refusal) {
        // Refused before the state is spent or the code exchanged: nothing reaches the token endpoint.
        throw new ConnectionsError('invalid_request', `Invalid request: ${refusal}.`)
      }
      const outcome = await runStrategy(
        ctx.passport,
        ctx.strategies.nameFor(provider),
        req,
        // The redirect URI the authorization request carried; a flow without one predates it.
        { callbackURL: pending?.redirectUri ?? callbackUrl(ctx, req, req.baseUrl, provider.id) },
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
      const result = outcome.user as OAuthResult
      try {
        const details = await providerDetails(provider, result, ctx.providerTimeoutMs)
        const account = { ...provider.profile(result.userInfo, result.tokens), ...details.account }
        const actor = await actorOf(ctx, req, flow.owner)
        const connection = await ctx.service.completeFlow(flow, result.tokens, account, actor, details)
        if (flow.grant) await policyAdminOf(ctx).bindGrant(flow.owner, connection.id, flow.grant, actor)
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

/** The connection params the callback's strategy was bound to, by request. */
const strategyParams = new WeakMap<Request, Record<string, string> | undefined>()

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
      const provider = bindConnectionParams(
        ctx.providers.oauth(taken.flow.provider, taken.flow.owner),
        taken.flow.params,
      )
      const refused = refuseForeignCaller(taken.flow, {
        provider: String(req.params.provider),
        sessionId: req.sessionID ?? null,
        owner: await resolveOwner(ctx, req),
      })
      if (refused) return { refused }
      // The strategy was chosen from the flow as first read; one swapped in the store meanwhile would
      // have its code exchanged at another connection's URLs.
      if (!sameParams(taken.flow.params, strategyParams.get(req))) {
        return {
          refused: new ConnectionsError('invalid_request', 'The authorization state changed. Start again.'),
        }
      }
      const iss = typeof req.query.iss === 'string' ? req.query.iss : undefined
      // RFC 9207 §2.4: an iss must name the provider's issuer, and must be there where it always is.
      const missing = iss === undefined && provider.requireIss
      const foreign = iss !== undefined && provider.issuer !== null && iss !== provider.issuer
      if (missing || foreign) {
        return {
          refused: new ConnectionsError('forbidden', 'The authorization response came from another issuer.'),
        }
      }
      ctx.taken.set(req, taken.flow)
      return { verifier: taken.verifier }
    },
  }
}

/**
 * The provider a callback is for. A custom provider belongs to one owner, and the callback URL only
 * names its slug: the flow behind the state says whose it is (it is not consumed here).
 */
async function callbackProvider(
  ctx: HttpContext,
  providerId: string,
  owner: string | undefined,
): Promise<OAuth2Provider> {
  if (ctx.providers.isBuiltIn(providerId)) {
    // An MCP server's endpoints: the flow may have started on another instance.
    await ctx.providers.ensure(undefined, [providerId])
    return ctx.providers.oauth(providerId)
  }
  await ctx.providers.ensure(owner, [providerId])
  try {
    return ctx.providers.oauth(providerId, owner)
  } catch (error) {
    // Whoever holds a state need not be its flow's owner: the 404 lists none of that owner's
    // providers (looked up without an owner, a slug that is not built in throws it with the router's).
    if (error instanceof ConnectionsError && error.code === 'not_found') ctx.providers.oauth(providerId)
    throw error
  }
}

function sendPending(res: Response, { url, flow }: StartedFlow): void {
  res
    .status(201)
    .set('cache-control', 'no-store')
    .json({ data: { pendingConnectionId: flow.id, authorizationUrl: url, expiresAt: flow.expiresAt } })
}

function providerFailure(provider: OAuth2Provider, error: unknown): ConnectionsError {
  // passport-oauth2 wraps what the code exchange threw in an InternalOAuthError.
  const cause = (error as { oauthError?: unknown } | null)?.oauthError ?? error
  if (cause instanceof ConnectionsError) return cause
  const code =
    cause instanceof CodeRefusedError
      ? `: ${cause.providerCode}`
      : cause instanceof TokenError
        ? `: ${cause.code}`
        : ''
  return new ConnectionsError('provider_error', `${provider.name} refused the authorization${code}.`, {
    cause: error,
  })
}

/** The provider-specific step after the exchange (a tenant lookup, the instance URL, …). */
async function providerDetails(
  provider: OAuth2Provider,
  result: OAuthResult,
  timeoutMs: number,
): Promise<ConnectionDetails> {
  if (!provider.details) return {}
  const accessToken = String(result.tokens.access_token)
  const details = await provider.details({
    tokens: result.tokens,
    userInfo: result.userInfo,
    callbackParams: result.callbackParams,
    apiBaseUrl: provider.apiBaseUrl,
    params: provider.boundParams ?? {},
    fetchJson: (url, init = {}) =>
      fetchProviderJson(provider, accessToken, checkedUrl(provider, url, 'lookup'), init, timeoutMs),
  })
  if (details.apiBaseUrl) checkedUrl(provider, details.apiBaseUrl, 'API base')
  return details
}

/**
 * A URL a provider hands over (an API base, a lookup) receives the user's token: https, or the
 * origin of one of the provider's configured URLs (which were checked when it was defined).
 */
function checkedUrl(provider: OAuth2Provider, value: string, what: string): string {
  const url = URL.canParse(value) ? new URL(value) : null
  const configured = [provider.authorizationUrl, provider.tokenUrl, provider.userInfoUrl, provider.apiBaseUrl]
    .filter((u): u is string => Boolean(u))
    .map((u) => new URL(u).origin)
  if (!url || (url.protocol !== 'https:' && !configured.includes(url.origin))) {
    throw new ConnectionsError('provider_error', `${provider.name} sent an ${what} URL that is not https.`)
  }
  return value
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

/**
 * Express answers HEAD with the GET route: on /connect and /callback that would open or spend a flow
 * for a request whose answer nobody reads.
 */
function refuseHead(req: Request): void {
  if (req.method === 'HEAD') throw new ConnectionsError('invalid_request', 'Invalid request: use GET.')
}
