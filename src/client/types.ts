/**
 * The wire types of the router, named: each is an alias into openapi.d.ts, which is generated from
 * the server's zod schemas (scripts/generate-client-types.ts), so a schema change reaches them.
 */
import type { components, paths } from './openapi.js'

type Schemas = components['schemas']
type Body<P extends keyof paths, M extends 'post' | 'put' | 'patch'> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer B } }
}
  ? B
  : never
type Query<P extends keyof paths> = paths[P]['get'] extends { parameters: { query?: infer Q } }
  ? NonNullable<Q>
  : never

export type Connection = Schemas['Connection']
export type Provider = Schemas['Provider']
export type PendingConnection = Schemas['PendingConnection']
export type AccessToken = Schemas['AccessToken']
export type RevokeResult = Schemas['RevokeResult']
export type AuditEntry = Schemas['AuditEntry']
export type CustomProvider = Schemas['CustomProvider']
export type Agent = Schemas['Agent']
export type AgentWithKey = Schemas['AgentWithKey']
export type Policy = Schemas['Policy']
export type Approval = Schemas['Approval']
export type TelegramConnected = Schemas['TelegramConnected']
/** A connection's tool and its state (`GET /connections/:id/tools`). */
export type ToolState = Schemas['Tool']
export type ToolRunResult = Schemas['ToolRunResult']
/** The router's error codes (`ConnectionsClientError.code` adds the client's own). */
export type ServerErrorCode = Schemas['Error']['error']['code']

export type StartInput = Body<'/connections/start', 'post'>
export type CredentialsInput = Body<'/connections', 'post'>
export type TelegramInput = Body<'/connections/telegram', 'post'>
export type ReauthInput = Body<'/connections/{id}/reauth', 'post'>
export type RevokeInput = Body<'/connections/{id}/revoke', 'post'>
export type CustomProviderInput = Body<'/custom-providers', 'post'>
export type PolicyInput = Body<'/policies', 'post'>
export type PolicyRulesInput = Body<'/policies/{id}', 'put'>
export type ProviderConstraintsInput = Body<'/policies/{id}/provider-constraints', 'put'>
/** `PATCH /connections/:id/tools/:slug`: each given field replaces the one stored. */
export type ToolPatch = Body<'/connections/{id}/tools/{slug}', 'patch'>

export type ConnectionListQuery = Query<'/connections'>
export type ConnectQuery = Query<'/connect/{provider}'>
export type AuditQuery = Query<'/audit'>
export type PolicyListQuery = Query<'/policies'>
export type ApprovalListQuery = Query<'/approvals'>

/** One page of the audit trail; `nextCursor` (null on the last page) fetches the next, older one. */
export interface AuditPage {
  entries: AuditEntry[]
  nextCursor: string | null
}

/**
 * What a call an agent's policy may hold for a human answers: its result, or (HTTP 202) the pending
 * approval to show the owner. Repeat the same call with `{ approvalId }` once it is approved.
 */
export type Gated<T> = { kind: 'done'; data: T } | { kind: 'approval'; approval: Approval }
