import type { JsonSchema, ToolDefinition } from '../tool-definition.js'

// https://learn.microsoft.com/en-us/graph/api/resources/teams-api-overview (read 2026-12-07); paths
// are relative to https://graph.microsoft.com/v1.0. Team, channel and chat ids sit in the path
// (/teams/{id}/channels/{id}, /chats/{id}), where the `teams` policy constraint reads them.
const API = 'https://learn.microsoft.com/en-us/graph/api'
const CHANNEL = '/teams/{teamId}/channels/{channelId}'

const teamId: JsonSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 64,
  description: "The team's id (from list_joined_teams).",
}
const channelId: JsonSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 256,
  description: "The channel's id (from list_channels), like 19:…@thread.tacv2.",
}
const chatId: JsonSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 256,
  description: "The chat's id (from list_chats), like 19:…@thread.v2.",
}
const messageId: JsonSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 64,
  description: "The message's id.",
}
const top: JsonSchema = { type: 'integer', minimum: 1, maximum: 50, description: 'Items per page (max 50).' }

const messageInput: Record<string, JsonSchema> = {
  content: {
    type: 'string',
    minLength: 1,
    maxLength: 28000,
    description: 'The message (Teams caps a message at about 28 KB).',
  },
  contentType: {
    type: 'string',
    enum: ['text', 'html'],
    description: 'How content is written (default text).',
  },
}
const messageBody = { fields: { 'body.contentType': 'contentType', 'body.content': 'content' } }

/** chatMessage: https://learn.microsoft.com/en-us/graph/api/resources/chatmessage */
const chatMessageSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    replyToId: { type: ['string', 'null'] },
    messageType: { type: 'string' },
    createdDateTime: { type: 'string' },
    subject: { type: ['string', 'null'] },
    webUrl: { type: ['string', 'null'] },
    from: {
      type: ['object', 'null'],
      properties: {
        user: {
          type: ['object', 'null'],
          properties: { id: { type: 'string' }, displayName: { type: 'string' } },
        },
      },
    },
    body: { type: 'object', properties: { contentType: { type: 'string' }, content: { type: 'string' } } },
  },
}
const messageFields = ['id', 'replyToId', 'messageType', 'createdDateTime', 'subject']
const chatMessageMap = (prefix: string, from: string): Record<string, string> => ({
  ...Object.fromEntries(messageFields.map((field) => [`${prefix}${field}`, `${from}${field}`])),
  [`${prefix}from`]: `${from}from.user.displayName`,
  [`${prefix}fromId`]: `${from}from.user.id`,
  [`${prefix}contentType`]: `${from}body.contentType`,
  [`${prefix}content`]: `${from}body.content`,
  [`${prefix}url`]: `${from}webUrl`,
})
const messageList: JsonSchema = {
  type: 'object',
  properties: {
    value: { type: 'array', items: chatMessageSchema },
    '@odata.nextLink': { type: 'string', format: 'uri' },
  },
}
/**
 * Paging: Graph's `@odata.nextLink` for these lists is an absolute URL whose `$skiptoken` is the page
 * cursor (the examples at channel-list-messages and chat-list-messages); the agent sends that value
 * back as `skipToken`, so the call stays on this tool's own path.
 */
const skipToken: JsonSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 4096,
  pattern: '^[^%]*$',
  description:
    'To read the next page: the $skiptoken value of the previous nextLink, percent-decoded (%3d → =, %22 → ").',
}
const messagePage = (from: string): Record<string, string> => ({
  ...chatMessageMap('messages[].', from),
  nextLink: "['@odata.nextLink']",
})
const listOf = (items: Record<string, JsonSchema>): JsonSchema => ({
  type: 'object',
  properties: { value: { type: 'array', items: { type: 'object', properties: items } } },
})

