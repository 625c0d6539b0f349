import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decide } from '../../../src/policy/decide.js'
import type { HttpAllowlistEntry, TimeWindow, Weekday } from '../../../src/policy/model.js'
import {
  form,
  github,
  http,
  json,
  openPolicy,
  slackConnection,
  teamsConnection,
  telegramConnection,
  tool,
  wallClockByOffset,
} from './fixtures.js'

// Oracles written apart from src/policy: each says what the rule means, in the simplest way.
const DAYS: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']
const word = fc.constantFrom('repos', 'acme', 'api', 'issues', 'gists', 'x', 'users', '1')
const parts = fc.array(word, { maxLength: 5 })
const method = fc.constantFrom(...METHODS)
const instant = fc.date({
  min: new Date('2025-01-01T00:00:00Z'),
  max: new Date('2028-12-31T00:00:00Z'),
  noInvalidDate: true,
})
const now = new Date('2026-12-07T10:00:00Z')

interface Entry {
  method: string
  prefix: string[]
  deep: boolean // prefix/** when true, exactly prefix when false
}
const entry: fc.Arbitrary<Entry> = fc.record({
  method: fc.constantFrom('*', ...METHODS),
  prefix: parts,
  deep: fc.boolean(),
})
const asGlob = (e: Entry): HttpAllowlistEntry => ({
  method: e.method,
  path: e.deep ? `/${[...e.prefix, '**'].join('/')}` : `/${e.prefix.join('/')}`,
})
const oracleAllows = (entries: Entry[], m: string, path: string[]) =>
  entries.some(
    (e) =>
      (e.method === '*' || e.method === m) &&
      (e.deep
        ? e.prefix.every((p, i) => path[i] === p) && path.length >= e.prefix.length
        : e.prefix.length === path.length && e.prefix.every((p, i) => path[i] === p)),
  )

