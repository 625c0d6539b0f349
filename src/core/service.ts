import { randomUUID } from 'node:crypto'
import { canonicalJson } from '../crypto/canonical-json.js'
import { DecryptionError, type Keyring } from '../crypto/keyring.js'
import type { TokenEndpoint } from '../oauth/token-client.js'
import { connectionParamViews, sameParams } from '../providers/connection-params.js'
import type {
  AccountProfile,
  ConnectionDetails,
  CredentialCheck,
  CredentialsProvider,
  OAuth2Provider,
  TokenResponse,
} from '../providers/types.js'
import type { AuditLog } from '../storage/audit-log.js'
import { MissingRecordError, type Repository } from '../storage/repository.js'
import type { ConnectionAccess } from './access.js'
import type { AuditPage } from './audit.js'
import { ConnectionsError, InvalidCredentialsError, notFound } from './errors.js'
import { defaultLabel } from './labels.js'
import type {
  Connection,
  ConnectionRecord,
  ConnectionSecrets,
  ConnectionStatus,
  PendingFlow,
  ProviderStatus,
  ProviderView,
} from './model.js'
import type { ProviderRegistry } from './provider-registry.js'
import type { Recorder } from './recorder.js'
import {
  planRevoke,
  type RevokeOptions,
  type RevokePlan,
  revokeAtProvider,
  UndecryptableRevokeError,
} from './revoke.js'
import { expiresAt, grantedScopes, SecretBox, secretsOf } from './sealed.js'

export const FLOW_TTL_MS = 10 * 60 * 1000

export interface ServiceDeps {
  repository: Repository
  audit: AuditLog
  keyring: Keyring
  providers: ProviderRegistry
  access: ConnectionAccess
  recorder: Recorder
  tokenEndpoint: TokenEndpoint
  providerTimeoutMs: number
  now: () => Date
}

/** What a flow is started with; the service adds its id, times and the encrypted verifier. */
export type FlowInput = Omit<PendingFlow, 'id' | 'createdAt' | 'expiresAt' | 'verifier'>

export interface ListFilter {
  provider?: string
  status?: ConnectionStatus
}

export interface RevokeResult {
  connection: Connection
  /** The audit entry of the revoke; null in the rare case the store failed right after the revoke. */
  auditId: string | null
}

/** The connection operations, free of Express: HTTP routes and server code both call these. */
export class ConnectionService {
  private readonly now: () => Date
  private readonly box: SecretBox
  private readonly recorder: Recorder

  constructor(private readonly deps: ServiceDeps) {
    this.now = deps.now
    this.box = new SecretBox(deps.keyring)
    this.recorder = deps.recorder
  }

  async catalog(owner: string | undefined): Promise<ProviderView[]> {
    await this.deps.providers.load(owner)
    const records = owner ? await this.deps.repository.listConnections(owner) : []
    return this.deps.providers.all(owner).map((provider) => {
      const view: ProviderView = {
        id: provider.id,
        name: provider.name,
        kind: provider.kind,
        scopes: [...provider.scopes],
        singleton: provider.singleton,
      }
      const params = provider.kind === 'oauth2' ? connectionParamViews(provider) : []
      if (params.length > 0) view.params = params
      if (!owner) return view
      const mine = records.filter((r) => r.provider === provider.id)
      const best = mine.find((r) => r.status === 'active') ?? mine.find((r) => r.status === 'needs_reauth')
      return {
        ...view,
        status: best ? (best.status as ProviderStatus) : 'not_connected',
        accountEmail: best?.accountEmail ?? null,
      }
    })
  }

  async list(owner: string, filter: ListFilter = {}): Promise<Connection[]> {
    const records = await this.deps.repository.listConnections(owner)
    await this.deps.providers.ensure(
      owner,
      records.map((r) => r.provider),
    )
    return records
      .filter((r) => (filter.status ? r.status === filter.status : r.status !== 'revoked'))
      .filter((r) => !filter.provider || r.provider === filter.provider)
      .map((r) => this.deps.providers.toPublic(r))
  }

  async get(owner: string, id: string): Promise<Connection> {
    return this.deps.providers.toPublic(await this.deps.access.getRecord(owner, id))
  }

  async updateLabel(owner: string, id: string, label: string, actor: string): Promise<Connection> {
    const record = await this.update(id, (current) => {
      if (current.owner !== owner) throw notFound('Connection')
      return { ...current, label, updatedAt: this.now().toISOString() }
    })
    await this.deps.providers.ensure(owner, [record.provider])
    return this.announce('updated', record, actor)
  }

