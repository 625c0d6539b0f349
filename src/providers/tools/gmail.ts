import type { JsonSchema, ToolDefinition } from '../tool-definition.js'

// https://developers.google.com/workspace/gmail/api/reference/rest (read 2026-12-07); paths are
// relative to https://gmail.googleapis.com.
const REFERENCE = 'https://developers.google.com/workspace/gmail/api/reference/rest/v1'
const MESSAGES = '/gmail/v1/users/me/messages'

const messageId: JsonSchema = {
  type: 'string',
  minLength: 1,
  description: "The message's id (from list_messages).",
}
const labelIds = (what: string): JsonSchema => ({
  type: 'array',
  maxItems: 100,
  items: { type: 'string', minLength: 1 },
  description: `Label ids ${what} (from list_labels; system ones are INBOX, UNREAD, STARRED, IMPORTANT, SPAM, TRASH).`,
})
const addresses = (what: string): JsonSchema => ({
  type: 'array',
  maxItems: 100,
  items: { type: 'string', minLength: 3, maxLength: 320 },
  description: `${what}: addresses, each 'ada@example.com' or 'Ada Lovelace <ada@example.com>'.`,
})

/** An RFC 5322 Message-ID, angle brackets included (the encoder checks it the same way). */
const rfcMessageId: JsonSchema = { type: 'string', maxLength: 998, pattern: '^<[!-;=?-~]+@[!-;=?-~]+>$' }
// Gmail puts a message in a thread when threadId is set, In-Reply-To and References name a message of
// it, and the Subject matches: https://developers.google.com/gmail/api/guides/threads (read 2026-12-07).
/** The fields the rfc822_message encoder reads, and the thread a reply goes to. */
const mailInput: JsonSchema = {
  type: 'object',
  properties: {
    to: addresses('Recipients'),
    cc: addresses('Copy recipients'),
    bcc: addresses('Blind copy recipients'),
    subject: { type: 'string', maxLength: 998, description: 'The subject line.' },
    body: { type: 'string', maxLength: 100000, description: 'The message, as plain text.' },
    threadId: {
      type: 'string',
      minLength: 1,
      maxLength: 64,
      pattern: '^[0-9a-fA-F]+$',
      description:
        'To reply in a thread: its threadId (from search_messages or get_message); also set inReplyTo and keep its subject.',
    },
    inReplyTo: {
      ...rfcMessageId,
      description: 'The Message-ID header of the message answered, like <CAB…@mail.gmail.com>.',
    },
    references: {
      type: 'array',
      items: rfcMessageId,
      maxItems: 100,
      description: 'The thread’s Message-IDs: the answered message’s References header, then its Message-ID.',
    },
  },
  required: ['to', 'subject', 'body'],
  additionalProperties: false,
}

/** Gmail's Message resource, the fields the maps read. */
const messageSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    threadId: { type: 'string' },
    labelIds: { type: 'array', items: { type: 'string' } },
    snippet: { type: 'string' },
    internalDate: { type: 'string' },
    payload: {
      type: 'object',
      properties: {
        mimeType: { type: 'string' },
        headers: {
          type: 'array',
          items: { type: 'object', properties: { name: { type: 'string' }, value: { type: 'string' } } },
        },
        body: { type: 'object', properties: { size: { type: 'integer' }, data: { type: 'string' } } },
        parts: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              mimeType: { type: 'string' },
              body: { type: 'object', properties: { data: { type: 'string' } } },
            },
          },
        },
      },
    },
  },
}

const messageLabelsMap = { id: 'id', threadId: 'threadId', labelIds: 'labelIds' }

