import type { JsonValue } from '../../../src/providers/tool-definition.js'
import type { ToolSamples } from './sample.js'

// Shapes from the examples at https://docs.slack.dev/reference/methods/<method>, trimmed but keeping
// fields the tools' maps drop. Form bodies carry every value as text.

const botMessage = {
  text: 'Deploy finished :rocket:',
  username: 'ecto1',
  bot_id: 'B123ABC456',
  type: 'message',
  subtype: 'bot_message',
  ts: '1503435956.000247',
}

const history = {
  ok: true,
  messages: [
    {
      type: 'message',
      user: 'U123ABC456',
      text: 'I find you punny and would like to smell your nose letter',
      ts: '1512085950.000216',
    },
    {
      type: 'message',
      user: 'U222BBB222',
      text: 'What, you want to smell my shoes better?',
      ts: '1512104434.000490',
    },
  ],
  has_more: true,
  pin_count: 0,
  response_metadata: { next_cursor: 'bmV4dF90czoxNTEyMDg1ODYxMDAwNTQz' },
}
const historyOutput = {
  messages: [
    {
      ts: '1512085950.000216',
      user: 'U123ABC456',
      text: 'I find you punny and would like to smell your nose letter',
    },
    { ts: '1512104434.000490', user: 'U222BBB222', text: 'What, you want to smell my shoes better?' },
  ],
  has_more: true,
  next_cursor: 'bmV4dF90czoxNTEyMDg1ODYxMDAwNTQz',
}

const thread: JsonValue = {
  ok: true,
  messages: [
    {
      type: 'message',
      user: 'U061F7AUR',
      text: 'island',
      thread_ts: '1482960137.003543',
      reply_count: 2,
      subscribed: true,
      last_read: '1484678597.521003',
      unread_count: 0,
      ts: '1482960137.003543',
    },
    {
      type: 'message',
      user: 'U061F7AUR',
      text: 'one island',
      thread_ts: '1482960137.003543',
      parent_user_id: 'U061F7AUR',
      ts: '1483037603.017503',
    },
    {
      type: 'message',
      user: 'U061F7AUR',
      text: 'two island',
      thread_ts: '1482960137.003543',
      parent_user_id: 'U061F7AUR',
      ts: '1483051909.018632',
    },
  ],
  has_more: false,
  response_metadata: { next_cursor: '' },
}

const general = {
  id: 'C012AB3CD',
  name: 'general',
  is_channel: true,
  is_group: false,
  is_im: false,
  created: 1449252889,
  creator: 'U012A3CDE',
  is_archived: false,
  is_general: true,
  name_normalized: 'general',
  is_shared: false,
  is_member: true,
  is_private: false,
  is_mpim: false,
  topic: { value: 'Company-wide announcements and work-based matters', creator: '', last_set: 0 },
  purpose: {
    value: 'This channel is for team-wide communication and announcements.',
    creator: '',
    last_set: 0,
  },
  previous_names: [],
  num_members: 4,
}

