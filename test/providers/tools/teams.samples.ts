import type { JsonValue } from '../../../src/providers/tool-definition.js'
import type { ToolSample } from './sample.js'

// Response bodies in the shapes of the examples at https://learn.microsoft.com/en-us/graph/api/
// user-list-joinedteams, channel-list, channel-list-messages, channel-post-messages,
// chatmessage-post-replies, chat-list, chat-list-messages and chat-post-messages.

/** The chat nextLink's $skiptoken, percent-decoded (as the agent sends it back). */
const CHAT_SKIP_TOKEN =
  'M2UyZDAwMDAwMDMxMzkzYTMyNjQ2MTM0NjMzMjM5NjYzNjY0MzczMDM0MzE2NTYzNjEzNzMwNjIzNjMzMzg2MjM0MzM2NDM0MzUzNDMzMzc0MDc0Njg3MjY1NjE2NDJlNzYzMjAxZThmYjY4M2Y3ODAxMDAwMDg4NjA5ODdhNzgwMTAwMDB8MTYxNjk2NDUwOTgzMg=='
const TEAM = '172b0cce-e65d-44ce-9a49-91d9f2e8493a'
const CHANNEL = '19:4a95f7d8db4c4e7fae857bcebe0623e6@thread.tacv2'
const CHAT = '19:2da4c29f6d7041eca70b638b43d45437@thread.v2'
const TENANT = '2432b57b-0abd-43db-aa7b-16eadd115d34'
const channelPath = `/teams/${TEAM}/channels/${encodeURIComponent(CHANNEL)}`
const chatPath = `/chats/${encodeURIComponent(CHAT)}/messages`

const robin = {
  application: null,
  device: null,
  user: {
    '@odata.type': '#microsoft.graph.teamworkUserIdentity',
    id: '8ea0e38b-efb3-4757-924a-5f94061cf8c2',
    displayName: 'Robin Kline',
    userIdentityType: 'aadUser',
    tenantId: TENANT,
  },
}

/** A chatMessage as Graph returns it, with the fields the map drops. */
function chatMessage(id: string, content: string, extra: { [key: string]: JsonValue } = {}): JsonValue {
  return {
    id,
    replyToId: null,
    etag: id,
    messageType: 'message',
    createdDateTime: '2026-12-07T09:14:02.035Z',
    lastModifiedDateTime: '2026-12-07T09:14:02.035Z',
    lastEditedDateTime: null,
    deletedDateTime: null,
    subject: null,
    summary: null,
    chatId: null,
    importance: 'normal',
    locale: 'en-us',
    webUrl: `https://teams.microsoft.com/l/message/${encodeURIComponent(CHANNEL)}/${id}?groupId=${TEAM}&tenantId=${TENANT}&createdTime=${id}&parentMessageId=${id}`,
    policyViolation: null,
    eventDetail: null,
    from: robin,
    body: { contentType: 'text', content },
    channelIdentity: { teamId: TEAM, channelId: CHANNEL },
    attachments: [],
    mentions: [],
    reactions: [],
    ...extra,
  }
}

function messageOutput(id: string, content: string, extra: { [key: string]: JsonValue } = {}) {
  return {
    id,
    replyToId: null,
    messageType: 'message',
    createdDateTime: '2026-12-07T09:14:02.035Z',
    subject: null,
    from: 'Robin Kline',
    fromId: '8ea0e38b-efb3-4757-924a-5f94061cf8c2',
    contentType: 'text',
    content,
    url: `https://teams.microsoft.com/l/message/${encodeURIComponent(CHANNEL)}/${id}?groupId=${TEAM}&tenantId=${TENANT}&createdTime=${id}&parentMessageId=${id}`,
    ...extra,
  }
}

