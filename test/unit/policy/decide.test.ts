import { describe, expect, it } from 'vitest'
import { decide } from '../../../src/policy/decide.js'
import type { AgentCall, Policy } from '../../../src/policy/model.js'
import { rateLimitsOf, windowMs } from '../../../src/policy/rate-limits.js'
import { github, http, json, NOW, openPolicy, slackConnection, telegramConnection, tool } from './fixtures.js'

const allow = { outcome: 'allow' }
const denied = (rule: string) =>
  expect.objectContaining({ outcome: 'deny', rule, message: expect.any(String) })
const approval = expect.objectContaining({ outcome: 'approve', reason: expect.any(String) })
const token = (connection = github): AgentCall => ({ model: 'A', connection })
const readOnlyToken = token({ ...github, grantedScopes: ['read:user'] })

describe('decide: allowed_models', () => {
  it.each<[string, Policy['allowedModels'], AgentCall, unknown]>([
    ['B only refuses token vending', ['B'], token(), denied('allowed_models')],
    ['B only allows the proxy', ['B'], http('GET', '/user'), allow],
    ['B only allows tools', ['B'], tool('list_issues', { readOnly: true }), allow],
    ['A only refuses the proxy', ['A'], http('GET', '/user'), denied('allowed_models')],
    ['A only refuses tools', ['A'], tool('list_issues', { readOnly: true }), denied('allowed_models')],
    ['A only allows token vending', ['A'], token(), allow],
  ])('%s', (_, allowedModels, call, expected) => {
    expect(decide(openPolicy({ allowedModels }), call, NOW)).toEqual(expected)
  })
})

describe('decide: mode (read_only)', () => {
  const readOnly = openPolicy({ defaultMode: 'read_only' })
  it.each<[string, AgentCall, unknown]>([
    ['GET reads', http('GET', '/repos/acme/api'), allow],
    ['HEAD reads', http('HEAD', '/repos/acme/api'), allow],
    ['POST writes', http('POST', '/repos/acme/api/issues'), denied('mode')],
    ['PUT writes', http('PUT', '/repos/acme/api/topics'), denied('mode')],
    ['PATCH writes', http('PATCH', '/repos/acme/api'), denied('mode')],
    ['DELETE writes', http('DELETE', '/repos/acme/api'), denied('mode')],
    ['a lower-case get reads', http('get', '/user'), allow],
    [
      'Slack conversations.history by POST is a declared read',
      http('POST', '/conversations.history', slackConnection),
      allow,
    ],
    [
      'Slack chat.postMessage by POST writes',
      http('POST', '/chat.postMessage', slackConnection),
      denied('mode'),
    ],
    [
      'Slack chat.postMessage by GET still writes (the Web API runs it)',
      http('GET', '/chat.postMessage', slackConnection),
      denied('mode'),
    ],
    [
      'Telegram sendMessage by GET still writes',
      http('GET', '/sendMessage', telegramConnection),
      denied('mode'),
    ],
    ['Telegram getChat is a declared read', http('POST', '/getChat', telegramConnection), allow],
    ['a tool annotated readOnly reads', tool('list_issues', { readOnly: true }), allow],
    ['a tool without annotations writes', tool('create_issue'), denied('mode')],
    [
      'a tool annotated readOnly and destructive writes',
      tool('purge', { readOnly: true, destructive: true }),
      denied('mode'),
    ],
    ['a token with only read-only scopes', readOnlyToken, allow],
    ['a token with a write scope', token(), denied('mode')],
    ['a token with no scopes at all (a bot token)', token(telegramConnection), denied('mode')],
  ])('%s', (_, call, expected) => {
    expect(decide(readOnly, call, NOW)).toEqual(expected)
  })
})

describe('decide: allowlist', () => {
  const policy = openPolicy({
    allowlists: [
      { method: 'GET', path: '/repos/acme/*' },
      { method: '*', path: '/gists/**' },
      { tool: 'create_issue' },
    ],
  })
  it.each<[string, AgentCall, unknown]>([
    ['GET inside a glob', http('GET', '/repos/acme/api'), allow],
    ['POST where only GET is listed', http('POST', '/repos/acme/api'), denied('allowlist')],
    ['one segment too deep for *', http('GET', '/repos/acme/api/issues'), denied('allowlist')],
    ['another org', http('GET', '/repos/other/api'), denied('allowlist')],
    ['an escape by encoded dots', http('GET', '/repos/acme/%2e%2e/other'), denied('allowlist')],
    ['an escape by dots', http('GET', '/repos/acme/../other'), denied('allowlist')],
    ['anything under /gists/**', http('DELETE', '/gists/1/star'), allow],
    ['a listed tool', tool('create_issue'), allow],
    ['an unlisted tool', tool('delete_repo'), denied('allowlist')],
    ['a vended token (it could call anything)', token(), denied('allowlist')],
  ])('%s', (_, call, expected) => {
    expect(decide(policy, call, NOW)).toEqual(expected)
  })
})

