/**
 * How an agent uses a connection: `A` is token vending (the agent is handed a live access token), `B` is
 * execution (the router makes the call: the proxy, tool runs, MCP `tools/call`; the agent never sees a token).
 */
export type ExecutionModel = 'A' | 'B'

/** `read_only`: only calls that read. `read_write`: any call the other rules let through. */
export type PolicyMode = 'read_only' | 'read_write'

/** `never`; `risk_based`: writes and destructive calls need a human's approval; `always`: every call does. */
export type StepUpApproval = 'never' | 'risk_based' | 'always'

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun'

/**
 * An HTTP call the allowlist lets through. `method` is an HTTP method (any case) or `*` for any.
 * `path` is a glob over `/`-separated segments of the path relative to the provider's API base URL
 * (no query): a segment `*` matches exactly one non-empty segment, a `*` inside a segment (`chat.*`)
 * matches any characters within that one segment, and a segment `**` matches zero or more whole
 * segments. Everything else matches itself, case-sensitively, after percent-decoding on both sides.
 *
 * @example { method: 'GET', path: '/repos/acme/*' }        // /repos/acme/api, not /repos/acme/api/issues
 * @example { method: '*', path: '/repos/acme/**' }         // /repos/acme and everything below it
 * @example { method: 'POST', path: '/chat.postMessage' }
 */
export interface HttpAllowlistEntry {
  method: string
  path: string
}

/** A tool the allowlist lets through, by its slug (exact): `{ tool: 'create_issue' }`. */
export interface ToolAllowlistEntry {
  tool: string
}

export type AllowlistEntry = HttpAllowlistEntry | ToolAllowlistEntry

/** At most `limit` calls per fixed window (`minute` = a UTC minute, and so on). Counted by the caller. */
export interface RateLimit {
  limit: number
  per: 'second' | 'minute' | 'hour' | 'day'
}

/**
 * When calls are allowed, on the wall clock of an IANA time zone, so DST changes move the window with
 * the local clock. `start` is inclusive, `end` exclusive, both `HH:MM` (`end` may be `24:00`). When
 * `end` is before `start` the window crosses midnight and belongs to the day it starts on: `fri`
 * 22:00–06:00 includes Saturday 05:59.
 *
 * @example { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '18:00', timeZone: 'Europe/Berlin' }
 */
export interface TimeWindow {
  days: Weekday[]
  start: string
  end: string
  timeZone: string
}

/** Chats a Telegram bot may touch: numeric ids (`42`, `-1001234567890`) or public usernames (`@mychannel`). */
export interface TelegramConstraint {
  chatIds: Array<number | string>
}

/** Slack conversations (`C…`, `G…`, `D…` ids) and users (`U…`, `W…` ids) a call may name. */
export interface SlackConstraint {
  channels?: string[]
  users?: string[]
}

/** Microsoft Teams objects a Graph call may name; `tenantIds` also bounds the connection's own tenant. */
export interface TeamsConstraint {
  tenantIds?: string[]
  teamIds?: string[]
  channelIds?: string[]
  chatIds?: string[]
}

/**
 * Limits read from the request itself, per provider family. A policy that carries a family's
 * constraint refuses every call on a connection of another family, and every call whose target it
 * cannot read (see constraints.ts for what each checker reads).
 */
export interface ProviderConstraints {
  telegram?: TelegramConstraint
  slack?: SlackConstraint
  teams?: TeamsConstraint
}

/** Which constraint checker applies to a connection; `teams` covers every Microsoft Graph preset. */
export type ProviderFamily = keyof ProviderConstraints

/**
 * One agent's rights on one connection. Every field is on the wire as written here.
 *
 * @example
 * // A Telegram bot that may only post to one chat, on weekdays, Berlin office hours, with no approval:
 * const policy: Policy = {
 *   id: '5f0c…', connectionId: '9a1e…', agentId: 'c3d4…', agentName: 'Standup bot',
 *   defaultMode: 'read_write', stepUpApproval: 'never', allowedModels: ['B'],
 *   allowlists: [{ method: 'POST', path: '/sendMessage' }],
 *   rateLimits: [{ limit: 60, per: 'minute' }],
 *   timeWindows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '18:00', timeZone: 'Europe/Berlin' }],
 *   providerConstraints: { telegram: { chatIds: [42] } },
 *   createdAt: '2026-12-07T09:00:00.000Z', updatedAt: '2026-12-07T09:00:00.000Z',
 * }
 */