export const teamsSamples: ToolSample[] = [
  {
    slug: 'list_joined_teams',
    input: {},
    request: { method: 'GET', path: '/me/joinedTeams' },
    response: {
      body: {
        '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#teams',
        value: [
          {
            id: TEAM,
            createdDateTime: null,
            displayName: 'Contoso Team',
            description:
              'This is a Contoso team, used to showcase the range of properties supported by this API',
            internalId: null,
            classification: null,
            specialization: null,
            visibility: null,
            webUrl: null,
            isArchived: false,
            tenantId: TENANT,
            isMembershipLimitedToOwners: null,
            memberSettings: null,
          },
        ],
      },
    },
    output: {
      teams: [
        {
          id: TEAM,
          name: 'Contoso Team',
          description:
            'This is a Contoso team, used to showcase the range of properties supported by this API',
          isArchived: false,
        },
      ],
    },
  },
  {
    slug: 'list_channels',
    input: { teamId: TEAM },
    request: { method: 'GET', path: `/teams/${TEAM}/channels` },
    response: {
      body: {
        '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#teams('${TEAM}')/channels`,
        '@odata.count': 1,
        value: [
          {
            id: CHANNEL,
            createdDateTime: '2026-02-06T20:54:48.557Z',
            displayName: 'General',
            description: 'Test channel',
            email: 'test@contoso.onmicrosoft.com',
            tenantId: TENANT,
            webUrl: `https://teams.microsoft.com/l/channel/${encodeURIComponent(CHANNEL)}/General?groupId=${TEAM}&tenantId=${TENANT}`,
            membershipType: 'standard',
          },
        ],
      },
    },
    output: {
      channels: [
        {
          id: CHANNEL,
          name: 'General',
          description: 'Test channel',
          membershipType: 'standard',
          url: `https://teams.microsoft.com/l/channel/${encodeURIComponent(CHANNEL)}/General?groupId=${TEAM}&tenantId=${TENANT}`,
        },
      ],
    },
  },
  {
    slug: 'list_channel_messages',
    input: { teamId: TEAM, channelId: CHANNEL, top: 2 },
    request: { method: 'GET', path: `${channelPath}/messages`, query: { $top: '2' } },
    response: {
      body: {
        '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#teams('${TEAM}')/channels('${encodeURIComponent(CHANNEL)}')/messages`,
        '@odata.count': 2,
        '@odata.nextLink': `https://graph.microsoft.com/v1.0/teams/${TEAM}/channels/${encodeURIComponent(CHANNEL)}/messages?$top=2&$skiptoken=%5B%7B%22token%22%3A%22%2BRID%3A~vpsQAJ9uAC`,
        value: [
          chatMessage('1616990032035', 'Hello World'),
          {
            id: '1616989510408',
            replyToId: null,
            etag: '1616989510408',
            messageType: 'systemEventMessage',
            createdDateTime: '2026-12-07T03:45:10.408Z',
            subject: null,
            webUrl: null,
            from: null,
            body: { contentType: 'html', content: '<systemEventMessage/>' },
            eventDetail: { '@odata.type': '#microsoft.graph.channelAddedEventMessageDetail' },
          },
        ],
      },
    },
    output: {
      messages: [
        messageOutput('1616990032035', 'Hello World'),
        {
          id: '1616989510408',
          replyToId: null,
          messageType: 'systemEventMessage',
          createdDateTime: '2026-12-07T03:45:10.408Z',
          subject: null,
          contentType: 'html',
          content: '<systemEventMessage/>',
          url: null,
        },
      ],
      nextLink: `https://graph.microsoft.com/v1.0/teams/${TEAM}/channels/${encodeURIComponent(CHANNEL)}/messages?$top=2&$skiptoken=%5B%7B%22token%22%3A%22%2BRID%3A~vpsQAJ9uAC`,
    },
  },
  {
    slug: 'list_channel_messages',
    name: 'the next page, from nextLink’s $skiptoken',
    input: { teamId: TEAM, channelId: CHANNEL, top: 2, skipToken: '[{"token":"+RID:~vpsQAJ9uAC' },
    request: {
      method: 'GET',
      path: `${channelPath}/messages`,
      query: { $top: '2', $skiptoken: '[{"token":"+RID:~vpsQAJ9uAC' },
    },
    response: {
      body: {
        '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#teams('${TEAM}')/channels('${encodeURIComponent(CHANNEL)}')/messages`,
        '@odata.count': 1,
        value: [chatMessage('1616989000000', 'First')],
      },
    },
    output: { messages: [messageOutput('1616989000000', 'First')] },
  },
  {
    slug: 'send_channel_message',
    input: { teamId: TEAM, channelId: CHANNEL, content: 'Hello World' },
    request: { method: 'POST', path: `${channelPath}/messages`, json: { body: { content: 'Hello World' } } },
    response: { status: 201, body: chatMessage('1616990032035', 'Hello World') },
    output: messageOutput('1616990032035', 'Hello World'),
  },
  {
    slug: 'send_channel_message',
    name: 'html with a subject',
    input: {
      teamId: TEAM,
      channelId: CHANNEL,
      subject: 'Release 2.4',
      contentType: 'html',
      content: '<b>Shipped</b> to all regions.',
    },
    request: {
      method: 'POST',
      path: `${channelPath}/messages`,
      json: {
        body: { contentType: 'html', content: '<b>Shipped</b> to all regions.' },
        subject: 'Release 2.4',
      },
    },
    response: {
      status: 201,
      body: chatMessage('1616990171266', '<b>Shipped</b> to all regions.', {
        subject: 'Release 2.4',
        body: { contentType: 'html', content: '<b>Shipped</b> to all regions.' },
      }),
    },
    output: messageOutput('1616990171266', '<b>Shipped</b> to all regions.', {
      subject: 'Release 2.4',
      contentType: 'html',
    }),
  },
  {
    slug: 'reply_to_channel_message',
    input: { teamId: TEAM, channelId: CHANNEL, messageId: '1616990032035', content: 'Hello back' },
    request: {
      method: 'POST',
      path: `${channelPath}/messages/1616990032035/replies`,
      json: { body: { content: 'Hello back' } },
    },
    response: {
      status: 201,
      body: chatMessage('1616990171267', 'Hello back', { replyToId: '1616990032035' }),
    },
    output: messageOutput('1616990171267', 'Hello back', { replyToId: '1616990032035' }),
  },
  {
    slug: 'reply_to_channel_message',
    name: 'html',
    input: {
      teamId: TEAM,
      channelId: CHANNEL,
      messageId: '1616990032035',
      contentType: 'html',
      content: '<p>Thanks!</p>',
    },
    request: {
      method: 'POST',
      path: `${channelPath}/messages/1616990032035/replies`,
      json: { body: { contentType: 'html', content: '<p>Thanks!</p>' } },
    },
    response: {
      status: 201,
      body: chatMessage('1616990171268', '<p>Thanks!</p>', {
        replyToId: '1616990032035',
        body: { contentType: 'html', content: '<p>Thanks!</p>' },
      }),
    },
    output: messageOutput('1616990171268', '<p>Thanks!</p>', {
      replyToId: '1616990032035',
      contentType: 'html',
    }),
  },
  {
    slug: 'list_chats',
    input: { top: 2 },
    request: {
      method: 'GET',
      path: '/me/chats',
      query: { $top: '2', $orderby: 'lastMessagePreview/createdDateTime desc' },
    },
    response: {
      body: {
        '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#chats',
        '@odata.count': 2,
        value: [
          {
            id: CHAT,
            topic: 'Meeting chat sample',
            createdDateTime: '2026-11-30T23:50:41.65Z',
            lastUpdatedDateTime: '2026-12-07T09:14:02.035Z',
            chatType: 'meeting',
            webUrl: `https://teams.microsoft.com/l/chat/${encodeURIComponent(CHAT)}/0?tenantId=${TENANT}`,
            tenantId: TENANT,
            isHiddenForAllMembers: false,
            viewpoint: { isHidden: false, lastMessageReadDateTime: '2026-12-07T09:14:02.035Z' },
            onlineMeetingInfo: null,
          },
          {
            id: '19:561082c0f3f847a58069deb8eb300807@unq.gbl.spaces',
            topic: null,
            createdDateTime: '2026-06-01T00:41:37.332Z',
            lastUpdatedDateTime: '2026-12-06T16:02:11.108Z',
            chatType: 'oneOnOne',
            webUrl: `https://teams.microsoft.com/l/chat/19%3A561082c0f3f847a58069deb8eb300807%40unq.gbl.spaces/0?tenantId=${TENANT}`,
            tenantId: TENANT,
          },
        ],
      },
    },
    output: {
      chats: [
        {
          id: CHAT,
          topic: 'Meeting chat sample',
          chatType: 'meeting',
          lastUpdatedDateTime: '2026-12-07T09:14:02.035Z',
          url: `https://teams.microsoft.com/l/chat/${encodeURIComponent(CHAT)}/0?tenantId=${TENANT}`,
        },
        {
          id: '19:561082c0f3f847a58069deb8eb300807@unq.gbl.spaces',
          topic: null,
          chatType: 'oneOnOne',
          lastUpdatedDateTime: '2026-12-06T16:02:11.108Z',
          url: `https://teams.microsoft.com/l/chat/19%3A561082c0f3f847a58069deb8eb300807%40unq.gbl.spaces/0?tenantId=${TENANT}`,
        },
      ],
    },
  },
  {
    slug: 'list_chat_messages',
    input: { chatId: CHAT, top: 1 },
    request: { method: 'GET', path: chatPath, query: { $top: '1' } },
    response: {
      body: {
        '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#chats('${encodeURIComponent(CHAT)}')/messages`,
        '@odata.count': 1,
        '@odata.nextLink': `https://graph.microsoft.com/v1.0/chats/${CHAT}/messages?$top=1&$skiptoken=M2UyZDAwMDAwMDMxMzkzYTMyNjQ2MTM0NjMzMjM5NjYzNjY0MzczMDM0MzE2NTYzNjEzNzMwNjIzNjMzMzg2MjM0MzM2NDM0MzUzNDMzMzc0MDc0Njg3MjY1NjE2NDJlNzYzMjAxZThmYjY4M2Y3ODAxMDAwMDg4NjA5ODdhNzgwMTAwMDB8MTYxNjk2NDUwOTgzMg%3d%3d`,
        value: [
          chatMessage('1616964509832', 'Hello world', { chatId: CHAT, channelIdentity: null, webUrl: null }),
        ],
      },
    },
    output: {
      messages: [messageOutput('1616964509832', 'Hello world', { url: null })],
      nextLink: `https://graph.microsoft.com/v1.0/chats/${CHAT}/messages?$top=1&$skiptoken=M2UyZDAwMDAwMDMxMzkzYTMyNjQ2MTM0NjMzMjM5NjYzNjY0MzczMDM0MzE2NTYzNjEzNzMwNjIzNjMzMzg2MjM0MzM2NDM0MzUzNDMzMzc0MDc0Njg3MjY1NjE2NDJlNzYzMjAxZThmYjY4M2Y3ODAxMDAwMDg4NjA5ODdhNzgwMTAwMDB8MTYxNjk2NDUwOTgzMg%3d%3d`,
    },
  },
  {
    slug: 'list_chat_messages',
    name: 'the next page, from nextLink’s $skiptoken',
    input: { chatId: CHAT, top: 1, skipToken: CHAT_SKIP_TOKEN },
    request: { method: 'GET', path: chatPath, query: { $top: '1', $skiptoken: CHAT_SKIP_TOKEN } },
    response: {
      body: {
        '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#chats('${encodeURIComponent(CHAT)}')/messages`,
        '@odata.count': 1,
        value: [chatMessage('1616963377068', 'Hi', { chatId: CHAT, channelIdentity: null, webUrl: null })],
      },
    },
    output: { messages: [messageOutput('1616963377068', 'Hi', { url: null })] },
  },
  {
    slug: 'send_chat_message',
    input: { chatId: CHAT, content: 'Hello world' },
    request: { method: 'POST', path: chatPath, json: { body: { content: 'Hello world' } } },
    response: {
      status: 201,
      body: chatMessage('1616991463150', 'Hello world', {
        chatId: CHAT,
        channelIdentity: null,
        webUrl: null,
      }),
    },
    output: messageOutput('1616991463150', 'Hello world', { url: null }),
  },
  {
    slug: 'send_chat_message',
    name: 'html',
    input: { chatId: CHAT, contentType: 'html', content: 'Hello <at>world</at>' },
    request: {
      method: 'POST',
      path: chatPath,
      json: { body: { contentType: 'html', content: 'Hello <at>world</at>' } },
    },
    response: {
      status: 201,
      body: chatMessage('1616991463151', 'Hello <at>world</at>', {
        chatId: CHAT,
        channelIdentity: null,
        webUrl: null,
        body: { contentType: 'html', content: 'Hello <at>world</at>' },
      }),
    },
    output: messageOutput('1616991463151', 'Hello <at>world</at>', { url: null, contentType: 'html' }),
  },
]