  /**
   * Destroys the secrets first — that write is what counts — then asks the provider to revoke the
   * tokens (RFC 7009), best-effort: the connection is revoked here whatever the provider says.
   * Secrets that no longer decrypt are never destroyed silently: see {@link planRevoke}.
   */
  async revoke(owner: string, id: string, actor: string, options: RevokeOptions = {}): Promise<RevokeResult> {
    const found = await this.deps.access.getRecord(owner, id)
    const provider = this.deps.providers.forConnection(found, { unbound: 'allowed' })
    let plan: RevokePlan | undefined
    let record: ConnectionRecord
    try {
      record = await this.update(id, (current) => {
        if (current.owner !== owner) throw notFound('Connection')
        if (current.status === 'revoked')
          throw new ConnectionsError('conflict', 'The connection is already revoked.')
        plan = planRevoke(this.box, current, provider, options)
        const now = this.now().toISOString()
        return { ...current, status: 'revoked', statusReason: 'Revoked.', secrets: null, updatedAt: now }
      })
    } catch (error) {
      if (error instanceof UndecryptableRevokeError)
        await this.recorder.record(error.happening(found, this.deps.providers.toPublic(found), actor))
      throw error
    }
    const detail = await revokeAtProvider(this.deps.tokenEndpoint, provider, plan)
    const entry = await this.recorder.record({
      action: 'revoked',
      record,
      connection: this.deps.providers.toPublic(record),
      actor,
      detail,
    })
    return { connection: this.deps.providers.toPublic(record), auditId: entry?.id ?? null }
  }

  /**
   * Connects a credentials provider: the provider checks the credentials live first (422 when it
   * refuses them, nothing stored); a singleton provider, or the same account again, replaces the
   * credentials of the existing connection.
   */
  async connectWithCredentials(
    owner: string,
    input: { provider: string; credentials: Record<string, string>; label?: string | undefined },
    actor: string,
  ): Promise<Connection> {
    await this.deps.providers.ensure(owner, [input.provider])
    const provider = this.deps.providers.require(input.provider, owner)
    if (provider.kind !== 'credentials') {
      throw new ConnectionsError(
        'invalid_request',
        `Provider "${provider.id}" is connected through OAuth: use /connect.`,
      )
    }
    const credentials = checkFields(provider, input.credentials)
    let check: CredentialCheck
    try {
      check = await provider.check(credentials, { timeoutMs: this.deps.providerTimeoutMs })
    } catch (error) {
      if (error instanceof InvalidCredentialsError) {
        throw new ConnectionsError('invalid_credentials', error.message)
      }
      if (error instanceof ConnectionsError) throw error
      throw new ConnectionsError('provider_error', `${provider.name} could not check the credentials.`, {
        cause: error,
      })
    }
    const build = (existing: ConnectionRecord | undefined): ConnectionRecord => {
      const now = this.now().toISOString()
      const id = existing?.id ?? randomUUID()
      // Sealed from the record as it is stored: its owner, provider and API base are what is bound.
      return this.box.withSecrets(
        {
          version: 1,
          id,
          owner,
          provider: provider.id,
          label: input.label ?? existing?.label ?? defaultLabel(check, provider.name),
          status: 'active',
          statusReason: null,
          accountId: check.accountId,
          accountEmail: check.accountEmail ?? null,
          grantedScopes: [],
          metadata: { ...existing?.metadata, ...check.metadata },
          expiresAt: null,
          connectedAt: now,
          lastRefreshedAt: null,
          lastUsedAt: existing?.lastUsedAt ?? null,
          createdAt: existing?.createdAt ?? now,
          updatedAt: now,
          apiBaseUrl: null,
        },
        {
          accessToken: check.credential.accessToken,
          tokenType: check.credential.tokenType,
          refreshToken: null,
          idToken: null,
        },
      )
    }
    const sameConnection = (record: ConnectionRecord) =>
      record.provider === provider.id &&
      record.status !== 'revoked' &&
      (provider.singleton || (check.accountId !== null && record.accountId === check.accountId))
    const { record, created } = await this.deps.repository.upsertConnection(owner, sameConnection, build)
    return this.announce(created ? 'created' : 'reauthorized', record, actor)
  }

