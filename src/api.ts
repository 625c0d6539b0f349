import type { Approval, ApprovalStatus } from './agents/model.js'
import type { PolicyInput, PolicyRulesInput } from './agents/policies.js'
import type { PolicyAdmin } from './agents/policy-admin.js'
import type { AuditAnchor, AuditPage, AuditVerification } from './core/audit.js'
import type { CustomProviderView } from './core/custom-providers.js'
import { notFound } from './core/errors.js'
import type { KeyRotation, ReencryptOptions, ReencryptReport } from './core/key-rotation.js'
import type { Connection, ProviderView } from './core/model.js'
import type { ProxyRequest } from './core/proxy.js'
import type { RevokeOptions } from './core/revoke.js'
import type { ListFilter, RevokeResult } from './core/service.js'
import type { AccessToken } from './core/tokens.js'
import { approvalListQuery, approvalParams } from './http/agent-schemas.js'
import { type HttpContext, parse } from './http/context.js'
import { customRegistration } from './http/custom-provider-routes.js'
import { beginFlow, grantIn, serverRequest } from './http/flow-start.js'
import { policyAdminOf } from './http/policy-routes.js'
import { policyBody, policyQuery, policyRulesBody, providerConstraintsBody } from './http/policy-schemas.js'
import { auditQuery, auditVerifyOptions, reencryptOptions, revokeBody } from './http/schemas.js'
import { withToolsStatus } from './http/tool-routes.js'
import type { Policy, ProviderConstraints } from './policy/model.js'
import type { ToolDefinition } from './providers/tool-definition.js'
import type { AuditLog } from './storage/audit-log.js'
import type { ToolsSummary } from './tools/sync-status.js'
import { type ToolsApi, toolsApi } from './tools-api.js'

/** Who acted, for the audit trail. Default for calls from server code: `server`. */
export interface ActorOption {
  actor?: string
}

export interface PendingConnection {
  pendingConnectionId: string
  /** Send the user here (e.g. in a chat message). It completes only for the same owner. */
  authorizationUrl: string
  expiresAt: string
}

/** What registering a custom OAuth provider takes (see the README's "Custom providers"). */
export interface CustomProviderRegistration {
  slug: string
  name: string
  authorizationUrl: string
  tokenUrl: string
  userInfoUrl?: string
  revocationUrl?: string
  apiBaseUrl?: string
  scopes?: string[]
  tokenAuth?: 'client_secret_post' | 'client_secret_basic'
  clientId: string
  clientSecret: string
  /** The server's issuer (RFC 9207): an `iss` at the callback naming another server is refused. */
  issuer?: string
  /** With `issuer`: a callback without `iss` is refused too (the server always sends it). */
  requireIss?: boolean
  /** Tools its connections offer, as data (see ToolDefinition); checked when registered. */
  tools?: ToolDefinition[]
}

/** A remote MCP server an owner registers (see the README's "MCP servers"). */
export interface CustomMcpServerRegistration {
  slug: string
  name: string
  /** The server's MCP endpoint (streamable HTTP). */
  mcpUrl: string
  scopes?: string[]
  /** A client registered by hand; without one the router registers itself (RFC 7591). */
  clientId?: string
  clientSecret?: string
}

export interface StartOptions {
  provider: string
  scopes?: string[]
  label?: string
  returnUrl?: string
  metadata?: Record<string, unknown>
  /** The provider's connection params, e.g. `{ shop: 'acme' }` for Shopify (checked against its patterns). */
  params?: Record<string, string>
  /** Bind this agent to the new connection when the flow completes: a policy with the defaults. */
  agentId?: string
  /** With `agentId`: the execution models of its policy; default `['B']`. */
  allowedModels?: Array<'A' | 'B'>
}

/**
 * The owner's agent policies (AGENTS.md, "Policies"). Inputs are validated as over HTTP
 * (`invalid_request`); another owner's policy, connection or agent is `not_found`; a second policy
 * for one agent and connection, or one on a revoked connection, is a `conflict`.
 *
 * @example
 * await router.connections.policies.create('user-42', {
 *   connectionId, agentId, defaultMode: 'read_write', stepUpApproval: 'never',
 *   providerConstraints: { telegram: { chatIds: [42] } },
 * })
 */
