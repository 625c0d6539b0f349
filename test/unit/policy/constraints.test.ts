import { describe, expect, it } from 'vitest'
import { checkConstraints } from '../../../src/policy/constraints.js'
import type { HttpRequest, ProviderConstraints } from '../../../src/policy/model.js'
import { repeatsAKey } from '../../../src/policy/request-body.js'
import {
  form,
  github,
  http,
  json,
  slackConnection,
  TENANT,
  teamsConnection,
  telegramConnection,
  tool,
} from './fixtures.js'

const ok = null
const refused = expect.any(String)

describe('Telegram chatIds (Bot API: https://core.telegram.org/bots/api#making-requests)', () => {
  const limit: ProviderConstraints = { telegram: { chatIds: [42, -1001234567890, '@acme_news'] } }
  const check = (request: HttpRequest) =>
    checkConstraints(limit, http(request.method, request.path, telegramConnection, request))

  it.each<[string, HttpRequest, string | null]>([
    [
      'sendMessage, JSON, the allowed chat',
      { method: 'POST', path: '/sendMessage', ...json({ chat_id: 42, text: 'hi' }) },
      ok,
    ],
    [
      'sendMessage, JSON, the chat id as a string',
      { method: 'POST', path: '/sendMessage', ...json({ chat_id: '42', text: 'hi' }) },
      ok,
    ],
    [
      'sendMessage, JSON, another chat',
      { method: 'POST', path: '/sendMessage', ...json({ chat_id: 43, text: 'hi' }) },
      refused,
    ],
    ['sendMessage, form body', { method: 'POST', path: '/sendMessage', ...form('chat_id=42&text=hi') }, ok],
    [
      'sendMessage, form body, another chat',
      { method: 'POST', path: '/sendMessage', ...form('chat_id=43&text=hi') },
      refused,
    ],
    [
      'sendMessage, form body, the chat twice',
      { method: 'POST', path: '/sendMessage', ...form('chat_id=42&chat_id=43') },
      refused,
    ],
    [
      'sendMessage by GET with a query',
      { method: 'GET', path: '/sendMessage', query: '?chat_id=42&text=hi' },
      ok,
    ],
    [
      'sendMessage by GET, another chat',
      { method: 'GET', path: '/sendMessage', query: 'chat_id=7&text=hi' },
      refused,
    ],
    [
      'query allowed but body not',
      { method: 'POST', path: '/sendMessage', query: 'chat_id=42', ...json({ chat_id: 7 }) },
      refused,
    ],
    [
      'a supergroup id',
      { method: 'POST', path: '/sendMessage', ...json({ chat_id: -1001234567890, text: 'x' }) },
      ok,
    ],
    [
      'a channel username, any case',
      { method: 'POST', path: '/sendMessage', ...json({ chat_id: '@ACME_news', text: 'x' }) },
      ok,
    ],
    [
      'another channel username',
      { method: 'POST', path: '/sendMessage', ...json({ chat_id: '@other_news', text: 'x' }) },
      refused,
    ],
    [
      'forwardMessage from a chat not allowed',
      { method: 'POST', path: '/forwardMessage', ...json({ chat_id: 42, from_chat_id: 7, message_id: 1 }) },
      refused,
    ],
    [
      'copyMessage between allowed chats',
      {
        method: 'POST',
        path: '/copyMessage',
        ...json({ chat_id: 42, from_chat_id: '@acme_news', message_id: 1 }),
      },
      ok,
    ],
    [
      'a reply quoting another chat (JSON)',
      {
        method: 'POST',
        path: '/sendMessage',
        ...json({ chat_id: 42, text: 'x', reply_parameters: { message_id: 1, chat_id: 7 } }),
      },
      refused,
    ],
    [
      'a reply quoting another chat (form, embedded JSON)',
      {
        method: 'POST',
        path: '/sendMessage',
        ...form(`chat_id=42&reply_parameters=${encodeURIComponent('{"message_id":1,"chat_id":7}')}`),
      },
      refused,
    ],
    [
      'a chat key in another case',
      { method: 'POST', path: '/sendMessage', ...json({ chat_id: 42, Chat_Id: 7 }) },
      refused,
    ],
    [
      'embedded JSON that repeats chat_id',
      {
        method: 'POST',
        path: '/sendMessage',
        ...form(`chat_id=42&reply_parameters=${encodeURIComponent('{"chat_id":7,"chat_id":42}')}`),
      },
      refused,
    ],
    [
      'embedded JSON that does not parse',
      {
        method: 'POST',
        path: '/sendMessage',
        ...form(`chat_id=42&reply_parameters=${encodeURIComponent('{"chat_id":7')}`),
      },
      refused,
    ],
    [
      'a body nested too deep for recursion',
      {
        method: 'POST',
        path: '/sendMessage',
        body: Buffer.from(`{"chat_id":42,"x":${'['.repeat(200_000)}${']'.repeat(200_000)}}`),
        contentType: 'application/json',
      },
      ok,
    ],
    [
      'a chat hidden deep in a body',
      {
        method: 'POST',
        path: '/sendMessage',
        body: Buffer.from(`{"chat_id":42,"x":${'['.repeat(50_000)}{"chat_id":7}${']'.repeat(50_000)}}`),
        contentType: 'application/json',
      },
      refused,
    ],
    ['getMe names no chat and touches none', { method: 'GET', path: '/getMe' }, ok],
    ['getUpdates names no chat but reads them all', { method: 'GET', path: '/getUpdates' }, refused],
    ['a chat id as a float', { method: 'POST', path: '/sendMessage', ...json({ chat_id: 42.5 }) }, refused],
    [
      'a chat id as an object',
      { method: 'POST', path: '/sendMessage', ...json({ chat_id: { id: 42 } }) },
      refused,
    ],
    [
      'multipart (sendPhoto upload) cannot be read',
      {
        method: 'POST',
        path: '/sendPhoto',
        body: Buffer.from('--x\r\n'),
        contentType: 'multipart/form-data; boundary=x',
      },
      refused,
    ],
    [
      'a body with no content type',
      { method: 'POST', path: '/sendMessage', body: Buffer.from('{"chat_id":42}') },
      refused,
    ],
    [
      'JSON that does not parse',
      {
        method: 'POST',
        path: '/sendMessage',
        body: Buffer.from('{"chat_id":42'),
        contentType: 'application/json',
      },
      refused,
    ],
    [
      'JSON that repeats chat_id',
      {
        method: 'POST',
        path: '/sendMessage',
        body: Buffer.from('{"chat_id":42,"chat_id":7}'),
        contentType: 'application/json',
      },
      refused,
    ],
    [
      'JSON that repeats chat_id, escaped',
      {
        method: 'POST',
        path: '/sendMessage',
        body: Buffer.from('{"chat_id":7,"chat\\u005fid":42}'),
        contentType: 'application/json',
      },
      refused,
    ],
    [
      'a body that is not UTF-8',
      {
        method: 'POST',
        path: '/sendMessage',
        body: Uint8Array.from([0xff, 0xfe]),
        contentType: 'application/json',
      },
      refused,
    ],
    ['a JSON array body', { method: 'POST', path: '/sendMessage', ...json([{ chat_id: 42 }]) }, refused],
  ])('%s', (_, request, expected) => {
    expect(check(request)).toEqual(expected)
  })
})