  /** Checks a connection may be re-authorized and returns what its new flow starts with. */
  async reauthInput(
    owner: string,
    id: string,
    scopes?: string[],
  ): Promise<Omit<FlowInput, 'returnUrl' | 'sessionId' | 'allowSessionless'>> {
    const record = await this.deps.access.getRecord(owner, id)
    const provider = this.deps.providers.require(record.provider, owner)
    if (provider.kind !== 'oauth2') {
      throw new ConnectionsError(
        'invalid_request',
        'Only OAuth connections are re-authorized; connect again instead.',
      )
    }
    if (record.status === 'revoked')
      throw new ConnectionsError('conflict', 'A revoked connection cannot be re-authorized.')
    return {
      owner,
      provider: record.provider,
      scopes: scopes ?? reauthScopes(record.grantedScopes, provider),
      label: record.label,
      metadata: record.metadata,
      reauthConnectionId: record.id,
      ...(record.params ? { params: record.params } : {}),
    }
  }

  async auditTrail(
    owner: string,
    options: { connectionId?: string; limit: number; cursor?: string },
  ): Promise<AuditPage> {
    if (options.connectionId) await this.deps.access.getRecord(owner, options.connectionId)
    return this.deps.audit.page(owner, options)
  }

  async openFlow(state: string, input: FlowInput, verifier: string): Promise<PendingFlow> {
    const now = this.now()
    const id = randomUUID()
    const flow: PendingFlow = {
      ...input,
      id,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + FLOW_TTL_MS).toISOString(),
      verifier: '',
    }
    flow.verifier = this.deps.keyring.encrypt(verifier, `flow:${id}`, flowBinding(flow))
    await this.deps.repository.putFlow(state, flow, FLOW_TTL_MS)
    return flow
  }

  /** The flow behind a state, left in place (the callback learns whose custom provider it is for). */
  peekFlow(state: string): Promise<PendingFlow | undefined> {
    return this.deps.repository.peekFlow(state)
  }

  /** The flow behind a state, removed so that it can never be used again, with its PKCE verifier. */
  async takeFlow(state: string): Promise<{ flow: PendingFlow; verifier: string } | undefined> {
    const flow = await this.deps.repository.takeFlow(state)
    if (!flow || Date.parse(flow.expiresAt) <= this.now().getTime()) return undefined
    try {
      return {
        flow,
        verifier: this.deps.keyring.decrypt(flow.verifier, `flow:${flow.id}`, flowBinding(flow)),
      }
    } catch (error) {
      // Changed in the store since it was opened (another owner, return URL, …), or sealed with a key
      // that left the ring: the flow is not one this server started, as if its state were unknown.
      if (error instanceof DecryptionError) return undefined
      throw error
    }
  }

  /**
   * Stores what a successful callback brought. Re-authorization updates its connection; connecting an
   * account the owner already has (or any account, for a singleton provider) replaces that
   * connection's tokens instead of adding a second row.
   */
  async completeFlow(
    flow: PendingFlow,
    tokens: TokenResponse,
    account: AccountProfile,
    actor: string,
    details: ConnectionDetails = {},
  ): Promise<Connection> {
    await this.deps.providers.ensure(flow.owner, [flow.provider])
    const provider = this.deps.providers.oauth(flow.provider, flow.owner)
    const build = (existing: ConnectionRecord | undefined): ConnectionRecord => {
      const now = this.now().toISOString()
      const id = existing?.id ?? randomUUID()
      const sameAccount = !existing || existing.accountId === null || existing.accountId === account.accountId
      if (!sameAccount && flow.reauthConnectionId) {
        throw new ConnectionsError(
          'conflict',
          `This connection belongs to another ${provider.name} account; sign in with that account, or connect a new one.`,
        )
      }
      // Tokens of one account are never completed with those of another (a singleton provider
      // switching accounts keeps no refresh token of the old one).
      const opened = existing ? this.openOrNull(existing) : null
      const previous = sameAccount ? opened : null
      // An existing record whose secrets do not open (changed in the store, or a retired key) is not
      // trusted for its API base either: sealing the new tokens for it would adopt a rewritten one.
      const keptApiBase = opened ? (existing?.apiBaseUrl ?? null) : null
      // Sealed from the record as it is stored: its owner, provider and API base (the one this
      // callback brought, if any) are what is bound.
      return this.box.withSecrets(
        {
          version: 1,
          id,
          owner: flow.owner,
          provider: provider.id,
          label: flow.label ?? existing?.label ?? defaultLabel(account, provider.name),
          status: 'active',
          statusReason: null,
          accountId: account.accountId,
          accountEmail: account.accountEmail,
          grantedScopes: grantedScopes(tokens, flow.scopes),
          // What the provider reported wins over what the caller asked to attach under the same name.
          metadata: { ...existing?.metadata, ...flow.metadata, ...details.metadata },
          apiBaseUrl: details.apiBaseUrl ?? keptApiBase,
          ...(flow.params ? { params: flow.params } : {}),
          expiresAt: expiresAt(tokens, new Date(now)),
          connectedAt: now,
          lastRefreshedAt: null,
          lastUsedAt: existing?.lastUsedAt ?? null,
          createdAt: existing?.createdAt ?? now,
          updatedAt: now,
        },
        secretsOf(tokens, previous),
      )
    }
    if (flow.reauthConnectionId) {
      const record = await this.update(flow.reauthConnectionId, (existing) => {
        if (existing.owner !== flow.owner) throw notFound('Connection')
        if (existing.status === 'revoked')
          throw new ConnectionsError('conflict', 'The connection was revoked.')
        return build(existing)
      })
      return this.announce('reauthorized', record, actor)
    }
    const sameConnection = (record: ConnectionRecord) =>
      record.provider === provider.id &&
      record.status !== 'revoked' &&
      sameParams(record.params, flow.params) &&
      (provider.singleton || (account.accountId !== null && record.accountId === account.accountId))
    const { record, created } = await this.deps.repository.upsertConnection(flow.owner, sameConnection, build)
    return this.announce(created ? 'created' : 'reauthorized', record, actor)
  }

  /** Secrets that no longer decrypt (a retired key) are not carried over to a reconnection. */
  private openOrNull(record: ConnectionRecord): ConnectionSecrets | null {
    try {
      return this.box.open(record)
    } catch {
      return null
    }
  }

  private async update(
    id: string,
    change: (current: ConnectionRecord) => ConnectionRecord,
  ): Promise<ConnectionRecord> {
    try {
      return await this.deps.repository.updateConnection(id, change)
    } catch (error) {
      if (error instanceof MissingRecordError) throw notFound('Connection')
      throw error
    }
  }

  private async announce(
    action: 'created' | 'reauthorized' | 'updated',
    record: ConnectionRecord,
    actor: string,
  ): Promise<Connection> {
    const connection = this.deps.providers.toPublic(record)
    await this.recorder.record({ action, record, connection, actor })
    return connection
  }
}