export const MICROSOFT_TEAMS_TOOLS: ToolDefinition[] = [
  {
    slug: 'list_joined_teams',
    displayName: 'List my teams',
    description: 'List the Microsoft Teams teams the user is a member of, with their ids.',
    inputSchema: { type: 'object', properties: {}, required: [], additionalProperties: false },
    request: { method: 'GET', path: '/me/joinedTeams' },
    responseSchema: listOf({
      id: { type: 'string' },
      displayName: { type: 'string' },
      description: { type: ['string', 'null'] },
      isArchived: { type: ['boolean', 'null'] },
    }),
    responseFieldMap: {
      'teams[].id': 'value[].id',
      'teams[].name': 'value[].displayName',
      'teams[].description': 'value[].description',
      'teams[].isArchived': 'value[].isArchived',
    },
    annotations: { readOnly: true, idempotent: true },
    scopes: ['Team.ReadBasic.All'],
    docsUrl: `${API}/user-list-joinedteams`,
  },
  {
    slug: 'list_channels',
    displayName: 'List channels',
    description: 'List the channels of a team the user can see, with their ids and links.',
    inputSchema: {
      type: 'object',
      properties: { teamId },
      required: ['teamId'],
      additionalProperties: false,
    },
    request: { method: 'GET', path: '/teams/{teamId}/channels' },
    responseSchema: listOf({
      id: { type: 'string' },
      displayName: { type: 'string' },
      description: { type: ['string', 'null'] },
      membershipType: { type: 'string' },
      webUrl: { type: 'string' },
    }),
    responseFieldMap: {
      'channels[].id': 'value[].id',
      'channels[].name': 'value[].displayName',
      'channels[].description': 'value[].description',
      'channels[].membershipType': 'value[].membershipType',
      'channels[].url': 'value[].webUrl',
    },
    annotations: { readOnly: true, idempotent: true },
    scopes: ['Channel.ReadBasic.All'],
    docsUrl: `${API}/channel-list`,
  },
  {
    slug: 'list_channel_messages',
    displayName: 'Read channel messages',
    description:
      'Read the latest top-level messages of a channel (replies are not included), newest first; nextLink leads to older ones.',
    inputSchema: {
      type: 'object',
      properties: { teamId, channelId, top, skipToken },
      required: ['teamId', 'channelId'],
      additionalProperties: false,
    },
    request: {
      method: 'GET',
      path: `${CHANNEL}/messages`,
      query: { $top: 'top', $skiptoken: 'skipToken' },
    },
    responseSchema: messageList,
    responseFieldMap: messagePage('value[].'),
    annotations: { readOnly: true, idempotent: true },
    scopes: ['ChannelMessage.Read.All'],
    docsUrl: `${API}/channel-list-messages`,
  },
  {
    slug: 'send_channel_message',
    displayName: 'Post in channel',
    description: 'Start a new conversation in a team channel, posted as the user.',
    inputSchema: {
      type: 'object',
      properties: {
        teamId,
        channelId,
        ...messageInput,
        subject: { type: 'string', maxLength: 255, description: 'An optional title for the conversation.' },
      },
      required: ['teamId', 'channelId', 'content'],
      additionalProperties: false,
    },
    request: {
      method: 'POST',
      path: `${CHANNEL}/messages`,
      body: { fields: { ...messageBody.fields, subject: 'subject' } },
    },
    responseSchema: chatMessageSchema,
    responseFieldMap: chatMessageMap('', ''),
    annotations: { readOnly: false },
    scopes: ['ChannelMessage.Send'],
    docsUrl: `${API}/channel-post-messages`,
  },
  {
    slug: 'reply_to_channel_message',
    displayName: 'Reply in channel',
    description: 'Reply in the thread of a channel message, posted as the user.',
    inputSchema: {
      type: 'object',
      properties: { teamId, channelId, messageId, ...messageInput },
      required: ['teamId', 'channelId', 'messageId', 'content'],
      additionalProperties: false,
    },
    request: { method: 'POST', path: `${CHANNEL}/messages/{messageId}/replies`, body: messageBody },
    responseSchema: chatMessageSchema,
    responseFieldMap: chatMessageMap('', ''),
    annotations: { readOnly: false },
    scopes: ['ChannelMessage.Send'],
    docsUrl: `${API}/chatmessage-post-replies`,
  },
  {
    slug: 'list_chats',
    displayName: 'List chats',
    description: "List the user's one-on-one, group and meeting chats, most recently active first.",
    inputSchema: { type: 'object', properties: { top }, required: [], additionalProperties: false },
    request: {
      method: 'GET',
      path: '/me/chats',
      query: { $top: 'top', $orderby: { const: 'lastMessagePreview/createdDateTime desc' } },
    },
    responseSchema: listOf({
      id: { type: 'string' },
      topic: { type: ['string', 'null'] },
      chatType: { type: 'string' },
      lastUpdatedDateTime: { type: 'string' },
      webUrl: { type: 'string' },
    }),
    responseFieldMap: {
      'chats[].id': 'value[].id',
      'chats[].topic': 'value[].topic',
      'chats[].chatType': 'value[].chatType',
      'chats[].lastUpdatedDateTime': 'value[].lastUpdatedDateTime',
      'chats[].url': 'value[].webUrl',
    },
    annotations: { readOnly: true, idempotent: true },
    scopes: ['Chat.Read'],
    docsUrl: `${API}/chat-list`,
  },
  {
    slug: 'list_chat_messages',
    displayName: 'Read chat messages',
    description: 'Read the latest messages of a chat, newest first; nextLink leads to older ones.',
    inputSchema: {
      type: 'object',
      properties: { chatId, top, skipToken },
      required: ['chatId'],
      additionalProperties: false,
    },
    request: {
      method: 'GET',
      path: '/chats/{chatId}/messages',
      query: { $top: 'top', $skiptoken: 'skipToken' },
    },
    responseSchema: messageList,
    responseFieldMap: messagePage('value[].'),
    annotations: { readOnly: true, idempotent: true },
    scopes: ['Chat.Read'],
    docsUrl: `${API}/chat-list-messages`,
  },
  {
    slug: 'send_chat_message',
    displayName: 'Send chat message',
    description: 'Send a message in an existing chat, as the user.',
    inputSchema: {
      type: 'object',
      properties: { chatId, ...messageInput },
      required: ['chatId', 'content'],
      additionalProperties: false,
    },
    request: { method: 'POST', path: '/chats/{chatId}/messages', body: messageBody },
    responseSchema: chatMessageSchema,
    responseFieldMap: chatMessageMap('', ''),
    annotations: { readOnly: false },
    scopes: ['ChatMessage.Send'],
    docsUrl: `${API}/chat-post-messages`,
  },
]
