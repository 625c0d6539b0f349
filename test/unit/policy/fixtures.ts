import type {
  ConnectionFacts,
  HttpRequest,
  Policy,
  ProxyCall,
  ToolCall,
  Weekday,
} from '../../../src/policy/model.js'

/** A policy that allows everything, to be narrowed by each test. */
export function openPolicy(rules: Partial<Policy> = {}): Policy {
  return {
    id: '2f3b5a4e-6f1d-4c59-9d0e-6d1f6c0b9a01',
    connectionId: '9a1e7c52-0f4b-4c1a-8d3e-2b7f4e6a1c90',
    agentId: 'c3d41e2a-5b6c-4d7e-8f90-a1b2c3d4e5f6',
    agentName: 'Test agent',
    defaultMode: 'read_write',
    stepUpApproval: 'never',
    allowedModels: ['A', 'B'],
    allowlists: [],
    rateLimits: null,
    timeWindows: [],
    providerConstraints: {},
    createdAt: '2026-12-07T09:00:00.000Z',
    updatedAt: '2026-12-07T09:00:00.000Z',
    ...rules,
  }
}

export const github: ConnectionFacts = {
  providerId: 'github',
  family: null,
  grantedScopes: ['repo', 'read:user'],
  readOnlyScopes: ['read:user', 'read:org'],
  reads: [],
}

// Slack's Web API reads are POSTs, and it runs any method by GET too.
export const slackConnection: ConnectionFacts = {
  providerId: 'slack',
  family: 'slack',
  grantedScopes: ['channels:read', 'chat:write'],
  readOnlyScopes: ['channels:read', 'channels:history', 'users:read'],
  reads: [
    { method: '*', path: '/conversations.*' },
    { method: '*', path: '/users.*' },
    { method: '*', path: '/auth.test' },
  ],
  readsOnlyDeclared: true,
}

export const telegramConnection: ConnectionFacts = {
  providerId: 'telegram',
  family: 'telegram',
  grantedScopes: [],
  readOnlyScopes: [],
  reads: [{ method: '*', path: '/get*' }],
  readsOnlyDeclared: true,
}

export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47'
export const teamsConnection: ConnectionFacts = {
  providerId: 'teams',
  family: 'teams',
  grantedScopes: ['ChannelMessage.Send', 'Chat.ReadWrite'],
  readOnlyScopes: ['ChannelMessage.Read.All', 'Chat.Read'],
  reads: [],
  tenantId: TENANT,
}

export function http(
  method: string,
  path: string,
  connection: ConnectionFacts = github,
  extra: Partial<HttpRequest> = {},
): ProxyCall {
  return { model: 'B', kind: 'http', request: { method, path, ...extra }, connection }
}

export function json(value: unknown): Pick<HttpRequest, 'body' | 'contentType'> {
  return { body: Buffer.from(JSON.stringify(value)), contentType: 'application/json' }
}

export function form(value: string): Pick<HttpRequest, 'body' | 'contentType'> {
  return { body: Buffer.from(value), contentType: 'application/x-www-form-urlencoded' }
}

export function tool(
  slug: string,
  annotations: ToolCall['annotations'] = {},
  connection: ConnectionFacts = github,
  request?: HttpRequest,
): ToolCall {
  return { model: 'B', kind: 'tool', tool: slug, annotations, request: request ?? null, connection }
}

export const NOW = new Date('2026-12-07T10:00:00Z') // a Monday

const DAYS: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']

/**
 * An oracle for the wall clock of a zone, computed apart from src/policy: UTC shifted by the offset
 * Intl names for that instant (`GMT+02:00`).
 */
export function wallClockByOffset(at: Date, timeZone: string): { day: Weekday; minute: number } {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value
  const match = /GMT([+-])(\d\d):(\d\d)/.exec(name ?? '')
  const offset = match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0
  const local = new Date(at.getTime() + offset * 60_000)
  return { day: DAYS[local.getUTCDay()] as Weekday, minute: local.getUTCHours() * 60 + local.getUTCMinutes() }
}