/** Exactly the provider's fields, each in its format; the values are never echoed in the error. */
function checkFields(provider: CredentialsProvider, given: Record<string, string>): Record<string, string> {
  const details: Array<{ path: string[]; message: string }> = []
  for (const [name, field] of Object.entries(provider.fields)) {
    const value = Object.hasOwn(given, name) ? given[name] : undefined
    if (typeof value !== 'string' || value === '')
      details.push({ path: ['credentials', name], message: 'is required' })
    else if (field.pattern && !field.pattern.test(value)) {
      details.push({
        path: ['credentials', name],
        message: `is not in the format of a ${field.label.toLowerCase()}`,
      })
    }
  }
  for (const name of Object.keys(given)) {
    if (!Object.hasOwn(provider.fields, name))
      details.push({ path: ['credentials', name], message: 'is not a field of this provider' })
  }
  if (details.length > 0) {
    const first = details[0]
    throw new ConnectionsError(
      'invalid_request',
      `Invalid request: ${first?.path.join('.')} ${first?.message}.`,
      {
        details,
      },
    )
  }
  return given
}

/**
 * A reauth asks again for what was granted; where `allowedScopes` limits the provider, only the
 * granted scopes it allows (providers report scopes under other names), else the configured ones.
 */
function reauthScopes(granted: string[], provider: OAuth2Provider): string[] {
  const allowed = provider.allowedScopes
  const kept = allowed ? granted.filter((scope) => allowed.includes(scope)) : granted
  return kept.length > 0 ? kept : provider.scopes
}

/**
 * What a flow's verifier is bound to: everything the callback acts on, so that a flow changed in the
 * store (handed to another owner, given another return URL or connection to re-authorize) does not
 * complete.
 */
function flowBinding(flow: PendingFlow): string {
  const { verifier: _verifier, ...bound } = flow
  return canonicalJson(['flow', bound])
}
