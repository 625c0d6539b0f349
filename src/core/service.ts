import { randomUUID } from 'node:crypto'
import type { Keyring } from '../crypto/keyring.js'
import type { AccountProfile, OAuth2Provider, Provider, TokenResponse } from '../providers/types.js'
import { MissingRecordError, type Repository } from '../storage/repository.js'
import { ConnectionsError, notFound } from './errors.js'
import type { ConnectionEvent, ConnectionEventType } from './events.js'
import type {
  Connection,
  ConnectionRecord,
  ConnectionSecrets,
  ConnectionStatus,
  PendingFlow,
  ProviderStatus,
  ProviderView,
} from './model.js'

export const FLOW_TTL_MS = 10 * 60 * 1000

export interface ServiceDeps {
  repository: Repository
  keyring: Keyring
  providers: ReadonlyMap<string, Provider>
  emit: (event: ConnectionEvent) => void
  now?: () => Date
}

/** What a flow is started with; the service adds its id, times and the encrypted verifier. */
export type FlowInput = Omit<PendingFlow, 'id' | 'createdAt' | 'expiresAt' | 'verifier'>

export interface ListFilter {
  provider?: string
  status?: ConnectionStatus
}

/** The connection operations, free of Express: HTTP routes and server code both call these. */
export class ConnectionService {
  private readonly now: () => Date

  constructor(private readonly deps: ServiceDeps) {
    this.now = deps.now ?? (() => new Date())
  }

  provider(id: string): Provider {
    const provider = this.deps.providers.get(id)
    if (!provider) throw notFound(`Provider "${id}"`)
    return provider
  }

  oauthProvider(id: string): OAuth2Provider {
    const provider = this.provider(id)
    if (provider.kind !== 'oauth2') {
      throw new ConnectionsError('invalid_request', `Provider "${id}" is not connected through OAuth.`)
    }
    return provider
  }

