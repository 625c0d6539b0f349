import type { Connection, ProviderView } from './core/model.js'
import type { ConnectionService, ListFilter } from './core/service.js'

/**
 * The router's operations for server code and agents, by owner, without HTTP. Every method throws
 * {@link ConnectionsError} (`not_found` for another owner's id, `store_unavailable`, …).
 *
 * @example
 * const router = createConnectionsRouter(options)
 * const mine = await router.connections.list('user-42', { provider: 'acme' })
 */
export interface ConnectionsApi {
  list(owner: string, filter?: ListFilter): Promise<Connection[]>
  get(owner: string, id: string): Promise<Connection>
  updateLabel(owner: string, id: string, label: string): Promise<Connection>
  providers(owner?: string): Promise<ProviderView[]>
}

export function createConnectionsApi(service: ConnectionService): ConnectionsApi {
  return {
    list: (owner, filter) => service.list(owner, filter),
    get: (owner, id) => service.get(owner, id),
    updateLabel: (owner, id, label) => service.updateLabel(owner, id, label),
    providers: (owner) => service.catalog(owner),
  }
}