export interface PoliciesApi {
  list(owner: string, filter?: { connectionId?: string; agentId?: string }): Promise<Policy[]>
  get(owner: string, id: string): Promise<Policy>
  create(owner: string, input: PolicyInput): Promise<Policy>
  /** Replaces the rules whole: a rule left out takes its default. */
  update(owner: string, id: string, rules: PolicyRulesInput): Promise<Policy>
  replaceConstraints(owner: string, id: string, constraints: ProviderConstraints): Promise<Policy>
  remove(owner: string, id: string): Promise<void>
}

/**
 * The router's operations for server code and agents, by owner, without HTTP. Every method throws
 * {@link ConnectionsError} (`not_found` for another owner's id, `conflict` for a revoked connection,
 * `provider_error`, `store_unavailable`, …).
 *
 * @example
 * const router = createConnectionsRouter(options)
 * const { accessToken } = await router.connections.getAccessToken('user-42', 'github')
 * const me = await router.connections.fetch('user-42', 'github', '/user').then((r) => r.json())
 */
export interface ConnectionsApi {
  /** The owner's connections, each with its tools' `toolsStatus` and `toolsSyncedAt`, as `GET /connections`. */
  list(owner: string, filter?: ListFilter): Promise<Array<Connection & ToolsSummary>>
  get(owner: string, id: string): Promise<Connection & ToolsSummary>
  providers(owner?: string): Promise<ProviderView[]>
  updateLabel(owner: string, id: string, label: string, options?: ActorOption): Promise<Connection>
  /**
   * A valid access token (refreshed first when it expires within a minute), by connection id or
   * provider id. When that early refresh fails for a passing reason, the current token is returned
   * with `refreshError` set; an expired one throws `provider_error` (with `retryAfterSeconds`).
   */
  getAccessToken(owner: string, idOrProvider: string, options?: ActorOption): Promise<AccessToken>
  /**
   * Calls the provider's API (`apiBaseUrl` + `path`) with the connection's credential; a 401 is
   * retried once after a refresh. Resolves with the provider's response, body unread.
   */
  fetch(
    owner: string,
    idOrProvider: string,
    path: string,
    init?: ProxyRequest & ActorOption,
  ): Promise<Response>
  /**
   * Destroys the secrets, then revokes at the provider (best-effort); the row stays as `revoked`.
   * Refused (409 `conflict`) when the stored secrets no longer decrypt and the provider could revoke
   * them, unless `localOnly: true` (see {@link RevokeOptions}).
   */
  revoke(owner: string, id: string, options?: ActorOption & RevokeOptions): Promise<RevokeResult>
  /** A link that connects a new account for `owner` (needs the `baseUrl` option). */
  start(owner: string, options: StartOptions): Promise<PendingConnection>
  /** A link that re-authorizes a connection: same id, label and metadata, new tokens. */
  reauth(
    owner: string,
    id: string,
    options?: { scopes?: string[]; returnUrl?: string },
  ): Promise<PendingConnection>
  /** OAuth providers of the owner's own (an org's SSO, say), registered at runtime; secrets never come back. */
  customProviders: {
    register(
      owner: string,
      provider: CustomProviderRegistration | CustomMcpServerRegistration,
    ): Promise<CustomProviderView>
    list(owner: string): Promise<CustomProviderView[]>
    /** Refused (409) while the provider has connections that are not revoked. */
    remove(owner: string, slug: string): Promise<void>
  }
  /** The owner's audit trail, newest first, or one connection's with `connectionId`. */
  audit(
    owner: string,
    options?: { connectionId?: string; limit?: number; cursor?: string },
  ): Promise<AuditPage>
  /**
   * Recomputes the MAC chain of the owner's audit trail (or one connection's with `connectionId`),
   * newest to oldest: entries edited, deleted while older ones remain, or moved are reported by seq.
   * Entries that expired at the old end are not a problem. It reads every entry of the stream.
   * Keep the result's `head` outside the store and pass it back as `anchor`: then removing the newest
   * entries together with the counter is reported as well.
   */
  verifyAudit(
    owner: string,
    options?: { connectionId?: string; anchor?: AuditAnchor },
  ): Promise<AuditVerification>
  /**
   * The key-rotation sweep: seals every stored secret of `owners` again with the current (first) key,
   * reporting progress after each owner. Run it after putting a new key first in `encryptionKey`.
   */
  reencrypt(options: ReencryptOptions): Promise<ReencryptReport>
  policies: PoliciesApi
  /** Step-up approvals the owner's agents asked for (see AGENTS.md, "Approvals"). */
  approvals: {
    /** The owner's approvals; those past `expiresAt` are marked `expired` as they are listed. */
    list(owner: string, options?: { status?: ApprovalStatus }): Promise<Approval[]>
    /** Approves a pending approval: the agent's retry with `x-approval-id` then runs once. 409 once not pending. */
    approve(owner: string, id: string, options?: ActorOption): Promise<Approval>
    deny(owner: string, id: string, options?: ActorOption): Promise<Approval>
  }
  /** A connection's tools: list, set up, sync and run them as the owner (AGENTS.md, "Tools"). */
  tools: ToolsApi
}

