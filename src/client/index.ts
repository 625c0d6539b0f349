/**
 * express-connections/client: a typed client for the router's HTTP API, for browsers and Node. No
 * Node built-ins and no runtime dependency; the types are generated from the server's schemas.
 */
export {
  type AgentClient,
  type AgentClientOptions,
  createAgentClient,
  type GatedCall,
  type ProxyInit,
} from './agent.js'
export { type ClientErrorCode, ConnectionsClientError } from './errors.js'
export type { components, paths } from './openapi.js'
export type { FetchLike } from './transport.js'
export * from './types.js'
export { type ConnectionsClient, type ConnectionsClientOptions, createConnectionsClient } from './user.js'
