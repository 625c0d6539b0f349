export type { Agent } from './agents/model.js'
export type { PolicyInput, PolicyRulesInput } from './agents/policies.js'
export type {
  ActorOption,
  ConnectionsApi,
  CustomMcpServerRegistration,
  CustomProviderRegistration,
  PendingConnection,
  PoliciesApi,
  StartOptions,
} from './api.js'
export type {
  AuditAction,
  AuditAnchor,
  AuditEntry,
  AuditPage,
  AuditProblem,
  AuditRule,
  AuditVerification,
} from './core/audit.js'
export type { CustomProviderUrlPolicy, CustomProviderView } from './core/custom-providers.js'
export { ConnectionsError, type ErrorCode, InvalidCredentialsError } from './core/errors.js'
export type {
  ApprovalEvent,
  ApprovalEventType,
  ApprovalView,
  ConnectionEvent,
  ConnectionEventType,
  ConnectionsEvent,
  EventHandler,
  PolicyEvent,
  PolicyEventType,
} from './core/events.js'
export type { ReencryptOptions, ReencryptProgress, ReencryptReport } from './core/key-rotation.js'
export type {
  Connection,
  ConnectionParamView,
  ConnectionStatus,
  ProviderStatus,
  ProviderView,
} from './core/model.js'
export type { ProxyRequest } from './core/proxy.js'
export type { RevokeOptions } from './core/revoke.js'
export type { ListFilter, RevokeResult } from './core/service.js'
export type { AccessToken } from './core/tokens.js'
export type { Caller } from './http/caller.js'
export type {
  Action,
  Authorize,
  AuthorizeContext,
  GetAgent,
  GetOwner,
  ReturnUrlPolicy,
} from './http/context.js'
export type { MountPath, MountPathContext } from './http/mount-path.js'
export type { RateLimit, RateLimitedAction } from './http/rate-limit.js'
export type { RouterSessionOptions } from './http/session.js'
export type { UiOption, UiScript } from './http/ui-route.js'
export { InProcessLock, type Lock } from './locks/lock.js'
export {
  PostgresLock,
  type PostgresLockConnection,
  type PostgresLockOptions,
  type PostgresLockPool,
} from './locks/postgres-lock.js'
export { RedisLock, type RedisLockClient, type RedisLockOptions } from './locks/redis-lock.js'
export type { RedisLockSubscriber } from './locks/redis-wakeups.js'
export type { Logger } from './logger.js'
export type { ApprovalUrl, ConnectionsRouterOptions, EncryptionKey } from './options.js'
export type {
  AllowlistEntry,
  ExecutionModel,
  Policy,
  PolicyMode,
  ProviderConstraints,
  RateLimit as PolicyRateLimit,
  StepUpApproval,
  TimeWindow,
} from './policy/model.js'
export * from './providers/index.js'
export type {
  JsonSchema,
  JsonValue,
  ToolAnnotations,
  ToolDefinition,
  ToolEncoder,
  ToolRequest,
  ToolSuccessCheck,
  ToolValue,
} from './providers/tool-definition.js'
export { type ConnectionsRouter, createConnectionsRouter } from './router.js'
export type { KeyvLike } from './storage/keyv-like.js'
export type { RateLimitRule, RateLimitStore } from './storage/rate-counter.js'
export type { ToolSettingsPatch, ToolState } from './tools/states.js'
export type { ToolsStatus, ToolsSummary } from './tools/sync-status.js'
export type { ToolsApi } from './tools-api.js'
