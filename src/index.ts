export type { ConnectionsApi } from './api.js'
export { ConnectionsError, type ErrorCode } from './core/errors.js'
export type { ConnectionEvent, ConnectionEventType, EventHandler } from './core/events.js'
export type { Connection, ConnectionStatus, ProviderStatus, ProviderView } from './core/model.js'
export type { ListFilter } from './core/service.js'
export type { Action, Authorize, AuthorizeContext, GetOwner, ReturnUrlPolicy } from './http/context.js'
export type { RouterSessionOptions } from './http/session.js'
export { InProcessLock, type Lock } from './locks/lock.js'
export type { Logger } from './logger.js'
export type { ConnectionsRouterOptions } from './options.js'
export {
  type AccountProfile,
  type OAuth2Provider,
  type OAuth2ProviderOptions,
  type Provider,
  providers,
  type TokenResponse,
} from './providers/index.js'
export { type ConnectionsRouter, createConnectionsRouter } from './router.js'
export type { KeyvLike } from './storage/keyv-like.js'
