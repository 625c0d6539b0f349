import type { JsonSchema, ToolDefinition } from '../tool-definition.js'

// Telegram Bot API methods, read 2026-12-07 at each tool's docsUrl (https://core.telegram.org/bots/api).
// Paths are methods under the bot's base URL; bodies are JSON. Every answer is `{ ok, result }`, or
// `{ ok: false, error_code, description }`.

const okCheck = { path: 'ok', equals: true, errorPath: 'description' }

const chatId: JsonSchema = {
  type: ['integer', 'string'],
  pattern: '^(-?\\d{1,20}|@\\w{5,32})$',
  description: 'Chat ID (a number, negative for groups and channels) or @channelusername.',
}
const messageId: JsonSchema = { type: 'integer', minimum: 1, description: 'Message ID within the chat.' }
const parseMode: JsonSchema = {
  type: 'string',
  enum: ['MarkdownV2', 'HTML', 'Markdown'],
  description: 'How to read formatting in the text; omit for plain text.',
}
const silent: JsonSchema = { type: 'boolean', description: 'Send without a notification sound.' }
const replyTo: JsonSchema = {
  type: 'integer',
  minimum: 1,
  description: 'Reply to this message of the same chat.',
}

const sentMessage: JsonSchema = {
  type: 'object',
  properties: {
    ok: { type: 'boolean' },
    result: {
      type: 'object',
      properties: {
        message_id: { type: 'integer' },
        date: { type: 'integer' },
        chat: { type: 'object', properties: { id: { type: 'integer' } } },
        text: { type: 'string' },
        caption: { type: 'string' },
      },
    },
  },
}
const sentMap = { message_id: 'result.message_id', chat_id: 'result.chat.id', date: 'result.date' }
const trueResult: JsonSchema = {
  type: 'object',
  properties: { ok: { type: 'boolean' }, result: { type: 'boolean' } },
}