describe('Slack channels and users (Web API: https://docs.slack.dev/apis/web-api/)', () => {
  const limit: ProviderConstraints = { slack: { channels: ['C0123ABCD'], users: ['U0KRQLJ9H'] } }
  const channelsOnly: ProviderConstraints = { slack: { channels: ['C0123ABCD'] } }
  const check = (request: HttpRequest, c = limit) =>
    checkConstraints(c, http(request.method, request.path, slackConnection, request))

  it.each<[string, HttpRequest, string | null]>([
    [
      'chat.postMessage, JSON',
      { method: 'POST', path: '/chat.postMessage', ...json({ channel: 'C0123ABCD', text: 'hi' }) },
      ok,
    ],
    [
      'chat.postMessage, JSON, another channel',
      { method: 'POST', path: '/chat.postMessage', ...json({ channel: 'C9999ZZZZ', text: 'hi' }) },
      refused,
    ],
    [
      'chat.postMessage, form',
      { method: 'POST', path: '/chat.postMessage', ...form('channel=C0123ABCD&text=hi') },
      ok,
    ],
    [
      'chat.postMessage, form, another channel',
      { method: 'POST', path: '/chat.postMessage', ...form('channel=C9999ZZZZ&text=hi') },
      refused,
    ],
    [
      'chat.postMessage by GET with a query',
      { method: 'GET', path: '/chat.postMessage', query: 'channel=C9999ZZZZ&text=hi' },
      refused,
    ],
    [
      'conversations.history, form',
      { method: 'POST', path: '/conversations.history', ...form('channel=C0123ABCD&limit=10') },
      ok,
    ],
    [
      'conversations.history, query',
      { method: 'GET', path: '/conversations.history', query: 'channel=C0123ABCD' },
      ok,
    ],
    [
      'a DM by user id in channel',
      { method: 'POST', path: '/chat.postMessage', ...json({ channel: 'U0KRQLJ9H', text: 'hi' }) },
      ok,
    ],
    [
      'a DM to another user',
      { method: 'POST', path: '/chat.postMessage', ...json({ channel: 'U0OTHER00', text: 'hi' }) },
      refused,
    ],
    ['users.info for the allowed user', { method: 'GET', path: '/users.info', query: 'user=U0KRQLJ9H' }, ok],
    [
      'conversations.invite, a list with one user too many',
      {
        method: 'POST',
        path: '/conversations.invite',
        ...form('channel=C0123ABCD&users=U0KRQLJ9H,U0OTHER00'),
      },
      refused,
    ],
    [
      'conversations.open, a JSON array of users',
      { method: 'POST', path: '/conversations.open', ...json({ users: ['U0KRQLJ9H'] }) },
      ok,
    ],
    [
      'files.completeUploadExternal, channel_id',
      {
        method: 'POST',
        path: '/files.completeUploadExternal',
        ...json({ files: [], channel_id: 'C9999ZZZZ' }),
      },
      refused,
    ],
    [
      'a channel key in another case',
      { method: 'POST', path: '/chat.postMessage', ...form('channel=C0123ABCD&Channel=C9999ZZZZ') },
      refused,
    ],
    ['conversations.list names nothing', { method: 'GET', path: '/conversations.list' }, refused],
    ['auth.test names nothing', { method: 'POST', path: '/auth.test' }, refused],
    [
      'a channel given as a number',
      { method: 'POST', path: '/chat.postMessage', ...json({ channel: 1, text: 'hi' }) },
      refused,
    ],
    [
      'a repeated channel key in JSON',
      {
        method: 'POST',
        path: '/chat.postMessage',
        body: Buffer.from('{"channel":"C0123ABCD","channel":"C9999ZZZZ"}'),
        contentType: 'application/json; charset=utf-8',
      },
      refused,
    ],
  ])('%s', (_, request, expected) => {
    expect(check(request)).toEqual(expected)
  })

  it('refuses users when the constraint lists only channels (a kind not listed is not allowed)', () => {
    const dm = { method: 'POST', path: '/chat.postMessage', ...json({ channel: 'U0KRQLJ9H', text: 'hi' }) }
    expect(check(dm, channelsOnly)).toEqual(refused)
    expect(check({ ...dm, ...json({ channel: 'C0123ABCD' }) }, channelsOnly)).toBeNull()
  })
})

