import type { JsonSchema, ToolDefinition } from '../tool-definition.js'
import {
  addressSchema,
  contentType,
  dateTimeTimeZone,
  emailAddress,
  eventMap,
  eventSchema,
  recipients,
} from './microsoft-shapes.js'

// https://learn.microsoft.com/en-us/graph/api/resources/mail-api-overview and calendar-api-overview
// (read 2026-12-07); paths are relative to https://graph.microsoft.com/v1.0. Graph pages with an
// `@odata.nextLink` URL, which a dotted map path cannot name (its key has a dot): lists page with $skip.
const API = 'https://learn.microsoft.com/en-us/graph/api'
const MESSAGE_FIELDS =
  'id,subject,from,toRecipients,receivedDateTime,bodyPreview,isRead,hasAttachments,conversationId,webLink'
const EVENT_FIELDS = 'id,subject,start,end,location,organizer,isAllDay,isOnlineMeeting,onlineMeeting,webLink'

const messageId: JsonSchema = {
  type: 'string',
  minLength: 1,
  description: "The message's id (from list_messages).",
}
const top = (max: number, what: string): JsonSchema => ({
  type: 'integer',
  minimum: 1,
  maximum: max,
  description: `${what} per page (max ${max}).`,
})
const skip: JsonSchema = { type: 'integer', minimum: 0, description: 'How many to skip, for the next page.' }

