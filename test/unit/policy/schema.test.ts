import { describe, expect, it } from 'vitest'
import { policyInput, policyRules, providerConstraints } from '../../../src/policy/schema.js'

const CONNECTION = '9a1e7c52-0f4b-4c1a-8d3e-2b7f4e6a1c90'
const errorsOf = (value: unknown) => {
  const result = policyRules.safeParse(value)
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
}

describe('policy schema (POST /policies)', () => {
  it('fills the defaults: read_only, risk_based, model B only, no other restriction', () => {
    expect(policyInput.parse({ connectionId: CONNECTION, agentId: 'agent-1' })).toEqual({
      connectionId: CONNECTION,
      agentId: 'agent-1',
      defaultMode: 'read_only',
      stepUpApproval: 'risk_based',
      allowedModels: ['B'],
      allowlists: [],
      rateLimits: null,
      timeWindows: [],
      providerConstraints: {},
    })
  })

  it('takes the README example: a Telegram bot limited to one chat in office hours', () => {
    const parsed = policyRules.parse({
      defaultMode: 'read_write',
      stepUpApproval: 'never',
      allowlists: [{ method: 'post', path: '/sendMessage' }, { tool: 'send_message' }],
      rateLimits: [
        { limit: 60, per: 'minute' },
        { limit: 1000, per: 'day' },
      ],
      timeWindows: [{ days: ['mon', 'fri'], start: '09:00', end: '18:00', timeZone: 'Europe/Berlin' }],
      providerConstraints: { telegram: { chatIds: [42, '@acme_news', '-1001234567890'] } },
    })
    expect(parsed.allowlists[0]).toEqual({ method: 'POST', path: '/sendMessage' })
  })

  it.each<[string, unknown, RegExp]>([
    [
      'an unknown time zone',
      { timeWindows: [{ days: ['mon'], start: '09:00', end: '18:00', timeZone: 'Europe/Atlantis' }] },
      /timeWindows.0.timeZone: must be an IANA/,
    ],
    [
      'a clock that is not HH:MM',
      { timeWindows: [{ days: ['mon'], start: '9:00', end: '18:00', timeZone: 'UTC' }] },
      /start/,
    ],
    [
      '24:00 as a start',
      { timeWindows: [{ days: ['mon'], start: '24:00', end: '06:00', timeZone: 'UTC' }] },
      /start/,
    ],
    [
      'an empty window',
      { timeWindows: [{ days: ['mon'], start: '09:00', end: '09:00', timeZone: 'UTC' }] },
      /must differ/,
    ],
    ['no days', { timeWindows: [{ days: [], start: '09:00', end: '18:00', timeZone: 'UTC' }] }, /days/],
    [
      'a day twice',
      { timeWindows: [{ days: ['mon', 'mon'], start: '09:00', end: '18:00', timeZone: 'UTC' }] },
      /repeat/,
    ],
    [
      'a path with a dot segment',
      { allowlists: [{ method: 'GET', path: '/repos/../x' }] },
      /allowlists.0.path/,
    ],
    [
      'a path with an encoded slash',
      { allowlists: [{ method: 'GET', path: '/repos/a%2fb' }] },
      /allowlists.0.path/,
    ],
    ['a relative path', { allowlists: [{ method: 'GET', path: 'repos' }] }, /allowlists.0.path/],
    ['** inside a segment', { allowlists: [{ method: 'GET', path: '/repos/a**' }] }, /allowlists.0.path/],
    ['a method that is not one', { allowlists: [{ method: 'GET /x', path: '/x' }] }, /allowlists.0.method/],
    ['an entry that is both', { allowlists: [{ method: 'GET', path: '/x', tool: 'y' }] }, /allowlists.0/],
    ['a model that is not A or B', { allowedModels: ['C'] }, /allowedModels/],
    ['no model', { allowedModels: [] }, /allowedModels/],
    [
      'a misspelt constraint (an ignored rule would allow more)',
      { providerConstraints: { telegram: { chatID: [42] } } },
      /providerConstraints/,
    ],
    [
      'constraints for two families',
      { providerConstraints: { telegram: { chatIds: [1] }, slack: { channels: ['C1'] } } },
      /one provider family/,
    ],
    ['a Slack constraint listing nothing', { providerConstraints: { slack: {} } }, /channels or users/],
    [
      'a chat id that is neither a number nor an @username',
      { providerConstraints: { telegram: { chatIds: ['general'] } } },
      /chatIds/,
    ],
    ['a zero rate limit', { rateLimits: [{ limit: 0, per: 'minute' }] }, /rateLimits/],
    [
      'a window repeated',
      {
        rateLimits: [
          { limit: 1, per: 'minute' },
          { limit: 2, per: 'minute' },
        ],
      },
      /repeat/,
    ],
    ['an unknown rule', { defaultMode: 'read_only', mode: 'x' }, /Unrecognized key/],
  ])('refuses %s', (_, value, message) => {
    expect(errorsOf(value).join('\n')).toMatch(message)
  })

  it('takes Slack and Teams constraints on their own (PUT /policies/:id/provider-constraints)', () => {
    expect(providerConstraints.parse({ slack: { channels: ['C0123ABCD'] } })).toEqual({
      slack: { channels: ['C0123ABCD'] },
    })
    expect(
      providerConstraints.parse({ teams: { teamIds: ['fbe2bf47-16c8-47cf-b4a5-4b9b187c508b'] } }),
    ).toBeDefined()
    expect(providerConstraints.safeParse({ teams: {} }).success).toBe(false)
  })
})
