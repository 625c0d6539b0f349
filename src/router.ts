import express, { type Router } from 'express'
import { assertValidTools, buildToolLayer } from './agent-layer.js'
import { Approvals } from './agents/approvals.js'
import { Gate } from './agents/gate.js'
import { expiryReporter, gateReporter } from './agents/gate-report.js'
import { PolicyStore } from './agents/policies.js'
import { PolicyAdmin } from './agents/policy-admin.js'
import { AgentRegistry } from './agents/registry.js'
import { type ConnectionsApi, createConnectionsApi } from './api.js'
import { ConnectionAccess } from './core/access.js'
import { CustomProviders } from './core/custom-providers.js'
import type { ConnectionsEvent } from './core/events.js'
import { KeyRotation } from './core/key-rotation.js'
import { OpenedSecrets } from './core/opened-secrets.js'
import { ProviderRegistry } from './core/provider-registry.js'
import { Recorder } from './core/recorder.js'
import { RefreshBackoff } from './core/refresh-backoff.js'
import { createPinnedFetch, policyCheckedFetch } from './core/resolve-guard.js'
import { SecretBox } from './core/sealed.js'
import { ConnectionService } from './core/service.js'
import { isHttpsOrLoopback, publicHttpsOnly } from './core/url-policy.js'
import { Keyring } from './crypto/keyring.js'
import { mountAgentRoutes } from './http/agent-routes.js'
import { mountApprovalRoutes } from './http/approval-routes.js'
import { verifyAgentKeys } from './http/caller.js'
import { mountConnectionRoutes } from './http/connection-routes.js'
import { type HttpContext, publicBase } from './http/context.js'
import { refuseCrossSiteWrites } from './http/cross-site.js'
import { mountCustomProviderRoutes } from './http/custom-provider-routes.js'
import { DevWarnings } from './http/dev-warnings.js'
import { errorHandler } from './http/errors.js'
import { flowHooks, mountFlowRoutes } from './http/flow-routes.js'
import { mountMcpClientRoute } from './http/mcp-client-route.js'
import { mountMcpRoute } from './http/mcp-route.js'
import { buildOpenApi } from './http/openapi.js'
import { mountPolicyRoutes } from './http/policy-routes.js'
import { mountProxyRoute } from './http/proxy-route.js'
import { createRouterSession } from './http/session.js'
import { tokenRoute } from './http/token-route.js'
import { mountToolRoutes } from './http/tool-routes.js'
import { mountUiRoute, type UiScript } from './http/ui-route.js'
import { InProcessLock } from './locks/lock.js'
import { consoleLogger, type Logger } from './logger.js'
import { McpAuthorizer, mcpClientUrls } from './mcp/authorization.js'
import { KeyvStateStore } from './oauth/state-store.js'
import { createPassport, StrategyRegistry } from './oauth/strategies.js'
import { createTokenEndpoint } from './oauth/token-client.js'
import {
  type ConnectionsRouterOptions,
  defaultAuthorize,
  defaultGetOwner,
  validateOptions,
} from './options.js'
import { reservedProviderIds } from './providers/index.js'
import type { OAuth2Provider } from './providers/types.js'
import { AuditLog } from './storage/audit-log.js'
import { CustomProviderStore } from './storage/custom-providers.js'
import { McpClientStore } from './storage/mcp-clients.js'
import { createRateCounter } from './storage/rate-counter.js'
import { Repository } from './storage/repository.js'
import { SafeStore } from './storage/safe-store.js'
import { checkToolDefinitions } from './tools/definition-check.js'
import { ToolSettingsSeal } from './tools/settings-seal.js'
import { VERSION } from './version.js'

const DAY_MS = 24 * 60 * 60 * 1000

/** The Express router, plus the same operations for server code (no HTTP round-trip). */
export type ConnectionsRouter = Router & {
  connections: ConnectionsApi
  /** With `ui: true`: the served elements script's hashed path and integrity; otherwise null. */
  ui: UiScript | null
}

/**
 * Mounts every connection endpoint (see the README's endpoint table) on a router of its own.
 *
 * @example
 * app.use('/integrations', createConnectionsRouter({
 *   store: new Keyv(),
 *   providers: [providers.oauth2({ id: 'acme', authorizationUrl, tokenUrl, clientId, clientSecret })],
 *   encryptionKey: process.env.CONNECTIONS_KEY!,
 * }))
 */