export const MICROSOFT_MAIL_TOOLS: ToolDefinition[] = [
  {
    slug: 'list_messages',
    displayName: 'List or search mail',
    description:
      'List messages across the mailbox, newest first, or find them with a search ("from:ada budget") or an OData filter (isRead eq false).',
    inputSchema: {
      type: 'object',
      properties: {
        search: {
          type: 'string',
          maxLength: 1024,
          description:
            'KQL search in double quotes, e.g. "\\"from:ada@example.com budget\\"" (not with filter, orderby or skip).',
        },
        filter: {
          type: 'string',
          maxLength: 1024,
          description: 'OData filter, e.g. "isRead eq false and importance eq \'high\'".',
        },
        orderby: {
          type: 'string',
          maxLength: 200,
          description: "Sort, e.g. 'receivedDateTime desc' (the default).",
        },
        top: top(1000, 'Messages'),
        skip,
      },
      required: [],
      additionalProperties: false,
    },
    request: {
      method: 'GET',
      path: '/me/messages',
      query: {
        $search: 'search',
        $filter: 'filter',
        $orderby: 'orderby',
        $top: 'top',
        $skip: 'skip',
        $select: { const: MESSAGE_FIELDS },
      },
    },
    responseSchema: {
      type: 'object',
      properties: {
        value: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              id: { type: 'string' },
              subject: { type: 'string' },
              from: addressSchema,
              receivedDateTime: { type: 'string' },
              bodyPreview: { type: 'string' },
              isRead: { type: 'boolean' },
              hasAttachments: { type: 'boolean' },
              conversationId: { type: 'string' },
              webLink: { type: 'string' },
            },
          },
        },
      },
    },
    responseFieldMap: {
      'messages[].id': 'value[].id',
      'messages[].subject': 'value[].subject',
      'messages[].from': 'value[].from.emailAddress.address',
      'messages[].fromName': 'value[].from.emailAddress.name',
      'messages[].receivedDateTime': 'value[].receivedDateTime',
      'messages[].preview': 'value[].bodyPreview',
      'messages[].isRead': 'value[].isRead',
      'messages[].hasAttachments': 'value[].hasAttachments',
      'messages[].conversationId': 'value[].conversationId',
      'messages[].url': 'value[].webLink',
    },
    annotations: { readOnly: true, idempotent: true },
    scopes: ['Mail.Read'],
    docsUrl: `${API}/user-list-messages`,
  },
  {
    slug: 'get_message',
    displayName: 'Read message',
    description: 'Read one message in full: sender, recipients, time and its body as plain text.',
    inputSchema: {
      type: 'object',
      properties: { messageId },
      required: ['messageId'],
      additionalProperties: false,
    },
    request: {
      method: 'GET',
      path: '/me/messages/{messageId}',
      query: { $select: { const: `${MESSAGE_FIELDS},ccRecipients,body` } },
      headers: { Prefer: 'outlook.body-content-type="text"' },
    },
    responseSchema: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        subject: { type: 'string' },
        from: addressSchema,
        toRecipients: { type: 'array', items: addressSchema },
        ccRecipients: { type: 'array', items: addressSchema },
        receivedDateTime: { type: 'string' },
        body: {
          type: 'object',
          properties: { contentType: { type: 'string' }, content: { type: 'string' } },
        },
        isRead: { type: 'boolean' },
        conversationId: { type: 'string' },
        webLink: { type: 'string' },
      },
    },
    responseFieldMap: {
      id: 'id',
      subject: 'subject',
      from: 'from.emailAddress.address',
      fromName: 'from.emailAddress.name',
      'to[].address': 'toRecipients[].emailAddress.address',
      'to[].name': 'toRecipients[].emailAddress.name',
      'cc[].address': 'ccRecipients[].emailAddress.address',
      'cc[].name': 'ccRecipients[].emailAddress.name',
      receivedDateTime: 'receivedDateTime',
      body: 'body.content',
      isRead: 'isRead',
      conversationId: 'conversationId',
      url: 'webLink',
    },
    annotations: { readOnly: true, idempotent: true },
    scopes: ['Mail.Read'],
    docsUrl: `${API}/message-get`,
  },
  {
    slug: 'send_mail',
    displayName: 'Send email',
    description: "Send an email from the user's Outlook mailbox right away (a copy goes to Sent Items).",
    inputSchema: {
      type: 'object',
      properties: {
        subject: { type: 'string', maxLength: 255, description: 'The subject line.' },
        contentType,
        body: { type: 'string', maxLength: 100000, description: 'The message, in the contentType given.' },
        toRecipients: recipients('Recipients'),
        ccRecipients: recipients('Copy recipients'),
        bccRecipients: recipients('Blind copy recipients'),
        saveToSentItems: { type: 'boolean', description: 'Keep a copy in Sent Items (default true).' },
      },
      required: ['subject', 'contentType', 'body', 'toRecipients'],
      additionalProperties: false,
    },
    request: {
      method: 'POST',
      path: '/me/sendMail',
      body: {
        fields: {
          'message.subject': 'subject',
          'message.body.contentType': 'contentType',
          'message.body.content': 'body',
          'message.toRecipients': 'toRecipients',
          'message.ccRecipients': 'ccRecipients',
          'message.bccRecipients': 'bccRecipients',
          saveToSentItems: 'saveToSentItems',
        },
      },
    },
    // 202 Accepted with no body.
    responseSchema: null,
    responseFieldMap: {},
    annotations: { readOnly: false },
    scopes: ['Mail.Send'],
    docsUrl: `${API}/user-sendmail`,
  },
  {
    slug: 'reply_to_message',
    displayName: 'Reply to message',
    description: 'Reply to the sender of a message (in its conversation) with a comment, sent right away.',
    inputSchema: {
      type: 'object',
      properties: {
        messageId,
        comment: {
          type: 'string',
          minLength: 1,
          maxLength: 100000,
          description: 'The reply text, above the quoted message.',
        },
      },
      required: ['messageId', 'comment'],
      additionalProperties: false,
    },
    request: {
      method: 'POST',
      path: '/me/messages/{messageId}/reply',
      body: { fields: { comment: 'comment' } },
    },
    // 202 Accepted with no body.
    responseSchema: null,
    responseFieldMap: {},
    annotations: { readOnly: false },
    scopes: ['Mail.Send'],
    docsUrl: `${API}/message-reply`,
  },
  {
    slug: 'list_events',
    displayName: 'List calendar events',
    description:
      "List the events in the user's calendar between two times, recurring ones expanded into their occurrences, earliest first.",
    inputSchema: {
      type: 'object',
      properties: {
        startDateTime: {
          type: 'string',
          format: 'date-time',
          description: 'Start of the window, ISO 8601, e.g. 2026-12-08T00:00:00Z.',
        },
        endDateTime: { type: 'string', format: 'date-time', description: 'End of the window, ISO 8601.' },
        top: top(1000, 'Events'),
        skip,
      },
      required: ['startDateTime', 'endDateTime'],
      additionalProperties: false,
    },
    request: {
      method: 'GET',
      path: '/me/calendarView',
      query: {
        startDateTime: 'startDateTime',
        endDateTime: 'endDateTime',
        $top: 'top',
        $skip: 'skip',
        $orderby: { const: 'start/dateTime' },
        $select: { const: EVENT_FIELDS },
      },
    },
    responseSchema: { type: 'object', properties: { value: { type: 'array', items: eventSchema } } },
    responseFieldMap: eventMap('events[].', 'value[].'),
    annotations: { readOnly: true, idempotent: true },
    scopes: ['Calendars.Read'],
    docsUrl: `${API}/user-list-calendarview`,
  },
  {
    slug: 'create_event',
    displayName: 'Create calendar event',
    description:
      "Add an event to the user's calendar; attendees get an invitation, and it can carry a Teams meeting.",
    inputSchema: {
      type: 'object',
      properties: {
        subject: { type: 'string', maxLength: 255, description: "The event's title." },
        start: dateTimeTimeZone('starts'),
        end: dateTimeTimeZone('ends'),
        contentType,
        body: {
          type: 'string',
          maxLength: 32000,
          description: 'Notes in the invitation (needs contentType).',
        },
        location: { type: 'string', maxLength: 255, description: 'Where, as shown to attendees.' },
        attendees: {
          type: 'array',
          maxItems: 500,
          description:
            'People to invite, each { emailAddress: { address, name? }, type: required | optional }.',
          items: {
            type: 'object',
            properties: {
              emailAddress,
              type: {
                type: 'string',
                enum: ['required', 'optional', 'resource'],
                description: 'Attendance.',
              },
            },
            required: ['emailAddress'],
            additionalProperties: false,
          },
        },
        isOnlineMeeting: {
          type: 'boolean',
          description: 'Add a Teams meeting link (work or school accounts).',
        },
      },
      required: ['subject', 'start', 'end'],
      additionalProperties: false,
    },
    request: {
      method: 'POST',
      path: '/me/events',
      body: {
        fields: {
          subject: 'subject',
          start: 'start',
          end: 'end',
          'body.contentType': 'contentType',
          'body.content': 'body',
          'location.displayName': 'location',
          attendees: 'attendees',
          isOnlineMeeting: 'isOnlineMeeting',
        },
      },
    },
    responseSchema: eventSchema,
    responseFieldMap: eventMap('', ''),
    annotations: { readOnly: false },
    scopes: ['Calendars.ReadWrite'],
    docsUrl: `${API}/user-post-events`,
  },
  {
    slug: 'list_mail_folders',
    displayName: 'List mail folders',
    description: 'List the top-level mail folders (Inbox, Sent Items, …) with their ids and unread counts.',
    inputSchema: {
      type: 'object',
      properties: { top: top(1000, 'Folders'), skip },
      required: [],
      additionalProperties: false,
    },
    request: { method: 'GET', path: '/me/mailFolders', query: { $top: 'top', $skip: 'skip' } },
    responseSchema: {
      type: 'object',
      properties: {
        value: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              id: { type: 'string' },
              displayName: { type: 'string' },
              childFolderCount: { type: 'integer' },
              unreadItemCount: { type: 'integer' },
              totalItemCount: { type: 'integer' },
            },
          },
        },
      },
    },
    responseFieldMap: {
      'folders[].id': 'value[].id',
      'folders[].name': 'value[].displayName',
      'folders[].childFolderCount': 'value[].childFolderCount',
      'folders[].unreadItemCount': 'value[].unreadItemCount',
      'folders[].totalItemCount': 'value[].totalItemCount',
    },
    annotations: { readOnly: true, idempotent: true },
    scopes: ['Mail.Read'],
    docsUrl: `${API}/user-list-mailfolders`,
  },
]