const hhmm = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
const window: fc.Arbitrary<TimeWindow> = fc
  .record({
    days: fc.subarray(DAYS, { minLength: 1 }),
    start: fc.integer({ min: 0, max: 23 * 60 + 59 }),
    length: fc.integer({ min: 1, max: 24 * 60 - 1 }),
    timeZone: fc.constantFrom('Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'UTC'),
  })
  .map(({ days, start, length, timeZone }) => ({
    days,
    start: hhmm(start),
    end: start + length === 24 * 60 ? '24:00' : hhmm((start + length) % (24 * 60)),
    timeZone,
  }))
// A window holds the minutes [start, start + length) from each listed day's local midnight on.
function oracleInside(w: TimeWindow, at: Date): boolean {
  const { day, minute } = wallClockByOffset(at, w.timeZone)
  const [sh, sm] = w.start.split(':').map(Number)
  const [eh, em] = w.end.split(':').map(Number)
  const start = (sh ?? 0) * 60 + (sm ?? 0)
  const end = (eh ?? 0) * 60 + (em ?? 0)
  const length = (end - start + 24 * 60) % (24 * 60) || 24 * 60
  const yesterday = DAYS[(DAYS.indexOf(day) + 6) % 7] as Weekday
  return (
    (w.days.includes(day) && minute >= start && minute < start + length) ||
    (w.days.includes(yesterday) && minute + 24 * 60 < start + length)
  )
}

describe('decide, as properties', () => {
  it('never allows a call outside the allowlist, and allows every call inside it', () => {
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 4 }), method, parts, (entries, m, path) => {
        const policy = openPolicy({ allowlists: entries.map(asGlob) })
        const decision = decide(policy, http(m, `/${path.join('/')}`), now)
        if (oracleAllows(entries, m, path)) expect(decision).toEqual({ outcome: 'allow' })
        else expect(decision).toMatchObject({ outcome: 'deny', rule: 'allowlist' })
      }),
    )
  })

  it('never allows a path that escapes a prefix by dot segments, encoded or not', () => {
    const dots = fc.constantFrom('..', '%2e%2e', '%2E%2e', '.%2e', '%2e.', '..;', '.', '%2e')
    fc.assert(
      fc.property(parts, dots, parts, method, (before, dot, after, m) => {
        const policy = openPolicy({ allowlists: [{ method: '*', path: '/repos/acme/**' }] })
        const path = `/${['repos', 'acme', ...before, dot, ...after].join('/')}`
        expect(decide(policy, http(m, path), now)).toMatchObject({ outcome: 'deny', rule: 'allowlist' })
      }),
    )
  })

  it('never allows a call outside every time window, and allows every call inside one', () => {
    fc.assert(
      fc.property(fc.array(window, { minLength: 1, maxLength: 3 }), instant, (windows, at) => {
        const decision = decide(openPolicy({ timeWindows: windows }), http('GET', '/user'), at)
        if (windows.some((w) => oracleInside(w, at))) expect(decision).toEqual({ outcome: 'allow' })
        else expect(decision).toMatchObject({ outcome: 'deny', rule: 'time_window' })
      }),
    )
  })

  it('never allows a Telegram call over its chat constraint, however the chat is sent; allows every one within', () => {
    const chat = fc.integer({ min: -1_000_000, max: 1_000_000 })
    const carrier = fc.constantFrom('json', 'json-string', 'form', 'query')
    fc.assert(
      fc.property(
        fc.uniqueArray(chat, { maxLength: 5 }),
        chat,
        carrier,
        method,
        (chatIds, target, how, m) => {
          const policy = openPolicy({ providerConstraints: { telegram: { chatIds } } })
          const request =
            how === 'json'
              ? json({ chat_id: target, text: 'hi' })
              : how === 'json-string'
                ? json({ chat_id: String(target), text: 'hi' })
                : how === 'form'
                  ? form(`chat_id=${target}&text=hi`)
                  : { query: `chat_id=${target}&text=hi` }
          const decision = decide(policy, http(m, '/sendMessage', telegramConnection, request), now)
          if (chatIds.includes(target)) expect(decision).toEqual({ outcome: 'allow' })
          else expect(decision).toMatchObject({ outcome: 'deny', rule: 'provider_constraint' })
        },
      ),
    )
  })

  it('never allows a Slack call naming a channel or user outside its constraint; allows every one inside', () => {
    const channel = fc.constantFrom('C0000001', 'C0000002', 'C0000003', 'G0000004', 'D0000005')
    const user = fc.constantFrom('U0000001', 'U0000002', 'W0000003')
    const carrier = fc.constantFrom('json', 'form', 'query')
    fc.assert(
      fc.property(
        fc.uniqueArray(channel),
        fc.uniqueArray(user),
        fc.oneof(channel, user),
        fc.uniqueArray(user, { maxLength: 2 }),
        carrier,
        (channels: string[], users: string[], target, invited, how) => {
          const policy = openPolicy({ providerConstraints: { slack: { channels, users } } })
          const params = { channel: target, ...(invited.length > 0 ? { users: invited.join(',') } : {}) }
          const request =
            how === 'json'
              ? json(params)
              : how === 'form'
                ? form(new URLSearchParams(params).toString())
                : { query: new URLSearchParams(params).toString() }
          const decision = decide(
            policy,
            http('POST', '/conversations.invite', slackConnection, request),
            now,
          )
          // A user id in `channel` opens a DM with that user.
          const inside =
            (/^[UW]/.test(target) ? users : channels).includes(target) &&
            invited.every((id) => users.includes(id))
          if (inside) expect(decision).toEqual({ outcome: 'allow' })
          else expect(decision).toMatchObject({ outcome: 'deny', rule: 'provider_constraint' })
        },
      ),
    )
  })

  it('never allows a Graph call on a Teams channel or chat outside its constraint; allows every one inside', () => {
    const team = fc.constantFrom(
      '11111111-0000-0000-0000-000000000001',
      '11111111-0000-0000-0000-000000000002',
    )
    const channel = fc.constantFrom('19:a@thread.tacv2', '19:b@thread.tacv2')
    const chat = fc.constantFrom('19:x@thread.v2', '19:y@thread.v2')
    const target = fc.oneof(
      fc
        .record({ team, channel })
        .map((t) => ({ ...t, path: `/teams/${t.team}/channels/${encodeURIComponent(t.channel)}/messages` })),
      chat.map((c) => ({ chat: c, path: `/chats/${encodeURIComponent(c)}/messages` })),
    )
    fc.assert(
      fc.property(fc.uniqueArray(team), fc.uniqueArray(chat), target, (teamIds, chatIds, t) => {
        const policy = openPolicy({ providerConstraints: { teams: { teamIds, chatIds } } })
        const decision = decide(
          policy,
          http('POST', t.path, teamsConnection, json({ body: { content: 'hi' } })),
          now,
        )
        const inside = 'chat' in t ? chatIds.includes(t.chat) : teamIds.includes(t.team)
        if (inside) expect(decision).toEqual({ outcome: 'allow' })
        else expect(decision).toMatchObject({ outcome: 'deny', rule: 'provider_constraint' })
      }),
    )
  })

  it('never allows a write under read_only, and allows every read', () => {
    const annotations = fc.record({
      readOnly: fc.option(fc.boolean(), { nil: undefined }),
      destructive: fc.option(fc.boolean(), { nil: undefined }),
    })
    fc.assert(
      fc.property(method, parts, annotations, (m, path, a) => {
        const policy = openPolicy({ defaultMode: 'read_only' })
        const request = decide(policy, http(m, `/${path.join('/')}`), now)
        if (m === 'GET' || m === 'HEAD') expect(request).toEqual({ outcome: 'allow' })
        else expect(request).toMatchObject({ outcome: 'deny', rule: 'mode' })
        const run = decide(policy, tool('some_tool', a), now)
        if (a.readOnly === true && a.destructive !== true) expect(run).toEqual({ outcome: 'allow' })
        else expect(run).toMatchObject({ outcome: 'deny', rule: 'mode' })
      }),
    )
  })

  it('never vends a token under read_only unless every granted scope is declared read-only', () => {
    const scope = fc.constantFrom('read:user', 'read:org', 'repo', 'admin:org', 'gist')
    fc.assert(
      fc.property(fc.uniqueArray(scope, { maxLength: 5 }), (grantedScopes) => {
        const policy = openPolicy({ defaultMode: 'read_only' })
        const decision = decide(policy, { model: 'A', connection: { ...github, grantedScopes } }, now)
        const readOnly =
          grantedScopes.length > 0 && grantedScopes.every((s) => github.readOnlyScopes.includes(s))
        if (readOnly) expect(decision).toEqual({ outcome: 'allow' })
        else expect(decision).toMatchObject({ outcome: 'deny', rule: 'mode' })
      }),
    )
  })

  it('with every rule at once, allows exactly what every oracle allows, and otherwise names the first refusal', () => {
    fc.assert(
      fc.property(
        fc.array(entry, { maxLength: 3 }),
        fc.array(window, { maxLength: 2 }),
        fc.constantFrom('read_only' as const, 'read_write' as const),
        method,
        parts,
        instant,
        (entries, windows, mode, m, path, at) => {
          const policy = openPolicy({
            allowlists: entries.map(asGlob),
            timeWindows: windows,
            defaultMode: mode,
          })
          const failing = [
            mode === 'read_only' && m !== 'GET' && m !== 'HEAD' ? 'mode' : null,
            entries.length > 0 && !oracleAllows(entries, m, path) ? 'allowlist' : null,
            windows.length > 0 && !windows.some((w) => oracleInside(w, at)) ? 'time_window' : null,
          ].filter((rule) => rule !== null)
          const decision = decide(policy, http(m, `/${path.join('/')}`), at)
          if (failing.length === 0) expect(decision).toEqual({ outcome: 'allow' })
          else expect(decision).toMatchObject({ outcome: 'deny', rule: failing[0] })
        },
      ),
    )
  })
})