export const TELEGRAM_TOOLS: ToolDefinition[] = [
  {
    slug: 'get_me',
    displayName: 'Get bot',
    description: 'Who this bot is: its ID, name, username and whether it can join groups.',
    inputSchema: { type: 'object', properties: {}, required: [], additionalProperties: false },
    request: { method: 'GET', path: '/getMe' },
    responseSchema: {
      type: 'object',
      properties: {
        ok: { type: 'boolean' },
        result: {
          type: 'object',
          properties: {
            id: { type: 'integer' },
            is_bot: { type: 'boolean' },
            first_name: { type: 'string' },
            username: { type: 'string' },
            can_join_groups: { type: 'boolean' },
            can_read_all_group_messages: { type: 'boolean' },
          },
        },
      },
    },
    responseFieldMap: {
      id: 'result.id',
      first_name: 'result.first_name',
      username: 'result.username',
      can_join_groups: 'result.can_join_groups',
      can_read_all_group_messages: 'result.can_read_all_group_messages',
    },
    success: okCheck,
    annotations: { readOnly: true, idempotent: true },
    docsUrl: 'https://core.telegram.org/bots/api#getme',
  },
  {
    slug: 'send_message',
    displayName: 'Send message',
    description:
      'Send a text message to a chat the bot is in, optionally formatted and as a reply to a message.',
    inputSchema: {
      type: 'object',
      properties: {
        chat_id: chatId,
        text: {
          type: 'string',
          minLength: 1,
          maxLength: 4096,
          description: 'The message, 1-4096 characters.',
        },
        parse_mode: parseMode,
        reply_to_message_id: replyTo,
        disable_link_preview: { type: 'boolean', description: 'Do not show a preview of the first link.' },
        disable_notification: silent,
      },
      required: ['chat_id', 'text'],
      additionalProperties: false,
    },
    request: {
      method: 'POST',
      path: '/sendMessage',
      body: {
        fields: {
          chat_id: 'chat_id',
          text: 'text',
          parse_mode: 'parse_mode',
          'reply_parameters.message_id': 'reply_to_message_id',
          'link_preview_options.is_disabled': 'disable_link_preview',
          disable_notification: 'disable_notification',
        },
      },
    },
    responseSchema: sentMessage,
    responseFieldMap: { ...sentMap, text: 'result.text' },
    success: okCheck,
    annotations: { readOnly: false },
    docsUrl: 'https://core.telegram.org/bots/api#sendmessage',
  },
  {
    slug: 'send_photo',
    displayName: 'Send photo',
    description:
      'Send a photo by its HTTP URL (Telegram downloads it, up to 5 MB), with an optional caption.',
    inputSchema: {
      type: 'object',
      properties: {
        chat_id: chatId,
        photo: { type: 'string', format: 'uri', maxLength: 2048, description: 'HTTP URL of the photo.' },
        caption: { type: 'string', maxLength: 1024, description: 'Caption, 0-1024 characters.' },
        parse_mode: parseMode,
        reply_to_message_id: replyTo,
        disable_notification: silent,
      },
      required: ['chat_id', 'photo'],
      additionalProperties: false,
    },
    request: {
      method: 'POST',
      path: '/sendPhoto',
      body: {
        fields: {
          chat_id: 'chat_id',
          photo: 'photo',
          caption: 'caption',
          parse_mode: 'parse_mode',
          'reply_parameters.message_id': 'reply_to_message_id',
          disable_notification: 'disable_notification',
        },
      },
    },
    responseSchema: sentMessage,
    responseFieldMap: { ...sentMap, caption: 'result.caption' },
    success: okCheck,
    annotations: { readOnly: false },
    docsUrl: 'https://core.telegram.org/bots/api#sendphoto',
  },
  {
    slug: 'forward_message',
    displayName: 'Forward message',
    description: 'Forward a message from one chat to another, showing where it came from.',
    inputSchema: {
      type: 'object',
      properties: {
        chat_id: { ...chatId, description: 'Chat to forward to (ID or @channelusername).' },
        from_chat_id: { ...chatId, description: 'Chat the message is in (ID or @channelusername).' },
        message_id: messageId,
        disable_notification: silent,
      },
      required: ['chat_id', 'from_chat_id', 'message_id'],
      additionalProperties: false,
    },
    request: {
      method: 'POST',
      path: '/forwardMessage',
      body: {
        fields: {
          chat_id: 'chat_id',
          from_chat_id: 'from_chat_id',
          message_id: 'message_id',
          disable_notification: 'disable_notification',
        },
      },
    },
    responseSchema: sentMessage,
    responseFieldMap: sentMap,
    success: okCheck,
    annotations: { readOnly: false },
    docsUrl: 'https://core.telegram.org/bots/api#forwardmessage',
  },
  {
    slug: 'get_chat',
    displayName: 'Get chat',
    description: 'Read a chat the bot is in: its type, title or username, and description.',
    inputSchema: {
      type: 'object',
      properties: { chat_id: chatId },
      required: ['chat_id'],
      additionalProperties: false,
    },
    request: { method: 'GET', path: '/getChat', query: { chat_id: 'chat_id' } },
    responseSchema: {
      type: 'object',
      properties: {
        ok: { type: 'boolean' },
        result: {
          type: 'object',
          properties: {
            id: { type: 'integer' },
            type: { type: 'string', enum: ['private', 'group', 'supergroup', 'channel'] },
            title: { type: 'string' },
            username: { type: 'string' },
            description: { type: 'string' },
          },
        },
      },
    },
    responseFieldMap: {
      id: 'result.id',
      type: 'result.type',
      title: 'result.title',
      username: 'result.username',
      description: 'result.description',
    },
    success: okCheck,
    annotations: { readOnly: true, idempotent: true },
    docsUrl: 'https://core.telegram.org/bots/api#getchat',
  },
  {
    slug: 'pin_chat_message',
    displayName: 'Pin message',
    description: 'Pin a message in a chat (the bot needs the right to pin messages in groups and channels).',
    inputSchema: {
      type: 'object',
      properties: { chat_id: chatId, message_id: messageId, disable_notification: silent },
      required: ['chat_id', 'message_id'],
      additionalProperties: false,
    },
    request: {
      method: 'POST',
      path: '/pinChatMessage',
      body: {
        fields: {
          chat_id: 'chat_id',
          message_id: 'message_id',
          disable_notification: 'disable_notification',
        },
      },
    },
    responseSchema: trueResult,
    responseFieldMap: { pinned: 'result' },
    success: okCheck,
    annotations: { readOnly: false, idempotent: true },
    docsUrl: 'https://core.telegram.org/bots/api#pinchatmessage',
  },
  {
    slug: 'delete_message',
    displayName: 'Delete message',
    description:
      'Delete a message for everyone: the bot’s own messages, or others’ where it is an admin; mostly only within 48 hours.',
    inputSchema: {
      type: 'object',
      properties: { chat_id: chatId, message_id: messageId },
      required: ['chat_id', 'message_id'],
      additionalProperties: false,
    },
    request: {
      method: 'POST',
      path: '/deleteMessage',
      body: { fields: { chat_id: 'chat_id', message_id: 'message_id' } },
    },
    responseSchema: trueResult,
    responseFieldMap: { deleted: 'result' },
    success: okCheck,
    annotations: { readOnly: false, destructive: true, idempotent: true },
    docsUrl: 'https://core.telegram.org/bots/api#deletemessage',
  },
  {
    slug: 'get_updates',
    displayName: 'Get updates',
    description:
      'Fetch new messages sent to the bot. Passing offset (the last update_id + 1) confirms earlier updates: Telegram then drops them. Fails while a webhook is set.',
    inputSchema: {
      type: 'object',
      properties: {
        offset: { type: 'integer', description: 'First update to return; confirms every earlier one.' },
        limit: {
          type: 'integer',
          minimum: 1,
          maximum: 100,
          description: 'At most this many updates (default 100).',
        },
        allowed_updates: {
          type: 'array',
          items: { type: 'string', maxLength: 40 },
          maxItems: 30,
          description: 'Update types to receive, e.g. ["message", "channel_post"].',
        },
      },
      required: [],
      additionalProperties: false,
    },
    request: {
      method: 'POST',
      path: '/getUpdates',
      body: { fields: { offset: 'offset', limit: 'limit', allowed_updates: 'allowed_updates' } },
    },
    responseSchema: {
      type: 'object',
      properties: {
        ok: { type: 'boolean' },
        result: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              update_id: { type: 'integer' },
              message: {
                type: 'object',
                properties: {
                  message_id: { type: 'integer' },
                  date: { type: 'integer' },
                  chat: { type: 'object', properties: { id: { type: 'integer' } } },
                  from: { type: 'object', properties: { id: { type: 'integer' } } },
                  text: { type: 'string' },
                },
              },
            },
          },
        },
      },
    },
    responseFieldMap: {
      'updates[].update_id': 'result[].update_id',
      'updates[].message_id': 'result[].message.message_id',
      'updates[].chat_id': 'result[].message.chat.id',
      'updates[].from_id': 'result[].message.from.id',
      'updates[].date': 'result[].message.date',
      'updates[].text': 'result[].message.text',
    },
    success: okCheck,
    // Not read-only: an offset confirms (and so removes) updates on Telegram's side.
    annotations: { readOnly: false },
    docsUrl: 'https://core.telegram.org/bots/api#getupdates',
  },
]
