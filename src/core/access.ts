import type { TokenEndpoint } from '../oauth/token-client.js'
import type { OAuth2Provider } from '../providers/types.js'
import type { Repository } from '../storage/repository.js'
import type { AuditAction } from './audit.js'
import { ConnectionsError, notFound } from './errors.js'
import type { ConnectionRecord } from './model.js'
import type { ProviderRegistry } from './provider-registry.js'
import { callProvider, callProviderForRelay, type ProxyRequest, type Upstream } from './proxy.js'
import type { Recorder } from './recorder.js'
import type { RefreshBackoff } from './refresh-backoff.js'
import type { SecretBox } from './sealed.js'
import { TokenAuditThrottle } from './token-audit.js'
import { type AccessToken, TokenManager } from './tokens.js'

/** The answer of a call made for relaying (the proxy, tools): see `callForRelay`. */
export type { Upstream }

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Who uses a connection, and as what: written to the audit entry of the hand-out or call. The ids are
 * opaque here (core knows nothing of agents or policies); whoever decided the call passes them on.
 */
export interface CallContext {
  actor: string
  /** The audit action: `token` for a hand-out, `proxy` or `tool` for a call. */
  action: Extract<AuditAction, 'token' | 'proxy' | 'tool'>
  agentId?: string
  policyId?: string
  approvalId?: string
  /** What the audit entry names instead of the method and path (a tool run: its slug, never its input). */
  target?: string
}

export interface AccessDeps {
  repository: Repository
  providers: ProviderRegistry
  box: SecretBox
  tokenEndpoint: TokenEndpoint
  recorder: Recorder
  refreshSkewMs: number
  refreshBackoff: RefreshBackoff
  providerTimeoutMs: number
  /** Token hand-outs to one actor within this long share one audit entry (0: one each). */
  tokenAuditIntervalMs: number
  now: () => Date
}

/**
 * Finding a connection and using it: a live token (Model A) or a call made as the connection
 * (Model B). The one seam everything that acts with a connection goes through, so that its refresh
 * and audit rules cannot be skipped; deciding whether a caller may is left to whoever calls it.
 */
export class ConnectionAccess {
  private readonly tokens: TokenManager
  private readonly tokenAudit: TokenAuditThrottle

  constructor(private readonly deps: AccessDeps) {
    this.tokenAudit = new TokenAuditThrottle(deps.tokenAuditIntervalMs, deps.now)
    this.tokens = new TokenManager({
      repository: deps.repository,
      box: deps.box,
      endpoint: deps.tokenEndpoint,
      recorder: deps.recorder,
      provider: (record) => this.bound(record),
      toPublic: (record) => deps.providers.toPublic(record),
      refreshSkewMs: deps.refreshSkewMs,
      backoff: deps.refreshBackoff,
      now: deps.now,
    })
  }

  /** Another owner's connection is "not found", never "forbidden": ids must not be probed. */
  async getRecord(owner: string, id: string): Promise<ConnectionRecord> {
    const record = UUID.test(id) ? await this.deps.repository.getConnection(id) : undefined
    if (!record || record.owner !== owner) throw notFound('Connection')
    await this.deps.providers.ensure(owner, [record.provider])
    return record
  }

  /**
   * A connection by id, or by provider id when the owner has exactly one usable connection of it (the
   * active one among several is fine; two active ones is ambiguous, and a guess could act on the
   * wrong account).
   */
  async resolve(owner: string, idOrProvider: string): Promise<ConnectionRecord> {
    if (UUID.test(idOrProvider)) return this.getRecord(owner, idOrProvider)
    await this.deps.providers.ensure(owner, [idOrProvider])
    this.deps.providers.require(idOrProvider, owner)
    const mine = (await this.deps.repository.listConnections(owner)).filter(
      (r) => r.provider === idOrProvider && r.status !== 'revoked',
    )
    const active = mine.filter((r) => r.status === 'active')
    const candidates = active.length > 0 ? active : mine
    if (candidates.length === 0) throw notFound(`A connection to "${idOrProvider}"`)
    if (candidates.length > 1) {
      throw new ConnectionsError(
        'conflict',
        `There are ${candidates.length} connections to "${idOrProvider}"; name one by its id.`,
        { details: candidates.map((r) => ({ id: r.id, label: r.label })) },
      )
    }
    return candidates[0] as ConnectionRecord
  }

  async getAccessToken(owner: string, idOrProvider: string, context: CallContext): Promise<AccessToken> {
    return this.vend(await this.resolve(owner, idOrProvider), context)
  }

  /**
   * A valid access token of a connection the caller has just read (and checked is the owner's). The
   * audit entry covering this hand-out is written before the token leaves (see TokenAuditThrottle).
   */
  async vend(record: ConnectionRecord, context: CallContext): Promise<AccessToken> {
    const { token, record: current } = await this.tokens.accessToken(record, context.actor)
    await this.tokenAudit.cover(current.id, throttleKey(context), async () => {
      await this.deps.recorder.record({
        ...audited(context),
        record: current,
        connection: this.deps.providers.toPublic(current),
        strict: true,
      })
    })
    return token
  }

  /** Calls the provider's API as the connection (Model B); the caller never sees the token. */
  async call(record: ConnectionRecord, path: string, request: ProxyRequest, context: CallContext) {
    const { response, record: current } = await callProvider(
      this.tokens,
      this.providerOf(record),
      record,
      path,
      request,
      { actor: context.actor, timeoutMs: this.deps.providerTimeoutMs },
    )
    await this.recordCall(current, path, request, context, response.status)
    return response
  }

  /** {@link call} for the HTTP proxy: the answer as a Node stream, to be relayed (see `callProviderForRelay`). */
  async callForRelay(
    record: ConnectionRecord,
    path: string,
    request: ProxyRequest,
    context: CallContext,
  ): Promise<Upstream> {
    const { upstream, record: current } = await callProviderForRelay(
      this.tokens,
      this.providerOf(record),
      record,
      path,
      request,
      { actor: context.actor, timeoutMs: this.deps.providerTimeoutMs },
    )
    await this.recordCall(current, path, request, context, upstream.status)
    return upstream
  }

  private providerOf(record: ConnectionRecord) {
    return (
      this.deps.providers.forConnection(record) ?? this.deps.providers.require(record.provider, record.owner)
    )
  }

  private async recordCall(
    record: ConnectionRecord,
    path: string,
    request: ProxyRequest,
    context: CallContext,
    status: number,
  ): Promise<void> {
    const method = (request.method ?? 'GET').toUpperCase()
    await this.deps.recorder.record({
      ...audited(context),
      record,
      connection: this.deps.providers.toPublic(record),
      outcome: status >= 200 && status < 300 ? 'success' : 'failure',
      detail: `${context.target ?? `${method} ${path.split('?')[0]}`} → ${status}`,
    })
  }

  /** The connection's OAuth provider with its connection params filled into the URLs. */
  private bound(record: ConnectionRecord): OAuth2Provider {
    this.deps.providers.oauth(record.provider, record.owner)
    return this.deps.providers.forConnection(record) as OAuth2Provider
  }
}

/** What of the context goes into the audit entry: who, as what, and under which decision. */
function audited(context: CallContext) {
  const { action, actor, agentId, policyId, approvalId } = context
  return { action, actor, agentId, policyId, approvalId }
}

/** Hand-outs to one actor share an entry only when they were made under the same decision. */
function throttleKey(context: CallContext): string {
  return [context.actor, context.agentId ?? '', context.policyId ?? '', context.approvalId ?? ''].join('\n')
}
