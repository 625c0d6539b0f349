import { bodyOf, dataOf, type Send, segment, type TransportOptions, transport, urlOf } from './transport.js'
import type {
  Agent,
  AgentWithKey,
  Approval,
  ApprovalListQuery,
  AuditEntry,
  AuditPage,
  AuditQuery,
  Connection,
  ConnectionListQuery,
  ConnectQuery,
  CredentialsInput,
  CustomProvider,
  CustomProviderInput,
  PendingConnection,
  Policy,
  PolicyInput,
  PolicyListQuery,
  PolicyRulesInput,
  Provider,
  ProviderConstraintsInput,
  ReauthInput,
  RevokeInput,
  RevokeResult,
  StartInput,
  TelegramConnected,
  TelegramInput,
  ToolPatch,
  ToolState,
} from './types.js'

export type ConnectionsClientOptions = TransportOptions

/**
 * The signed-in user's client: what a settings page does with the router. In a browser it sends
 * the session cookie (`credentials: 'include'` unless told otherwise); a browser adds the `Origin`
 * header the router checks on writes by itself. Elsewhere pass what your login reads, in `headers`.
 */
export function createConnectionsClient(options: ConnectionsClientOptions) {
  const send = transport({ credentials: 'include', ...options })
  const get = <T>(path: string, query?: object) => send(path, { query }).then(dataOf<T>)
  const write =
    (method: string) =>
    <T>(path: string, body?: unknown) =>
      send(path, { method, body }).then(dataOf<T>)
  const post = write('POST')
  const put = write('PUT')
  const del = write('DELETE')
  const connection = (id: string) => `connections/${segment(id)}`

  return {
    providers: {
      list: () => get<Provider[]>('providers'),
    },
    connections: {
      list: (query?: ConnectionListQuery) => get<Connection[]>('connections', query),
      get: (id: string) => get<Connection>(connection(id)),
      /** Starts an OAuth flow: send the browser to `authorizationUrl`. */
      start: (input: StartInput) => post<PendingConnection>('connections/start', input),
      /** The URL of `GET /connect/:provider`, for a link or `location.assign` (the router redirects on). */
      connectUrl: (provider: string, query?: ConnectQuery) =>
        urlOf(options.baseUrl, `connect/${segment(provider)}`, query),
      /** Connects a credentials provider (an API key, a bot token), checked with the provider first. */
      connectCredentials: (input: CredentialsInput) => post<Connection>('connections', input),
      connectTelegram: (input: TelegramInput) => post<TelegramConnected>('connections/telegram', input),
      reauth: (id: string, input?: ReauthInput) => post<PendingConnection>(`${connection(id)}/reauth`, input),
      label: (id: string, label: string) => put<Connection>(`${connection(id)}/label`, { label }),
      revoke: (id: string, input?: RevokeInput) => post<RevokeResult>(`${connection(id)}/revoke`, input),
    },
    audit: auditOf(send),
    customProviders: {
      list: () => get<CustomProvider[]>('custom-providers'),
      /** Registers or updates one; the client secret is stored encrypted and never returned. */
      save: (input: CustomProviderInput) => post<CustomProvider>('custom-providers', input),
      remove: (slug: string) => del<{ removed: string }>(`custom-providers/${segment(slug)}`),
    },
    agents: {
      list: () => get<Agent[]>('agents'),
      /** The agent and its key: the key is in this answer only. */
      create: (name: string) => post<AgentWithKey>('agents', { name }),
      remove: (id: string) => del<{ deleted: string }>(`agents/${segment(id)}`),
      rotateKey: (id: string) => post<AgentWithKey>(`agents/${segment(id)}/rotate-key`),
    },
    policies: {
      list: (query?: PolicyListQuery) => get<Policy[]>('policies', query),
      get: (id: string) => get<Policy>(`policies/${segment(id)}`),
      create: (input: PolicyInput) => post<Policy>('policies', input),
      /** Replaces the rules whole: an absent rule takes its default. */
      update: (id: string, rules: PolicyRulesInput) => put<Policy>(`policies/${segment(id)}`, rules),
      remove: (id: string) => del<{ deleted: string }>(`policies/${segment(id)}`),
      setProviderConstraints: (id: string, constraints: ProviderConstraintsInput) =>
        put<Policy>(`policies/${segment(id)}/provider-constraints`, constraints),
    },
    approvals: {
      list: (query?: ApprovalListQuery) => get<Approval[]>('approvals', query),
      approve: (id: string) => post<Approval>(`approvals/${segment(id)}/approve`),
      deny: (id: string) => post<Approval>(`approvals/${segment(id)}/deny`),
    },
    tools: {
      list: (connectionId: string) => get<ToolState[]>(`${connection(connectionId)}/tools`),
      update: (connectionId: string, slug: string, patch: ToolPatch) =>
        write('PATCH')<ToolState>(`${connection(connectionId)}/tools/${segment(slug)}`, patch),
      sync: (connectionId: string) => post<ToolState[]>(`${connection(connectionId)}/tools/sync`),
    },
  }
}

export type ConnectionsClient = ReturnType<typeof createConnectionsClient>

function auditOf(send: Send) {
  /** One page, newest first. */
  const page = async (query?: AuditQuery): Promise<AuditPage> => {
    const body = await send('audit', { query }).then(bodyOf<AuditEntry[]>)
    return { entries: body.data, nextCursor: (body.nextCursor as string | null | undefined) ?? null }
  }
  return {
    page,
    /** Every entry, newest first, page after page. */
    async *entries(query: AuditQuery = {}): AsyncGenerator<AuditEntry> {
      let cursor: string | null | undefined = query.cursor
      do {
        const next: AuditPage = await page({ ...query, cursor: cursor ?? undefined })
        yield* next.entries
        cursor = next.nextCursor
      } while (cursor)
    },
  }
}
