import type { JsonSchema, ToolDefinition } from '../tool-definition.js'

// Slack Web API methods, read 2026-12-07 at each tool's docsUrl. Every call is a POST form
// (application/x-www-form-urlencoded), which every method accepts; JSON bodies only some writes.
// Slack answers HTTP 200 with `ok: false` and an `error` code on failure.

const okCheck = { path: 'ok', equals: true, errorPath: 'error' }

const channel: JsonSchema = {
  type: 'string',
  maxLength: 30,
  description: 'Conversation ID (C…, G… or D…); a user ID (U…) posts to that user’s direct messages.',
}
const messageTs: JsonSchema = {
  type: 'string',
  pattern: '^\\d+\\.\\d+$',
  description: 'A message timestamp (its ID within the conversation), e.g. 1503435956.000247.',
}
const text: JsonSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 40000,
  description: 'Message text in Slack mrkdwn (<@U123> mentions a user, <#C123> a channel).',
}
const cursor: JsonSchema = {
  type: 'string',
  maxLength: 500,
  description: 'next_cursor from a previous page; omit for the first page.',
}

const postedMessage: JsonSchema = {
  type: 'object',
  properties: {
    ok: { type: 'boolean' },
    channel: { type: 'string' },
    ts: { type: 'string' },
    message: { type: 'object', properties: { text: { type: 'string' }, thread_ts: { type: 'string' } } },
  },
}

const messageList: JsonSchema = {
  type: 'object',
  properties: {
    ok: { type: 'boolean' },
    messages: {
      type: 'array',
      items: {
        type: 'object',
        properties: { ts: { type: 'string' }, user: { type: 'string' }, text: { type: 'string' } },
      },
    },
    has_more: { type: 'boolean' },
    response_metadata: { type: 'object', properties: { next_cursor: { type: 'string' } } },
  },
}
const messageListMap = {
  'messages[].ts': 'messages[].ts',
  'messages[].user': 'messages[].user',
  'messages[].text': 'messages[].text',
  has_more: 'has_more',
  next_cursor: 'response_metadata.next_cursor',
}