export const GMAIL_TOOLS: ToolDefinition[] = [
  {
    slug: 'list_messages',
    displayName: 'Search messages',
    description:
      'Find messages with a Gmail search query (from:, to:, subject:, is:unread, newer_than:2d, …); returns ids to read with get_message.',
    inputSchema: {
      type: 'object',
      properties: {
        q: {
          type: 'string',
          maxLength: 2048,
          description: "Gmail search syntax, e.g. 'from:ada@example.com is:unread'.",
        },
        labelIds: labelIds('every returned message has'),
        maxResults: {
          type: 'integer',
          minimum: 1,
          maximum: 500,
          description: 'Messages per page (default 100, max 500).',
        },
        pageToken: { type: 'string', description: 'nextPageToken from the previous page.' },
        includeSpamTrash: { type: 'boolean', description: 'Include messages in Spam and Trash.' },
      },
      required: [],
      additionalProperties: false,
    },
    request: {
      method: 'GET',
      path: MESSAGES,
      query: {
        q: 'q',
        labelIds: 'labelIds',
        maxResults: 'maxResults',
        pageToken: 'pageToken',
        includeSpamTrash: 'includeSpamTrash',
      },
    },
    responseSchema: {
      type: 'object',
      properties: {
        messages: {
          type: 'array',
          items: { type: 'object', properties: { id: { type: 'string' }, threadId: { type: 'string' } } },
        },
        nextPageToken: { type: 'string' },
        resultSizeEstimate: { type: 'integer' },
      },
    },
    responseFieldMap: {
      'messages[].id': 'messages[].id',
      'messages[].threadId': 'messages[].threadId',
      nextPageToken: 'nextPageToken',
      resultSizeEstimate: 'resultSizeEstimate',
    },
    annotations: { readOnly: true, idempotent: true },
    scopes: ['https://www.googleapis.com/auth/gmail.readonly'],
    docsUrl: `${REFERENCE}/users.messages/list`,
  },
  {
    slug: 'get_message',
    displayName: 'Read message',
    description:
      "Read one message: its headers (From, To, Subject, Date), snippet and labels; with format 'full' also the body parts, base64url-encoded.",
    inputSchema: {
      type: 'object',
      properties: {
        id: messageId,
        format: {
          type: 'string',
          enum: ['metadata', 'full', 'minimal'],
          description: 'metadata: headers only (default full returns the body too); minimal: ids and labels.',
        },
        metadataHeaders: {
          type: 'array',
          maxItems: 20,
          items: { type: 'string', maxLength: 100 },
          description: "With format 'metadata', only these headers (e.g. From, Subject).",
        },
      },
      required: ['id'],
      additionalProperties: false,
    },
    request: {
      method: 'GET',
      path: `${MESSAGES}/{id}`,
      query: { format: 'format', metadataHeaders: 'metadataHeaders' },
    },
    responseSchema: messageSchema,
    responseFieldMap: {
      id: 'id',
      threadId: 'threadId',
      labelIds: 'labelIds',
      snippet: 'snippet',
      internalDate: 'internalDate',
      mimeType: 'payload.mimeType',
      'headers[].name': 'payload.headers[].name',
      'headers[].value': 'payload.headers[].value',
      bodyData: 'payload.body.data',
      'parts[].mimeType': 'payload.parts[].mimeType',
      'parts[].bodyData': 'payload.parts[].body.data',
    },
    annotations: { readOnly: true, idempotent: true },
    scopes: ['https://www.googleapis.com/auth/gmail.readonly'],
    docsUrl: `${REFERENCE}/users.messages/get`,
  },
  {
    slug: 'send_message',
    displayName: 'Send email',
    description:
      'Send a plain-text email from the user’s Gmail account right away, as a new message or a reply in a thread.',
    inputSchema: mailInput,
    request: {
      method: 'POST',
      path: `${MESSAGES}/send`,
      encoder: 'rfc822_message',
      body: { fields: { raw: 'raw', threadId: 'threadId' } },
    },
    responseSchema: messageSchema,
    responseFieldMap: messageLabelsMap,
    annotations: { readOnly: false },
    scopes: ['https://www.googleapis.com/auth/gmail.send'],
    docsUrl: `${REFERENCE}/users.messages/send`,
  },
  {
    slug: 'create_draft',
    displayName: 'Create draft',
    description:
      'Save a plain-text email (or a reply in a thread) as a draft for the user to review and send from Gmail.',
    inputSchema: mailInput,
    request: {
      method: 'POST',
      path: '/gmail/v1/users/me/drafts',
      encoder: 'rfc822_message',
      body: { fields: { 'message.raw': 'raw', 'message.threadId': 'threadId' } },
    },
    responseSchema: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        message: { type: 'object', properties: { id: { type: 'string' }, threadId: { type: 'string' } } },
      },
    },
    responseFieldMap: { draftId: 'id', messageId: 'message.id', threadId: 'message.threadId' },
    annotations: { readOnly: false },
    scopes: ['https://www.googleapis.com/auth/gmail.compose'],
    docsUrl: `${REFERENCE}/users.drafts/create`,
  },
  {
    slug: 'list_labels',
    displayName: 'List labels',
    description:
      'List the mailbox’s labels (system and user-made) with their ids, for searching and labelling.',
    inputSchema: { type: 'object', properties: {}, required: [], additionalProperties: false },
    request: { method: 'GET', path: '/gmail/v1/users/me/labels' },
    responseSchema: {
      type: 'object',
      properties: {
        labels: {
          type: 'array',
          items: {
            type: 'object',
            properties: { id: { type: 'string' }, name: { type: 'string' }, type: { type: 'string' } },
          },
        },
      },
    },
    responseFieldMap: {
      'labels[].id': 'labels[].id',
      'labels[].name': 'labels[].name',
      'labels[].type': 'labels[].type',
    },
    annotations: { readOnly: true, idempotent: true },
    scopes: ['https://www.googleapis.com/auth/gmail.readonly'],
    docsUrl: `${REFERENCE}/users.labels/list`,
  },
  {
    slug: 'modify_labels',
    displayName: 'Label message',
    description:
      'Add or remove labels on a message: archive (remove INBOX), mark read (remove UNREAD), star (add STARRED) or file it under a label.',
    inputSchema: {
      type: 'object',
      properties: { id: messageId, addLabelIds: labelIds('to add'), removeLabelIds: labelIds('to remove') },
      required: ['id'],
      // The id and at least one of the two lists.
      minProperties: 2,
      additionalProperties: false,
    },
    request: {
      method: 'POST',
      path: `${MESSAGES}/{id}/modify`,
      body: { fields: { addLabelIds: 'addLabelIds', removeLabelIds: 'removeLabelIds' } },
    },
    responseSchema: messageSchema,
    responseFieldMap: messageLabelsMap,
    annotations: { readOnly: false, idempotent: true },
    scopes: ['https://www.googleapis.com/auth/gmail.modify'],
    docsUrl: `${REFERENCE}/users.messages/modify`,
  },
  {
    slug: 'trash_message',
    displayName: 'Move to trash',
    description: 'Move a message to Trash (Gmail deletes it for good after 30 days).',
    inputSchema: {
      type: 'object',
      properties: { id: messageId },
      required: ['id'],
      additionalProperties: false,
    },
    request: { method: 'POST', path: `${MESSAGES}/{id}/trash` },
    responseSchema: messageSchema,
    responseFieldMap: messageLabelsMap,
    annotations: { readOnly: false, destructive: true, idempotent: true },
    scopes: ['https://www.googleapis.com/auth/gmail.modify'],
    docsUrl: `${REFERENCE}/users.messages/trash`,
  },
]