describe('decide: time_window', () => {
  const policy = openPolicy({
    timeWindows: [
      { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '18:00', timeZone: 'Europe/Berlin' },
    ],
  })
  it.each([
    ['Monday 11:00 Berlin', '2026-12-07T10:00:00Z', allow],
    ['Monday 08:59 Berlin', '2026-12-07T07:59:00Z', denied('time_window')],
    ['Saturday 11:00 Berlin', '2026-12-05T10:00:00Z', denied('time_window')],
  ])('%s', (_, iso, expected) => {
    expect(decide(policy, http('GET', '/user'), new Date(iso))).toEqual(expected)
    expect(decide({ ...policy, allowedModels: ['A'] }, readOnlyToken, new Date(iso))).toEqual(expected)
  })
})

describe('decide: provider_constraint', () => {
  const policy = openPolicy({ providerConstraints: { telegram: { chatIds: [42] } } })
  it.each<[string, AgentCall, unknown]>([
    [
      'the allowed chat',
      http('POST', '/sendMessage', telegramConnection, json({ chat_id: 42, text: 'hi' })),
      allow,
    ],
    [
      'another chat',
      http('POST', '/sendMessage', telegramConnection, json({ chat_id: 43, text: 'hi' })),
      denied('provider_constraint'),
    ],
    ['a vended token', token(telegramConnection), denied('provider_constraint')],
  ])('%s', (_, call, expected) => {
    expect(decide(policy, call, NOW)).toEqual(expected)
  })
})

describe('decide: step-up approval', () => {
  it.each<[string, Policy['stepUpApproval'], AgentCall, unknown]>([
    ['never: a write runs', 'never', http('POST', '/repos/acme/api/issues'), allow],
    ['never: a DELETE runs', 'never', http('DELETE', '/repos/acme/api'), allow],
    ['risk_based: a read runs', 'risk_based', http('GET', '/user'), allow],
    ['risk_based: a write waits', 'risk_based', http('POST', '/repos/acme/api/issues'), approval],
    ['risk_based: a DELETE waits', 'risk_based', http('DELETE', '/repos/acme/api'), approval],
    [
      'risk_based: a declared read by POST runs',
      'risk_based',
      http('POST', '/conversations.history', slackConnection),
      allow,
    ],
    ['risk_based: a read-only tool runs', 'risk_based', tool('list_issues', { readOnly: true }), allow],
    [
      'risk_based: a destructive tool waits',
      'risk_based',
      tool('delete_repo', { destructive: true }),
      approval,
    ],
    ['risk_based: a token that can write waits', 'risk_based', token(), approval],
    ['risk_based: a read-only token runs', 'risk_based', readOnlyToken, allow],
    ['always: a read waits', 'always', http('GET', '/user'), approval],
    ['always: a read-only token waits', 'always', readOnlyToken, approval],
  ])('%s', (_, stepUpApproval, call, expected) => {
    expect(decide(openPolicy({ stepUpApproval }), call, NOW)).toEqual(expected)
  })
})

describe('decide: the order of the rules', () => {
  it('answers with the first rule that refuses: models, mode, allowlist, time window, constraints', () => {
    const strict = openPolicy({
      allowedModels: ['B'],
      defaultMode: 'read_only',
      allowlists: [{ method: 'GET', path: '/getChat' }],
      timeWindows: [{ days: ['sat'], start: '09:00', end: '10:00', timeZone: 'UTC' }],
      providerConstraints: { telegram: { chatIds: [42] } },
      stepUpApproval: 'always',
    })
    const write = http('POST', '/sendMessage', telegramConnection, json({ chat_id: 7 }))
    expect(decide(strict, token(telegramConnection), NOW)).toEqual(denied('allowed_models'))
    expect(decide(strict, write, NOW)).toEqual(denied('mode'))
    const read = (path: string, chat: number) =>
      http('GET', path, telegramConnection, { query: `chat_id=${chat}` })
    expect(decide(strict, read('/getChatMember', 7), NOW)).toEqual(denied('allowlist'))
    expect(decide(strict, read('/getChat', 7), NOW)).toEqual(denied('time_window'))
    const saturday = new Date('2026-12-05T09:30:00Z')
    expect(decide(strict, read('/getChat', 7), saturday)).toEqual(denied('provider_constraint'))
    expect(decide(strict, read('/getChat', 42), saturday)).toEqual(approval)
    expect(decide({ ...strict, stepUpApproval: 'never' }, read('/getChat', 42), saturday)).toEqual(allow)
  })
})

describe('rate limits', () => {
  it('are not decided, but handed to the caller to count', () => {
    const limited = openPolicy({ rateLimits: [{ limit: 1, per: 'minute' }] })
    expect(decide(limited, http('GET', '/user'), NOW)).toEqual(allow)
    expect(rateLimitsOf(limited)).toEqual([{ limit: 1, per: 'minute' }])
    expect(rateLimitsOf(openPolicy())).toEqual([])
    expect([windowMs('second'), windowMs('minute'), windowMs('hour'), windowMs('day')]).toEqual([
      1000, 60_000, 3_600_000, 86_400_000,
    ])
  })
})