describe('Microsoft Teams over Graph (https://learn.microsoft.com/en-us/graph/api/resources/teams-api-overview)', () => {
  const TEAM = 'fbe2bf47-16c8-47cf-b4a5-4b9b187c508b'
  const CHANNEL = '19:4a95f7d8db4c4e7fae857bcebe0623e6@thread.tacv2'
  const CHAT = '19:8b081ef6-4792-4def-b2c9-c363a1bf41d5_5031bb31-22c0-4f6f-9f73-91d34ab2b32d@unq.gbl.spaces'
  const check = (c: ProviderConstraints, request: HttpRequest, connection = teamsConnection) =>
    checkConstraints(c, http(request.method, request.path, connection, request))
  const message = json({ body: { content: 'Hello World' } })
  const channelPath = `/teams/${TEAM}/channels/${encodeURIComponent(CHANNEL)}/messages`

  it.each<[string, ProviderConstraints, HttpRequest, string | null]>([
    [
      'a channel message in the allowed team',
      { teams: { teamIds: [TEAM] } },
      { method: 'POST', path: channelPath, ...message },
      ok,
    ],
    [
      'another team',
      { teams: { teamIds: [TEAM] } },
      { method: 'POST', path: channelPath.replace(TEAM, '00000000-0000-0000-0000-000000000000'), ...message },
      refused,
    ],
    [
      'the team id in upper case (GUIDs are case-insensitive)',
      { teams: { teamIds: [TEAM] } },
      { method: 'GET', path: `/teams/${TEAM.toUpperCase()}` },
      ok,
    ],
    [
      'Graph path words in another case',
      { teams: { teamIds: [TEAM] } },
      { method: 'GET', path: `/TEAMS/00000000-0000-0000-0000-000000000000/Channels` },
      refused,
    ],
    [
      'the allowed channel',
      { teams: { channelIds: [CHANNEL] } },
      { method: 'POST', path: channelPath, ...message },
      ok,
    ],
    [
      'the allowed channel, its id not percent-encoded',
      { teams: { channelIds: [CHANNEL] } },
      { method: 'GET', path: `/teams/${TEAM}/channels/${CHANNEL}/messages` },
      ok,
    ],
    [
      'another channel',
      { teams: { channelIds: [CHANNEL] } },
      { method: 'POST', path: `/teams/${TEAM}/channels/19:other@thread.tacv2/messages`, ...message },
      refused,
    ],
    [
      'the primary channel, by a channel list',
      { teams: { channelIds: [CHANNEL] } },
      { method: 'GET', path: `/teams/${TEAM}/primaryChannel/messages` },
      refused,
    ],
    [
      'the primary channel, by a team list',
      { teams: { teamIds: [TEAM] } },
      { method: 'GET', path: `/teams/${TEAM}/primaryChannel/messages` },
      ok,
    ],
    [
      'a team through its group',
      { teams: { teamIds: [TEAM] } },
      { method: 'GET', path: `/groups/${TEAM}/team` },
      ok,
    ],
    [
      'a chat not listed',
      { teams: { teamIds: [TEAM] } },
      { method: 'POST', path: `/chats/${CHAT}/messages`, ...message },
      refused,
    ],
    [
      'the allowed chat',
      { teams: { chatIds: [CHAT] } },
      { method: 'POST', path: `/chats/${encodeURIComponent(CHAT)}/messages`, ...message },
      ok,
    ],
    [
      'the allowed chat under /me',
      { teams: { chatIds: [CHAT] } },
      { method: 'GET', path: `/me/chats/${CHAT}` },
      ok,
    ],
    [
      'another chat',
      { teams: { chatIds: [CHAT] } },
      { method: 'POST', path: '/chats/19:other@thread.v2/messages', ...message },
      refused,
    ],
    ['listing every chat', { teams: { chatIds: [CHAT] } }, { method: 'GET', path: '/me/chats' }, refused],
    ['/me names nothing', { teams: { teamIds: [TEAM] } }, { method: 'GET', path: '/me' }, refused],
    [
      '$batch cannot be read',
      { teams: { teamIds: [TEAM] } },
      { method: 'POST', path: '/$batch', ...json({ requests: [] }) },
      refused,
    ],
    [
      'OData key syntax cannot be read',
      { teams: { teamIds: [TEAM] } },
      { method: 'GET', path: `/teams('${TEAM}')` },
      refused,
    ],
    [
      'a body naming another channel',
      { teams: { channelIds: [CHANNEL] } },
      {
        method: 'POST',
        path: channelPath,
        ...json({
          body: { content: 'x' },
          channelIdentity: { teamId: TEAM, channelId: '19:other@thread.tacv2' },
        }),
      },
      refused,
    ],
    [
      'a bind to another team',
      { teams: { teamIds: [TEAM] } },
      {
        method: 'POST',
        path: `/teams/${TEAM}/channels`,
        ...json({
          displayName: 'x',
          'team@odata.bind': 'https://graph.microsoft.com/v1.0/teams/00000000-0000-0000-0000-000000000000',
        }),
      },
      refused,
    ],
    [
      'a bind to the same team',
      { teams: { teamIds: [TEAM] } },
      {
        method: 'POST',
        path: `/teams/${TEAM}/channels`,
        ...json({ 'team@odata.bind': `https://graph.microsoft.com/v1.0/teams/${TEAM}` }),
      },
      ok,
    ],
    [
      'a form body cannot be read',
      { teams: { teamIds: [TEAM] } },
      { method: 'POST', path: channelPath, ...form('a=b') },
      refused,
    ],
    ['the allowed tenant', { teams: { tenantIds: [TENANT] } }, { method: 'GET', path: '/me' }, ok],
    [
      'the allowed tenant, a body naming another',
      { teams: { tenantIds: [TENANT] } },
      {
        method: 'POST',
        path: `/teams/${TEAM}/channels`,
        ...json({
          membershipType: 'shared',
          members: [{ tenantId: '11111111-1111-1111-1111-111111111111' }],
        }),
      },
      refused,
    ],
  ])('%s', (_, c, request, expected) => {
    expect(check(c, request)).toEqual(expected)
  })

  it('refuses a tenant list when the connection is of another tenant, or says none', () => {
    const c = { teams: { tenantIds: [TENANT] } }
    expect(
      check(
        c,
        { method: 'GET', path: '/me' },
        { ...teamsConnection, tenantId: 'aaaaaaaa-0000-0000-0000-000000000000' },
      ),
    ).toEqual(refused)
    expect(check(c, { method: 'GET', path: '/me' }, { ...teamsConnection, tenantId: null })).toEqual(refused)
  })
})