export const slackSamples: ToolSamples = {
  slack: [
    {
      slug: 'post_message',
      name: 'text only',
      input: { channel: 'C123ABC456', text: 'Deploy finished :rocket:' },
      request: {
        method: 'POST',
        path: '/chat.postMessage',
        form: { channel: 'C123ABC456', text: 'Deploy finished :rocket:' },
      },
      response: { body: { ok: true, channel: 'C123ABC456', ts: '1503435956.000247', message: botMessage } },
      output: { channel: 'C123ABC456', ts: '1503435956.000247', text: 'Deploy finished :rocket:' },
    },
    {
      slug: 'post_message',
      name: 'with link previews',
      input: { channel: 'C123ABC456', text: 'Release notes: https://example.com/notes', unfurl_links: true },
      request: {
        method: 'POST',
        path: '/chat.postMessage',
        form: {
          channel: 'C123ABC456',
          text: 'Release notes: https://example.com/notes',
          unfurl_links: 'true',
        },
      },
      response: {
        body: {
          ok: true,
          channel: 'C123ABC456',
          ts: '1503435957.000300',
          message: {
            ...botMessage,
            text: 'Release notes: <https://example.com/notes>',
            ts: '1503435957.000300',
          },
        },
      },
      output: {
        channel: 'C123ABC456',
        ts: '1503435957.000300',
        text: 'Release notes: <https://example.com/notes>',
      },
    },
    {
      slug: 'reply_in_thread',
      name: 'in the thread only',
      input: { channel: 'C123ABC456', thread_ts: '1503435956.000247', text: 'On it' },
      request: {
        method: 'POST',
        path: '/chat.postMessage',
        form: { channel: 'C123ABC456', thread_ts: '1503435956.000247', text: 'On it' },
      },
      response: {
        body: {
          ok: true,
          channel: 'C123ABC456',
          ts: '1503436000.000400',
          message: {
            ...botMessage,
            text: 'On it',
            ts: '1503436000.000400',
            thread_ts: '1503435956.000247',
            parent_user_id: 'U123ABC456',
          },
        },
      },
      output: {
        channel: 'C123ABC456',
        ts: '1503436000.000400',
        thread_ts: '1503435956.000247',
        text: 'On it',
      },
    },
    {
      slug: 'reply_in_thread',
      name: 'broadcast to the channel',
      input: { channel: 'C123ABC456', thread_ts: '1503435956.000247', text: 'Fixed', reply_broadcast: true },
      request: {
        method: 'POST',
        path: '/chat.postMessage',
        form: {
          channel: 'C123ABC456',
          thread_ts: '1503435956.000247',
          text: 'Fixed',
          reply_broadcast: 'true',
        },
      },
      response: {
        body: {
          ok: true,
          channel: 'C123ABC456',
          ts: '1503436100.000500',
          message: {
            ...botMessage,
            subtype: 'thread_broadcast',
            text: 'Fixed',
            ts: '1503436100.000500',
            thread_ts: '1503435956.000247',
          },
        },
      },
      output: {
        channel: 'C123ABC456',
        ts: '1503436100.000500',
        thread_ts: '1503435956.000247',
        text: 'Fixed',
      },
    },
    {
      slug: 'list_channels',
      name: 'defaults',
      input: {},
      request: { method: 'POST', path: '/conversations.list', form: {} },
      response: {
        body: { ok: true, channels: [general], response_metadata: { next_cursor: 'dGVhbTpDMDYxRkE1UEI=' } },
      },
      output: {
        channels: [
          {
            id: 'C012AB3CD',
            name: 'general',
            is_private: false,
            is_archived: false,
            is_member: true,
            num_members: 4,
            topic: 'Company-wide announcements and work-based matters',
            purpose: 'This channel is for team-wide communication and announcements.',
          },
        ],
        next_cursor: 'dGVhbTpDMDYxRkE1UEI=',
      },
    },
    {
      slug: 'list_channels',
      name: 'private ones, next page',
      input: {
        types: 'public_channel,private_channel',
        exclude_archived: true,
        limit: 200,
        cursor: 'dGVhbTpDMDYxRkE1UEI=',
      },
      request: {
        method: 'POST',
        path: '/conversations.list',
        form: {
          types: 'public_channel,private_channel',
          exclude_archived: 'true',
          limit: '200',
          cursor: 'dGVhbTpDMDYxRkE1UEI=',
        },
      },
      response: { body: { ok: true, channels: [], response_metadata: { next_cursor: '' } } },
      output: { channels: [], next_cursor: '' },
    },
    {
      slug: 'channel_history',
      name: 'latest messages',
      input: { channel: 'C123ABC456' },
      request: { method: 'POST', path: '/conversations.history', form: { channel: 'C123ABC456' } },
      response: { body: history },
      output: historyOutput,
    },
    {
      slug: 'channel_history',
      name: 'a time window',
      input: {
        channel: 'C123ABC456',
        limit: 2,
        oldest: '1512085950.000216',
        latest: '1512104434.000490',
        inclusive: true,
        cursor: 'bmV4dF90czoxNTEyMDg1ODYxMDAwNTQz',
      },
      request: {
        method: 'POST',
        path: '/conversations.history',
        form: {
          channel: 'C123ABC456',
          limit: '2',
          oldest: '1512085950.000216',
          latest: '1512104434.000490',
          inclusive: 'true',
          cursor: 'bmV4dF90czoxNTEyMDg1ODYxMDAwNTQz',
        },
      },
      response: { body: history },
      output: historyOutput,
    },
    {
      slug: 'thread_replies',
      name: 'whole thread',
      input: { channel: 'C123ABC456', ts: '1482960137.003543' },
      request: {
        method: 'POST',
        path: '/conversations.replies',
        form: { channel: 'C123ABC456', ts: '1482960137.003543' },
      },
      response: { body: thread },
      output: {
        messages: [
          { ts: '1482960137.003543', user: 'U061F7AUR', text: 'island' },
          { ts: '1483037603.017503', user: 'U061F7AUR', text: 'one island' },
          { ts: '1483051909.018632', user: 'U061F7AUR', text: 'two island' },
        ],
        has_more: false,
        next_cursor: '',
      },
    },
    {
      slug: 'thread_replies',
      name: 'paged',
      input: {
        channel: 'C123ABC456',
        ts: '1482960137.003543',
        limit: 15,
        cursor: 'bmV4dF90czoxNDg0Njc4MjkwNTE3MDkx',
      },
      request: {
        method: 'POST',
        path: '/conversations.replies',
        form: {
          channel: 'C123ABC456',
          ts: '1482960137.003543',
          limit: '15',
          cursor: 'bmV4dF90czoxNDg0Njc4MjkwNTE3MDkx',
        },
      },
      response: { body: { ok: true, messages: [], has_more: false, response_metadata: { next_cursor: '' } } },
      output: { messages: [], has_more: false, next_cursor: '' },
    },
    {
      slug: 'get_user',
      input: { user: 'W012A3CDE' },
      request: { method: 'POST', path: '/users.info', form: { user: 'W012A3CDE' } },
      response: {
        body: {
          ok: true,
          user: {
            id: 'W012A3CDE',
            team_id: 'T012AB3C4',
            name: 'spengler',
            deleted: false,
            color: '9f69e7',
            real_name: 'Egon Spengler',
            tz: 'America/Los_Angeles',
            tz_label: 'Pacific Daylight Time',
            tz_offset: -25200,
            profile: {
              avatar_hash: 'ge3b51ca72de',
              status_text: 'Print is dead',
              status_emoji: ':books:',
              title: 'Parapsychologist',
              real_name: 'Egon Spengler',
              display_name: 'spengler',
              real_name_normalized: 'Egon Spengler',
              display_name_normalized: 'spengler',
              email: 'spengler@ghostbusters.example.com',
              team: 'T012AB3C4',
            },
            is_admin: true,
            is_owner: false,
            is_bot: false,
            updated: 1502138686,
            is_app_user: false,
            has_2fa: false,
          },
        },
      },
      output: {
        id: 'W012A3CDE',
        name: 'spengler',
        real_name: 'Egon Spengler',
        display_name: 'spengler',
        title: 'Parapsychologist',
        email: 'spengler@ghostbusters.example.com',
        tz: 'America/Los_Angeles',
        is_bot: false,
        deleted: false,
      },
    },
    {
      slug: 'add_reaction',
      input: { channel: 'C123ABC456', timestamp: '1503435956.000247', name: 'thumbsup' },
      request: {
        method: 'POST',
        path: '/reactions.add',
        form: { channel: 'C123ABC456', timestamp: '1503435956.000247', name: 'thumbsup' },
      },
      response: { body: { ok: true } },
      output: { ok: true },
    },
    {
      slug: 'update_message',
      input: { channel: 'C123ABC456', ts: '1401383885.000061', text: 'Updated text you carefully authored' },
      request: {
        method: 'POST',
        path: '/chat.update',
        form: { channel: 'C123ABC456', ts: '1401383885.000061', text: 'Updated text you carefully authored' },
      },
      response: {
        body: {
          ok: true,
          channel: 'C123ABC456',
          ts: '1401383885.000061',
          text: 'Updated text you carefully authored',
          user: 'U34567890',
        },
      },
      output: { channel: 'C123ABC456', ts: '1401383885.000061', text: 'Updated text you carefully authored' },
    },
  ],
}