  async catalog(owner: string | undefined): Promise<ProviderView[]> {
    const records = owner ? await this.deps.repository.listConnections(owner) : []
    return [...this.deps.providers.values()].map((provider) => {
      const view: ProviderView = {
        id: provider.id,
        name: provider.name,
        kind: provider.kind,
        scopes: [...provider.scopes],
        singleton: provider.singleton,
      }
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
    return records
      .filter((r) => (filter.status ? r.status === filter.status : r.status !== 'revoked'))
      .filter((r) => !filter.provider || r.provider === filter.provider)
      .map((r) => this.toPublic(r))
  }

  async get(owner: string, id: string): Promise<Connection> {
    return this.toPublic(await this.getRecord(owner, id))
  }

  /** Another owner's connection is "not found", never "forbidden": ids must not be probed. */
  async getRecord(owner: string, id: string): Promise<ConnectionRecord> {
    const record = await this.deps.repository.getConnection(id)
    if (!record || record.owner !== owner) throw notFound('Connection')
    return record
  }

  async updateLabel(owner: string, id: string, label: string): Promise<Connection> {
    const record = await this.update(id, (current) => {
      if (current.owner !== owner) throw notFound('Connection')
      return { ...current, label, updatedAt: this.now().toISOString() }
    })
    return this.publish('connection.updated', record)
  }

  async openFlow(state: string, input: FlowInput, verifier: string): Promise<PendingFlow> {
    const now = this.now()
    const id = randomUUID()
    const flow: PendingFlow = {
      ...input,
      id,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + FLOW_TTL_MS).toISOString(),
      verifier: this.deps.keyring.encrypt(verifier, `flow:${id}`),
    }
    await this.deps.repository.putFlow(state, flow, FLOW_TTL_MS)
    return flow
  }

  /** The flow behind a state, removed so that it can never be used again, with its PKCE verifier. */
  async takeFlow(state: string): Promise<{ flow: PendingFlow; verifier: string } | undefined> {
    const flow = await this.deps.repository.takeFlow(state)
    if (!flow || Date.parse(flow.expiresAt) <= this.now().getTime()) return undefined
    return { flow, verifier: this.deps.keyring.decrypt(flow.verifier, `flow:${flow.id}`) }
  }

  /**
   * Stores what a successful callback brought. Re-authorization updates its connection; connecting an
   * account the owner already has (or any account, for a singleton provider) replaces that
   * connection's tokens instead of adding a second row.
   */
  async completeFlow(flow: PendingFlow, tokens: TokenResponse, account: AccountProfile): Promise<Connection> {
    const provider = this.oauthProvider(flow.provider)
    const build = (existing: ConnectionRecord | undefined): ConnectionRecord => {
      const now = this.now().toISOString()
      const id = existing?.id ?? randomUUID()
      return {
        version: 1,
        id,
        owner: flow.owner,
        provider: provider.id,
        label: flow.label ?? existing?.label ?? account.accountEmail ?? provider.name,
        status: 'active',
        statusReason: null,
        accountId: account.accountId,
        accountEmail: account.accountEmail,
        grantedScopes: grantedScopes(tokens, flow.scopes),
        metadata: { ...existing?.metadata, ...flow.metadata },
        expiresAt: expiresAt(tokens, this.now()),
        connectedAt: now,
        lastRefreshedAt: null,
        lastUsedAt: existing?.lastUsedAt ?? null,
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
        secrets: this.seal(id, secretsOf(tokens, existing ? this.unseal(existing) : null)),
      }
    }
    if (flow.reauthConnectionId) {
      const record = await this.update(flow.reauthConnectionId, (existing) => {
        if (existing.owner !== flow.owner) throw notFound('Connection')
        if (existing.status === 'revoked')
          throw new ConnectionsError('conflict', 'The connection was revoked.')
        return build(existing)
      })
      return this.publish('connection.reauthorized', record)
    }
    const sameConnection = (record: ConnectionRecord) =>
      record.provider === provider.id &&
      record.status !== 'revoked' &&
      (provider.singleton || (account.accountId !== null && record.accountId === account.accountId))
    const { record, created } = await this.deps.repository.upsertConnection(flow.owner, sameConnection, build)
    return this.publish(created ? 'connection.created' : 'connection.reauthorized', record)
  }

  toPublic(record: ConnectionRecord): Connection {
    const provider = this.deps.providers.get(record.provider)
    const { version: _v, owner: _o, secrets: _s, ...visible } = record
    return {
      ...visible,
      providerName: provider?.name ?? record.provider,
      singleton: provider?.singleton ?? false,
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

  private seal(id: string, secrets: ConnectionSecrets): string {
    return this.deps.keyring.encrypt(JSON.stringify(secrets), `connection:${id}`)
  }

  private unseal(record: ConnectionRecord): ConnectionSecrets | null {
    return record.secrets
      ? JSON.parse(this.deps.keyring.decrypt(record.secrets, `connection:${record.id}`))
      : null
  }

  private publish(type: ConnectionEventType, record: ConnectionRecord): Connection {
    const connection = this.toPublic(record)
    this.deps.emit({ type, owner: record.owner, connection, at: this.now().toISOString() })
    return connection
  }
}

function grantedScopes(tokens: TokenResponse, requested: string[]): string[] {
  if (typeof tokens.scope !== 'string') return requested
  return tokens.scope.split(/[\s,]+/).filter(Boolean)
}

function expiresAt(tokens: TokenResponse, now: Date): string | null {
  const seconds = Number(tokens.expires_in)
  if (!Number.isFinite(seconds) || seconds <= 0) return null
  return new Date(now.getTime() + seconds * 1000).toISOString()
}

/** A provider may omit the refresh token on a repeated consent: keep the one we had. */
function secretsOf(tokens: TokenResponse, previous: ConnectionSecrets | null): ConnectionSecrets {
  if (typeof tokens.access_token !== 'string' || tokens.access_token === '') {
    throw new ConnectionsError('provider_error', 'The provider returned no access token.')
  }
  return {
    accessToken: tokens.access_token,
    refreshToken:
      typeof tokens.refresh_token === 'string' ? tokens.refresh_token : (previous?.refreshToken ?? null),
    tokenType: typeof tokens.token_type === 'string' ? tokens.token_type : 'Bearer',
    idToken: typeof tokens.id_token === 'string' ? tokens.id_token : null,
  }
}