describe('constraints fail closed', () => {
  const telegramOnly: ProviderConstraints = { telegram: { chatIds: [42] } }
  it('refuse a connection of another family than the constraint', () => {
    expect(checkConstraints(telegramOnly, http('GET', '/user', github))).toEqual(refused)
    expect(
      checkConstraints(
        telegramOnly,
        http('POST', '/chat.postMessage', slackConnection, json({ chat_id: 42 })),
      ),
    ).toEqual(refused)
  })

  it('refuse a vended token, and a tool with no HTTP request to read', () => {
    expect(checkConstraints(telegramOnly, { model: 'A', connection: telegramConnection })).toEqual(refused)
    expect(checkConstraints(telegramOnly, tool('send_message', {}, telegramConnection))).toEqual(refused)
    const send = { method: 'POST', path: '/sendMessage', ...json({ chat_id: 42, text: 'x' }) }
    expect(checkConstraints(telegramOnly, tool('send_message', {}, telegramConnection, send))).toBeNull()
  })

  it('apply nothing when there is no constraint', () => {
    expect(checkConstraints({}, { model: 'A', connection: telegramConnection })).toBeNull()
  })

  it('never repeat the request’s values in the reason', () => {
    const reason = checkConstraints(
      telegramOnly,
      http('POST', '/sendMessage', telegramConnection, json({ chat_id: 31337 })),
    )
    expect(reason).not.toContain('31337')
  })
})

describe('repeated JSON keys', () => {
  it.each([
    ['{"a":1,"b":{"a":2}}', false],
    ['{"a":1,"a":2}', true],
    ['{"x":{"a":1,"a":2}}', true],
    ['[{"a":1},{"a":2}]', false],
    ['{"a":"\\"a\\":1,","b":["a","a"]}', false],
    ['{"a\\u0062":1,"ab":2}', true],
  ])('%s: %s', (text, repeats) => {
    expect(repeatsAKey(text)).toBe(repeats)
  })
})