const SERVER = 'server'

export function createConnectionsApi(
  ctx: HttpContext,
  keyRotation: KeyRotation,
  auditLog: AuditLog,
): ConnectionsApi {
  const { service, access } = ctx
  const pending = async (
    owner: string,
    request: Parameters<typeof beginFlow>[3],
  ): Promise<PendingConnection> => {
    const { url, flow } = await beginFlow(ctx, serverRequest(ctx), owner, request, {
      session: null,
      fromServerCode: true,
    })
    return { pendingConnectionId: flow.id, authorizationUrl: url, expiresAt: flow.expiresAt }
  }
  return {
    list: async (owner, filter) => withToolsStatus(ctx, owner, await service.list(owner, filter)),
    get: async (owner, id) => {
      const [connection] = await withToolsStatus(ctx, owner, [await service.get(owner, id)])
      if (!connection) throw notFound('Connection')
      return connection
    },
    providers: (owner) => service.catalog(owner),
    updateLabel: (owner, id, label, options) =>
      service.updateLabel(owner, id, label, options?.actor ?? SERVER),
    getAccessToken: (owner, idOrProvider, options) =>
      access.getAccessToken(owner, idOrProvider, { actor: options?.actor ?? SERVER, action: 'token' }),
    fetch: async (owner, idOrProvider, path, init = {}) => {
      const { actor, ...request } = init
      const record = await access.resolve(owner, idOrProvider)
      return access.call(record, path, request, { actor: actor ?? SERVER, action: 'proxy' })
    },
    revoke: (owner, id, options = {}) => {
      const { actor, ...revokeOptions } = options
      return service.revoke(owner, id, actor ?? SERVER, parse(revokeBody, revokeOptions))
    },
    start: async (owner, { agentId, allowedModels, ...options }) =>
      pending(owner, {
        ...options,
        grant: grantIn({ agentId, allowedModels }),
        returnUrlField: 'returnUrl',
        paramsIn: 'body' as const,
      }),
    reauth: (owner, id, options = {}) =>
      pending(owner, { ...options, reauthOf: id, returnUrlField: 'returnUrl' }),
    customProviders: {
      register: async (owner, provider) => ctx.customProviders.register(owner, customRegistration(provider)),
      list: (owner) => ctx.customProviders.list(owner),
      remove: (owner, slug) => ctx.customProviders.remove(owner, slug),
    },
    audit: async (owner, options = {}) => service.auditTrail(owner, parse(auditQuery, options)),
    verifyAudit: async (owner, options = {}) => {
      const input = parse(auditVerifyOptions, options)
      // Another owner's connection is not found, as for `audit`.
      if (input.connectionId) await access.getRecord(owner, input.connectionId)
      return auditLog.verify(owner, input)
    },
    reencrypt: async (options) => keyRotation.reencrypt(parse(reencryptOptions, options)),
    approvals: {
      list: async (owner, options = {}) =>
        ctx.agents.approvals.list(owner, new Date(), parse(approvalListQuery, options).status),
      approve: async (owner, id, options) =>
        ctx.agents.gate.settle(owner, parse(approvalParams, { id }).id, 'approved', options?.actor ?? SERVER),
      deny: async (owner, id, options) =>
        ctx.agents.gate.settle(owner, parse(approvalParams, { id }).id, 'denied', options?.actor ?? SERVER),
    },
    policies: policiesApi(policyAdminOf(ctx)),
    tools: toolsApi(ctx),
  }
}

function policiesApi(admin: PolicyAdmin): PoliciesApi {
  return {
    list: async (owner, filter = {}) => admin.list(owner, parse(policyQuery, filter)),
    get: (owner, id) => admin.get(owner, id),
    create: async (owner, input) => admin.create(owner, parse(policyBody, input), SERVER),
    update: async (owner, id, rules) => admin.update(owner, id, parse(policyRulesBody, rules), SERVER),
    replaceConstraints: async (owner, id, constraints) =>
      admin.replaceConstraints(owner, id, parse(providerConstraintsBody, constraints), SERVER),
    remove: (owner, id) => admin.remove(owner, id, SERVER),
  }
}