export interface Policy {
  id: string
  connectionId: string
  agentId: string
  agentName: string
  defaultMode: PolicyMode
  stepUpApproval: StepUpApproval
  /** A subset of `['A', 'B']`; `['B']` by default. */
  allowedModels: ExecutionModel[]
  /** Empty: no extra restriction. Otherwise a call must match one entry. */
  allowlists: AllowlistEntry[]
  /** `null`: no limit. Not decided by {@link decide}: the caller counts them (see rate-limits.ts). */
  rateLimits: RateLimit[] | null
  /** Empty: any time. Otherwise the call must fall inside one window. */
  timeWindows: TimeWindow[]
  providerConstraints: ProviderConstraints
  createdAt: string
  updatedAt: string
}

/** An endpoint a preset declares as a read although its method is not GET/HEAD (Slack's POST methods). */
export interface ReadEndpoint {
  method: string
  /** A glob, as in {@link HttpAllowlistEntry}. */
  path: string
}

/** What the decision needs to know about the connection and its preset. */
export interface ConnectionFacts {
  providerId: string
  /** The constraint checker that applies, or null for a provider with none. */
  family: ProviderFamily | null
  grantedScopes: string[]
  /** Scopes the preset declares read-only: a token carrying only these can be vended under read_only. */
  readOnlyScopes: string[]
  /** Endpoints the preset declares as reads besides GET/HEAD. */
  reads: ReadEndpoint[]
  /**
   * True for RPC-style APIs that run any method by GET too (Slack's Web API, Telegram's Bot API:
   * `GET /sendMessage?chat_id=1&text=hi` sends): then only `reads` are reads, GET or not.
   */
  readsOnlyDeclared?: boolean
  /** The Microsoft tenant of the connected account (its `metadata.tenantId`), for `teams.tenantIds`. */
  tenantId?: string | null
}

/** An HTTP request as the router will send it, relative to the provider's API base URL. */
export interface HttpRequest {
  method: string
  /** The path as sent, still percent-encoded, without the query. */
  path: string
  /** The raw query string, with or without its leading `?`. */
  query?: string
  /** The raw body bytes, exactly as they will be sent. */
  body?: Uint8Array | null
  contentType?: string | null
}

export interface TokenCall {
  model: 'A'
  connection: ConnectionFacts
}

export interface ProxyCall {
  model: 'B'
  kind: 'http'
  request: HttpRequest
  connection: ConnectionFacts
}

export interface ToolCall {
  model: 'B'
  kind: 'tool'
  tool: string
  annotations: { readOnly?: boolean; destructive?: boolean }
  /** The HTTP request the tool makes, when it makes one (a remote MCP tool does not): read by constraints. */
  request?: HttpRequest | null
  connection: ConnectionFacts
}

/**
 * Everything {@link decide} looks at about one call: which model, what it does, and the connection's
 * facts (from its record and its preset). The router builds it; the agent never writes one.
 *
 * @example
 * // POST /connections/:id/proxy/chat.postMessage, as the proxy hands it to decide:
 * const call: AgentCall = {
 *   model: 'B', kind: 'http',
 *   request: { method: 'POST', path: '/chat.postMessage', query: '', body: rawBody, contentType: 'application/json' },
 *   connection: {
 *     providerId: 'slack', family: 'slack', grantedScopes: ['chat:write'], readOnlyScopes: ['channels:history'],
 *     reads: [{ method: '*', path: '/conversations.*' }], readsOnlyDeclared: true,
 *   },
 * }
 * // A tool run: its slug and annotations, and the HTTP request it makes (for the constraints).
 * const run: AgentCall = { model: 'B', kind: 'tool', tool: 'create_issue', annotations: {}, request, connection }
 */
export type AgentCall = TokenCall | ProxyCall | ToolCall

export type DenyRule = 'allowed_models' | 'mode' | 'allowlist' | 'time_window' | 'provider_constraint'

/** The outcome: go ahead, refuse (403 `policy_denied` with `details: [{ rule, message }]`), or ask a human. */
export type Decision =
  | { outcome: 'allow' }
  | { outcome: 'deny'; rule: DenyRule; message: string }
  | { outcome: 'approve'; reason: string }