export const SLACK_TOOLS: ToolDefinition[] = [
  {
    slug: 'post_message',
    displayName: 'Post message',
    description:
      'Post a message to a channel, private group or direct message, as the app’s bot (or the user).',
    inputSchema: {
      type: 'object',
      properties: {
        channel,
        text,
        unfurl_links: {
          type: 'boolean',
          description: 'Show previews of linked pages (default: only media).',
        },
      },
      required: ['channel', 'text'],
      additionalProperties: false,
    },
    request: {
      method: 'POST',
      path: '/chat.postMessage',
      body: { format: 'form', fields: { channel: 'channel', text: 'text', unfurl_links: 'unfurl_links' } },
    },
    responseSchema: postedMessage,
    responseFieldMap: { channel: 'channel', ts: 'ts', text: 'message.text' },
    success: okCheck,
    annotations: { readOnly: false },
    docsUrl: 'https://docs.slack.dev/reference/methods/chat.postMessage',
  },
  {
    slug: 'reply_in_thread',
    displayName: 'Reply in thread',
    description:
      'Reply to a message in its thread; reply_broadcast also shows the reply in the channel. thread_ts is the parent message’s ts.',
    inputSchema: {
      type: 'object',
      properties: {
        channel,
        thread_ts: { ...messageTs, description: 'The ts of the message to reply to (the thread’s parent).' },
        text,
        reply_broadcast: { type: 'boolean', description: 'Also post the reply to the channel.' },
      },
      required: ['channel', 'thread_ts', 'text'],
      additionalProperties: false,
    },
    request: {
      method: 'POST',
      path: '/chat.postMessage',
      body: {
        format: 'form',
        fields: {
          channel: 'channel',
          thread_ts: 'thread_ts',
          text: 'text',
          reply_broadcast: 'reply_broadcast',
        },
      },
    },
    responseSchema: postedMessage,
    responseFieldMap: { channel: 'channel', ts: 'ts', thread_ts: 'message.thread_ts', text: 'message.text' },
    success: okCheck,
    annotations: { readOnly: false },
    docsUrl: 'https://docs.slack.dev/reference/methods/chat.postMessage',
  },
  {
    slug: 'list_channels',
    displayName: 'List channels',
    description:
      'List the workspace’s conversations (public channels by default) with their IDs, names and topics, a page at a time.',
    inputSchema: {
      type: 'object',
      properties: {
        types: {
          type: 'string',
          maxLength: 60,
          description: 'Comma-separated: public_channel, private_channel, mpim, im (default public_channel).',
        },
        exclude_archived: { type: 'boolean', description: 'Leave out archived channels.' },
        limit: {
          type: 'integer',
          minimum: 1,
          maximum: 1000,
          description: 'Page size (default 100, at most 1000).',
        },
        cursor,
      },
      required: [],
      additionalProperties: false,
    },
    request: {
      method: 'POST',
      path: '/conversations.list',
      body: {
        format: 'form',
        fields: { types: 'types', exclude_archived: 'exclude_archived', limit: 'limit', cursor: 'cursor' },
      },
    },
    responseSchema: {
      type: 'object',
      properties: {
        ok: { type: 'boolean' },
        channels: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              id: { type: 'string' },
              name: { type: 'string' },
              is_private: { type: 'boolean' },
              is_archived: { type: 'boolean' },
              is_member: { type: 'boolean' },
              num_members: { type: 'integer' },
              topic: { type: 'object', properties: { value: { type: 'string' } } },
              purpose: { type: 'object', properties: { value: { type: 'string' } } },
            },
          },
        },
        response_metadata: { type: 'object', properties: { next_cursor: { type: 'string' } } },
      },
    },
    responseFieldMap: {
      'channels[].id': 'channels[].id',
      'channels[].name': 'channels[].name',
      'channels[].is_private': 'channels[].is_private',
      'channels[].is_archived': 'channels[].is_archived',
      'channels[].is_member': 'channels[].is_member',
      'channels[].num_members': 'channels[].num_members',
      'channels[].topic': 'channels[].topic.value',
      'channels[].purpose': 'channels[].purpose.value',
      next_cursor: 'response_metadata.next_cursor',
    },
    success: okCheck,
    annotations: { readOnly: true, idempotent: true },
    docsUrl: 'https://docs.slack.dev/reference/methods/conversations.list',
  },
  {
    slug: 'channel_history',
    displayName: 'Read channel history',
    description:
      'Read the latest messages of a conversation, newest first (thread replies excepted), optionally between two timestamps.',
    inputSchema: {
      type: 'object',
      properties: {
        channel,
        limit: {
          type: 'integer',
          minimum: 1,
          maximum: 999,
          description:
            'Page size (default 100; Slack caps it at 15 for apps distributed outside the Marketplace).',
        },
        oldest: { ...messageTs, description: 'Only messages after this Unix timestamp.' },
        latest: { ...messageTs, description: 'Only messages before this Unix timestamp (default now).' },
        inclusive: { type: 'boolean', description: 'Include messages exactly at oldest or latest.' },
        cursor,
      },
      required: ['channel'],
      additionalProperties: false,
    },
    request: {
      method: 'POST',
      path: '/conversations.history',
      body: {
        format: 'form',
        fields: {
          channel: 'channel',
          limit: 'limit',
          oldest: 'oldest',
          latest: 'latest',
          inclusive: 'inclusive',
          cursor: 'cursor',
        },
      },
    },
    responseSchema: messageList,
    responseFieldMap: messageListMap,
    success: okCheck,
    annotations: { readOnly: true, idempotent: true },
    docsUrl: 'https://docs.slack.dev/reference/methods/conversations.history',
  },
  {
    slug: 'thread_replies',
    displayName: 'Read thread',
    description: 'Read a thread: the parent message (ts) and its replies, oldest first.',
    inputSchema: {
      type: 'object',
      properties: {
        channel,
        ts: { ...messageTs, description: 'The ts of the thread’s parent message.' },
        limit: {
          type: 'integer',
          minimum: 1,
          maximum: 1000,
          description:
            'Page size (default 1000; Slack caps it at 15 for apps distributed outside the Marketplace).',
        },
        cursor,
      },
      required: ['channel', 'ts'],
      additionalProperties: false,
    },
    request: {
      method: 'POST',
      path: '/conversations.replies',
      body: { format: 'form', fields: { channel: 'channel', ts: 'ts', limit: 'limit', cursor: 'cursor' } },
    },
    responseSchema: messageList,
    responseFieldMap: messageListMap,
    success: okCheck,
    annotations: { readOnly: true, idempotent: true },
    docsUrl: 'https://docs.slack.dev/reference/methods/conversations.replies',
  },
  {
    slug: 'get_user',
    displayName: 'Get user',
    description:
      'Look up a workspace member by user ID: name, display name, title, time zone and (with users:read.email) email.',
    inputSchema: {
      type: 'object',
      properties: { user: { type: 'string', maxLength: 30, description: 'User ID (U… or W…).' } },
      required: ['user'],
      additionalProperties: false,
    },
    request: { method: 'POST', path: '/users.info', body: { format: 'form', fields: { user: 'user' } } },
    responseSchema: {
      type: 'object',
      properties: {
        ok: { type: 'boolean' },
        user: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            name: { type: 'string' },
            real_name: { type: 'string' },
            tz: { type: 'string' },
            is_bot: { type: 'boolean' },
            deleted: { type: 'boolean' },
            profile: {
              type: 'object',
              properties: {
                display_name: { type: 'string' },
                title: { type: 'string' },
                email: { type: 'string' },
              },
            },
          },
        },
      },
    },
    responseFieldMap: {
      id: 'user.id',
      name: 'user.name',
      real_name: 'user.real_name',
      display_name: 'user.profile.display_name',
      title: 'user.profile.title',
      email: 'user.profile.email',
      tz: 'user.tz',
      is_bot: 'user.is_bot',
      deleted: 'user.deleted',
    },
    success: okCheck,
    annotations: { readOnly: true, idempotent: true },
    docsUrl: 'https://docs.slack.dev/reference/methods/users.info',
  },
  {
    slug: 'add_reaction',
    displayName: 'Add reaction',
    description: 'React to a message with an emoji, by its name without colons (thumbsup, white_check_mark).',
    inputSchema: {
      type: 'object',
      properties: {
        channel,
        timestamp: { ...messageTs, description: 'The ts of the message to react to.' },
        name: {
          type: 'string',
          pattern: '^[a-z0-9_+\\-]+(::skin-tone-[2-6])?$',
          maxLength: 100,
          description: 'Emoji name.',
        },
      },
      required: ['channel', 'timestamp', 'name'],
      additionalProperties: false,
    },
    request: {
      method: 'POST',
      path: '/reactions.add',
      body: { format: 'form', fields: { channel: 'channel', timestamp: 'timestamp', name: 'name' } },
    },
    responseSchema: { type: 'object', properties: { ok: { type: 'boolean' } } },
    responseFieldMap: { ok: 'ok' },
    success: okCheck,
    annotations: { readOnly: false },
    docsUrl: 'https://docs.slack.dev/reference/methods/reactions.add',
  },
  {
    slug: 'update_message',
    displayName: 'Edit message',
    description: 'Replace the text of a message the app (or user) posted earlier.',
    inputSchema: {
      type: 'object',
      properties: { channel, ts: { ...messageTs, description: 'The ts of the message to edit.' }, text },
      required: ['channel', 'ts', 'text'],
      additionalProperties: false,
    },
    request: {
      method: 'POST',
      path: '/chat.update',
      body: { format: 'form', fields: { channel: 'channel', ts: 'ts', text: 'text' } },
    },
    responseSchema: {
      type: 'object',
      properties: {
        ok: { type: 'boolean' },
        channel: { type: 'string' },
        ts: { type: 'string' },
        text: { type: 'string' },
      },
    },
    responseFieldMap: { channel: 'channel', ts: 'ts', text: 'text' },
    success: okCheck,
    annotations: { readOnly: false, destructive: true, idempotent: true },
    docsUrl: 'https://docs.slack.dev/reference/methods/chat.update',
  },
]