export function createConnectionsRouter(options: ConnectionsRouterOptions): ConnectionsRouter {
  const o = validateOptions(options)
  const keyring = new Keyring(Array.isArray(o.encryptionKey) ? o.encryptionKey : [o.encryptionKey], {
    openUnbound: o.acceptUnboundSecrets ?? false,
  })
  const logger = o.logger ?? consoleLogger
  if (process.env.NODE_ENV === 'production') requireSafeBaseUrl(o.baseUrl)
  const store = new SafeStore(o.store, o.storeTimeoutMs ?? 5000, o.storeMaxTtlMs)
  assertValidTools(o.providers)
  const builtIns = new Map(o.providers.map((p) => [p.id, p]))
  const lock = o.lock ?? new InProcessLock()
  const customProviders = new CustomProviderStore(store, lock, keyring)
  const repository = new Repository(store, lock)
  const providerTimeoutMs = o.providerTimeoutMs ?? 15_000
  const tokenEndpoint = createTokenEndpoint(providerTimeoutMs)
  const audit = new AuditLog(
    store,
    lock,
    // Whole milliseconds: Redis refuses a fractional TTL.
    Math.round((o.auditRetentionDays ?? 90) * DAY_MS),
    keyring.deriveAll('audit-trail'),
  )
  const baseUrl = o.baseUrl?.replace(/\/+$/, '') ?? null
  const mcp = new McpAuthorizer({
    clients: new McpClientStore(store, lock, keyring),
    timeoutMs: providerTimeoutMs,
    ...mcpClientUrls(baseUrl, o.mountPath),
  })
  requireStableCallbacks(o.providers, mcp)
  // The default policy checks names; the pinned fetch checks what they resolve to, at each
  // connection, and connects to exactly that.
  const customFetch = o.customProviderUrls ? null : createPinnedFetch()
  const providers = new ProviderRegistry(builtIns, customProviders, {
    customFetch,
    remote: mcp,
    customMcp: {
      fetch: policyCheckedFetch(
        o.customProviderUrls ?? publicHttpsOnly,
        customFetch ?? ((url, init) => fetch(url, init)),
      ),
      allowInsecureHttp: o.customProviderUrls !== undefined,
    },
  })
  const now = () => new Date()
  // The agent layer hears connection events too (a new connection's tools are synced).
  const wing: Array<(event: ConnectionsEvent) => void> = []
  const recorder = new Recorder(audit, eventEmitter(o.onEvent, logger, wing), logger, now)
  const access = new ConnectionAccess({
    repository,
    providers,
    box: new SecretBox(keyring, openedSecrets(o.openedSecretsTtlMs)),
    tokenEndpoint,
    recorder,
    refreshSkewMs: o.refreshSkewMs ?? 60_000,
    refreshBackoff: new RefreshBackoff(store),
    providerTimeoutMs,
    tokenAuditIntervalMs: o.tokenAuditIntervalMs ?? 60_000,
    now,
  })
  const service = new ConnectionService({
    repository,
    audit,
    keyring,
    providers,
    access,
    recorder,
    tokenEndpoint,
    providerTimeoutMs,
    now,
  })
  // MCP servers get their strategies once their endpoints are discovered (StrategyRegistry).
  const oauthProviders = o.providers.filter((p): p is OAuth2Provider => p.kind === 'oauth2' && !p.mcp)
  const getOwner = o.getOwner ?? defaultGetOwner
  const warnings = new DevWarnings(logger, {
    baseUrl,
    mountPath: typeof o.mountPath === 'string' ? o.mountPath : null,
    defaultGetOwner: !o.getOwner,
  })
  const agentParts = (): HttpContext['agents'] => {
    const report = gateReporter(recorder)
    const approvals = new Approvals(store, lock, o.approvalTtlMs, expiryReporter(report))
    const policies = new PolicyStore(store, lock, now)
    const rates = createRateCounter(o.rateLimitStore, { sharedLock: o.lock !== undefined, logger })
    const registry = o.getAgent ? null : new AgentRegistry(store, lock, keyring.deriveAll('agent-key'))
    const gate = new Gate({ policies, approvals, rates, report, now })
    const { onEvent, ...tools } = buildToolLayer({
      store,
      lock,
      keyring,
      access,
      providers,
      gate,
      logger,
      now,
    })
    wing.push(onEvent)
    return {
      registry,
      getAgent: o.getAgent ?? null,
      approvals,
      policies,
      rates,
      policyAdmin: new PolicyAdmin({ policies, access, providers, registry, recorder, now }),
      gate,
      tools,
    }
  }
  const ctx: HttpContext = {
    service,
    access,
    providers,
    customProviders: new CustomProviders({
      store: customProviders,
      repository,
      isBuiltIn: (id) => builtIns.has(id),
      reservedSlugs: reservedProviderIds(),
      customProviderUrls: o.customProviderUrls ?? publicHttpsOnly,
      checkTools: checkToolDefinitions,
      registersMcpClients: mcp.registersFor('any'),
    }),
    passport: undefined as unknown as HttpContext['passport'],
    strategies: undefined as unknown as HttpContext['strategies'],
    logger,
    warnings,
    getOwner,
    getActor: o.getActor ?? ((_req, owner) => owner),
    authorize: o.authorize ?? defaultAuthorize,
    baseUrl,
    mountPath: o.mountPath ?? null,
    returnUrls: o.returnUrls ?? null,
    allowLinkCompletionWithoutSession: o.allowLinkCompletionWithoutSession ?? false,
    rateLimit: o.rateLimit ?? null,
    providerTimeoutMs,
    proxyBodyLimit: o.proxyBodyLimit ?? 1024 * 1024,
    starting: new WeakMap(),
    opened: new WeakMap(),
    taken: new WeakMap(),
    agents: agentParts(),
  }
  const stateStore = new KeyvStateStore(flowHooks(ctx))
  ctx.passport = createPassport(oauthProviders, stateStore, tokenEndpoint, providerTimeoutMs)
  ctx.strategies = new StrategyRegistry(ctx.passport, stateStore, tokenEndpoint, providerTimeoutMs)

  const session = createRouterSession(store, keyring.deriveAll('session-cookie'), o.session ?? {})
  // mergeParams: a parent's route parameters (`/orgs/:orgId`) reach getOwner, authorize and mountPath.
  const router = express.Router({ mergeParams: true }) as ConnectionsRouter
  const token = tokenRoute(ctx)
  router.use((req, res, next) => {
    warnings.reachedAt(req.baseUrl)
    // Callback URLs carry a code and a state, connect redirects a state: no page may pass them on.
    res.set('referrer-policy', 'no-referrer')
    try {
      publicBase(ctx, req) // a Host header that makes no URL is refused before any work
    } catch (error) {
      next(error)
      return
    }
    if (!token.fast(req, res, next)) next()
  })
  router.use(verifyAgentKeys(ctx))
  router.use(refuseCrossSiteWrites(ctx))
  if (o.mcp) {
    const settings = o.mcp === true ? {} : o.mcp
    mountMcpRoute(router, ctx, {
      bodyLimit: settings.bodyLimit ?? '64kb',
      ...(settings.approvalUrl ? { approvalUrl: settings.approvalUrl } : {}),
    })
  }
  // Before the JSON parser: the proxy forwards bodies as they came.
  mountProxyRoute(router, ctx)
  const json = express.json({ limit: o.bodyLimit ?? '16kb', strict: true })
  // Reads carry no body: they skip the parser's content-type checks (token vending is the hot path).
  router.use((req, res, next) =>
    req.method === 'GET' || req.method === 'HEAD' ? next() : json(req, res, next),
  )
  mountConnectionRoutes(router, ctx, token)
  mountFlowRoutes(router, ctx, session)
  mountCustomProviderRoutes(router, ctx)
  mountMcpClientRoute(router, ctx, mcp)
  if (ctx.agents.registry) mountAgentRoutes(router, ctx, ctx.agents.registry)
  mountPolicyRoutes(router, ctx)
  mountApprovalRoutes(router, ctx)
  mountToolRoutes(router, ctx)
  const openapi = buildOpenApi(VERSION)
  router.get('/openapi.json', (_req, res) => {
    res.json(openapi)
  })
  router.ui = mountUiRoute(router, o.ui)
  router.use((_req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: 'No such endpoint.' } })
  })
  router.use(errorHandler(logger))
  router.connections = createConnectionsApi(
    ctx,
    new KeyRotation({
      repository,
      customProviders,
      box: new SecretBox(keyring),
      keyId: keyring.currentKeyId,
      toolSettings: new ToolSettingsSeal(store, lock, keyring),
    }),
    audit,
  )
  return router
}

function eventEmitter(
  onEvent: ConnectionsRouterOptions['onEvent'],
  logger: Logger,
  wing: ReadonlyArray<(event: ConnectionsEvent) => void>,
) {
  return (event: ConnectionsEvent) => {
    for (const listener of wing) listener(event)
    if (!onEvent) return
    Promise.resolve()
      .then(() => onEvent(event))
      .catch((error: unknown) => {
        logger.warn('express-connections: onEvent failed', { type: event.type, error: errorName(error) })
      })
  }
}

function openedSecrets(ttlMs = 60_000): OpenedSecrets | undefined {
  return ttlMs > 0 ? new OpenedSecrets(ttlMs) : undefined
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error
}

/** An MCP provider without a client registers its callback URL: that URL must not change per request. */
function requireStableCallbacks(list: ConnectionsRouterOptions['providers'], mcp: McpAuthorizer): void {
  for (const provider of list) {
    if (provider.kind !== 'oauth2' || !provider.mcp || provider.mcp.configuredClient) continue
    if (mcp.registersFor(provider.id)) continue
    throw new Error(
      `createConnectionsRouter: the MCP provider "${provider.id}" has no clientId, so the router registers one with its callback URL: set baseUrl and a string mountPath.`,
    )
  }
}

/**
 * In production the callback URLs and the allowed return origin must not come from a Host header a
 * client chose, and the callback, which carries the code, must be https.
 */
function requireSafeBaseUrl(baseUrl: string | undefined): void {
  if (!baseUrl) {
    throw new Error(
      "createConnectionsRouter: set baseUrl to the app's public https URL in production (NODE_ENV=production): " +
        "without it, callback URLs and the allowed return origin would come from each request's Host header.",
    )
  }
  if (!isHttpsOrLoopback(new URL(baseUrl))) {
    throw new Error(
      'createConnectionsRouter: baseUrl must be https in production (NODE_ENV=production): the callback carries the authorization code.',
    )
  }
}
