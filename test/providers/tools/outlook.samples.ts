import type { JsonValue } from '../../../src/providers/tool-definition.js'
import type { ToolSample } from './sample.js'

// Response bodies in the shapes of the examples at https://learn.microsoft.com/en-us/graph/api/
// user-list-messages, message-get, user-list-calendarview, user-post-events and user-list-mailfolders.

const MESSAGE_FIELDS =
  'id,subject,from,toRecipients,receivedDateTime,bodyPreview,isRead,hasAttachments,conversationId,webLink'
const EVENT_FIELDS = 'id,subject,start,end,location,organizer,isAllDay,isOnlineMeeting,onlineMeeting,webLink'
const MESSAGE_ID =
  'AAMkAGVmMDEzMTM4LTZmYWUtNDdkNC1hMDZiLTU1OGY5OTZhYmY4OABGAAAAAAAiQ8W967B7TKBjgx9rVEURBwAiIsqMbYjsT5e-T7KzowPTAAAAAAEMAAAiIsqMbYjsT5e-T7KzowPTAAAYbvZDAAA='
const WEB_LINK = `https://outlook.office365.com/owa/?ItemID=${encodeURIComponent(MESSAGE_ID)}&exvsurl=1&viewmodel=ReadMessageItem`
const CONVERSATION = 'AAQkAGVmMDEzMTM4LTZmYWUtNDdkNC1hMDZiLTU1OGY5OTZhYmY4OAAQAO8b4BAGXTBLr-V6Y9nVO4I='

const meganFrom = { emailAddress: { name: 'Megan Bowen', address: 'MeganB@contoso.com' } }
const adeleTo = [{ emailAddress: { name: 'Adele Vance', address: 'AdeleV@contoso.com' } }]

const eventId = 'AAMkAGViNDU7zAAAAA7zAAAZe6CkAAA='
const planning: JsonValue = {
  '@odata.etag': 'W/"ZlnW4RIAV06KYYwlrfNZvQAALfZeRQ=="',
  id: eventId,
  subject: 'Plan summer company picnic',
  start: { dateTime: '2026-12-08T09:00:00.0000000', timeZone: 'Europe/Paris' },
  end: { dateTime: '2026-12-08T10:00:00.0000000', timeZone: 'Europe/Paris' },
  location: { displayName: 'Conf Room 3', locationType: 'default', uniqueIdType: 'unknown' },
  organizer: { emailAddress: { name: 'Adele Vance', address: 'AdeleV@contoso.com' } },
  isAllDay: false,
  isOnlineMeeting: true,
  onlineMeeting: { joinUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_MTk4NzE1@thread.v2/0' },
  webLink:
    'https://outlook.office365.com/owa/?itemid=AAMkAGViNDU7zAAAAA7zAAAZe6CkAAA%3D&exvsurl=1&path=/calendar/item',
}
const planningOutput = {
  id: eventId,
  subject: 'Plan summer company picnic',
  start: { dateTime: '2026-12-08T09:00:00.0000000', timeZone: 'Europe/Paris' },
  end: { dateTime: '2026-12-08T10:00:00.0000000', timeZone: 'Europe/Paris' },
  location: 'Conf Room 3',
  organizer: 'AdeleV@contoso.com',
  isAllDay: false,
  joinUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_MTk4NzE1@thread.v2/0',
  url: 'https://outlook.office365.com/owa/?itemid=AAMkAGViNDU7zAAAAA7zAAAZe6CkAAA%3D&exvsurl=1&path=/calendar/item',
}

export const outlookSamples: ToolSample[] = [
  {
    slug: 'list_messages',
    input: { filter: 'isRead eq false', orderby: 'receivedDateTime desc', top: 1 },
    request: {
      method: 'GET',
      path: '/me/messages',
      query: {
        $filter: 'isRead eq false',
        $orderby: 'receivedDateTime desc',
        $top: '1',
        $select: MESSAGE_FIELDS,
      },
    },
    response: {
      body: {
        '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users('AdeleV%40contoso.com')/messages(${MESSAGE_FIELDS})`,
        '@odata.nextLink': `https://graph.microsoft.com/v1.0/me/messages?$filter=isRead+eq+false&$top=1&$skip=1`,
        value: [
          {
            '@odata.etag': 'W/"CQAAABYAAAAiIsqMbYjsT5e/T7KzowPTAAAYc8Xo"',
            id: MESSAGE_ID,
            subject: 'Q4 planning',
            from: meganFrom,
            toRecipients: adeleTo,
            receivedDateTime: '2026-12-07T08:14:02Z',
            bodyPreview: 'Can we review the Q4 numbers on Tuesday?',
            isRead: false,
            hasAttachments: false,
            conversationId: CONVERSATION,
            webLink: WEB_LINK,
          },
        ],
      },
    },
    output: {
      messages: [
        {
          id: MESSAGE_ID,
          subject: 'Q4 planning',
          from: 'MeganB@contoso.com',
          fromName: 'Megan Bowen',
          receivedDateTime: '2026-12-07T08:14:02Z',
          preview: 'Can we review the Q4 numbers on Tuesday?',
          isRead: false,
          hasAttachments: false,
          conversationId: CONVERSATION,
          url: WEB_LINK,
        },
      ],
    },
  },
  {
    slug: 'list_messages',
    name: 'KQL search, nothing found',
    input: { search: '"from:megan budget"' },
    request: {
      method: 'GET',
      path: '/me/messages',
      query: { $search: '"from:megan budget"', $select: MESSAGE_FIELDS },
    },
    response: {
      body: {
        '@odata.context': "https://graph.microsoft.com/v1.0/$metadata#users('AdeleV%40contoso.com')/messages",
        value: [],
      },
    },
    output: { messages: [] },
  },
  {
    slug: 'get_message',
    input: { messageId: MESSAGE_ID },
    request: {
      method: 'GET',
      path: `/me/messages/${encodeURIComponent(MESSAGE_ID)}`,
      query: { $select: `${MESSAGE_FIELDS},ccRecipients,body` },
    },
    response: {
      body: {
        '@odata.context':
          "https://graph.microsoft.com/v1.0/$metadata#users('AdeleV%40contoso.com')/messages/$entity",
        '@odata.etag': 'W/"CQAAABYAAAAiIsqMbYjsT5e/T7KzowPTAAAYc8Xo"',
        id: MESSAGE_ID,
        subject: 'Q4 planning',
        from: meganFrom,
        toRecipients: adeleTo,
        ccRecipients: [],
        receivedDateTime: '2026-12-07T08:14:02Z',
        bodyPreview: 'Can we review the Q4 numbers on Tuesday?',
        body: { contentType: 'text', content: 'Can we review the Q4 numbers on Tuesday?\r\n\r\nMegan' },
        isRead: false,
        hasAttachments: false,
        conversationId: CONVERSATION,
        webLink: WEB_LINK,
      },
    },
    output: {
      id: MESSAGE_ID,
      subject: 'Q4 planning',
      from: 'MeganB@contoso.com',
      fromName: 'Megan Bowen',
      to: [{ address: 'AdeleV@contoso.com', name: 'Adele Vance' }],
      cc: [],
      receivedDateTime: '2026-12-07T08:14:02Z',
      body: 'Can we review the Q4 numbers on Tuesday?\r\n\r\nMegan',
      isRead: false,
      conversationId: CONVERSATION,
      url: WEB_LINK,
    },
  },
  {
    slug: 'send_mail',
    input: {
      subject: 'Meet for lunch?',
      contentType: 'Text',
      body: 'The new cafeteria is open.',
      toRecipients: [{ emailAddress: { address: 'frannis@contoso.com' } }],
    },
    request: {
      method: 'POST',
      path: '/me/sendMail',
      json: {
        message: {
          subject: 'Meet for lunch?',
          body: { contentType: 'Text', content: 'The new cafeteria is open.' },
          toRecipients: [{ emailAddress: { address: 'frannis@contoso.com' } }],
        },
      },
    },
    response: { status: 202, body: null },
    output: null,
  },
  {
    slug: 'send_mail',
    name: 'HTML with cc and bcc, not saved',
    input: {
      subject: 'Offsite agenda',
      contentType: 'HTML',
      body: '<p>Agenda <b>attached</b>.</p>',
      toRecipients: [{ emailAddress: { address: 'MeganB@contoso.com', name: 'Megan Bowen' } }],
      ccRecipients: [{ emailAddress: { address: 'danas@contoso.com' } }],
      bccRecipients: [{ emailAddress: { address: 'audit@contoso.com' } }],
      saveToSentItems: false,
    },
    request: {
      method: 'POST',
      path: '/me/sendMail',
      json: {
        message: {
          subject: 'Offsite agenda',
          body: { contentType: 'HTML', content: '<p>Agenda <b>attached</b>.</p>' },
          toRecipients: [{ emailAddress: { address: 'MeganB@contoso.com', name: 'Megan Bowen' } }],
          ccRecipients: [{ emailAddress: { address: 'danas@contoso.com' } }],
          bccRecipients: [{ emailAddress: { address: 'audit@contoso.com' } }],
        },
        saveToSentItems: false,
      },
    },
    response: { status: 202, body: null },
    output: null,
  },
  {
    slug: 'reply_to_message',
    input: { messageId: MESSAGE_ID, comment: 'Tuesday 3pm works for me.' },
    request: {
      method: 'POST',
      path: `/me/messages/${encodeURIComponent(MESSAGE_ID)}/reply`,
      json: { comment: 'Tuesday 3pm works for me.' },
    },
    response: { status: 202, body: null },
    output: null,
  },
  {
    slug: 'list_events',
    input: { startDateTime: '2026-12-08T00:00:00Z', endDateTime: '2026-12-09T00:00:00Z', top: 10 },
    request: {
      method: 'GET',
      path: '/me/calendarView',
      query: {
        startDateTime: '2026-12-08T00:00:00Z',
        endDateTime: '2026-12-09T00:00:00Z',
        $top: '10',
        $orderby: 'start/dateTime',
        $select: EVENT_FIELDS,
      },
    },
    response: {
      body: {
        '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users('AdeleV%40contoso.com')/calendarView(${EVENT_FIELDS})`,
        value: [
          planning,
          {
            '@odata.etag': 'W/"ZlnW4RIAV06KYYwlrfNZvQAAKGWwbw=="',
            id: 'AAMkAGViNDU7zAAAAA7zAAAZe6CkBBB=',
            subject: 'Holiday',
            start: { dateTime: '2026-12-08T00:00:00.0000000', timeZone: 'UTC' },
            end: { dateTime: '2026-12-09T00:00:00.0000000', timeZone: 'UTC' },
            location: { displayName: '' },
            organizer: { emailAddress: { name: 'Adele Vance', address: 'AdeleV@contoso.com' } },
            isAllDay: true,
            isOnlineMeeting: false,
            onlineMeeting: null,
            webLink:
              'https://outlook.office365.com/owa/?itemid=AAMkAGViNDU7zAAAAA7zAAAZe6CkBBB%3D&exvsurl=1&path=/calendar/item',
          },
        ],
      },
    },
    output: {
      events: [
        planningOutput,
        {
          id: 'AAMkAGViNDU7zAAAAA7zAAAZe6CkBBB=',
          subject: 'Holiday',
          start: { dateTime: '2026-12-08T00:00:00.0000000', timeZone: 'UTC' },
          end: { dateTime: '2026-12-09T00:00:00.0000000', timeZone: 'UTC' },
          location: '',
          organizer: 'AdeleV@contoso.com',
          isAllDay: true,
          url: 'https://outlook.office365.com/owa/?itemid=AAMkAGViNDU7zAAAAA7zAAAZe6CkBBB%3D&exvsurl=1&path=/calendar/item',
        },
      ],
    },
  },
  {
    slug: 'list_events',
    name: 'next page by skip',
    input: { startDateTime: '2026-12-08T00:00:00Z', endDateTime: '2026-12-15T00:00:00Z', skip: 10 },
    request: {
      method: 'GET',
      path: '/me/calendarView',
      query: {
        startDateTime: '2026-12-08T00:00:00Z',
        endDateTime: '2026-12-15T00:00:00Z',
        $skip: '10',
        $orderby: 'start/dateTime',
        $select: EVENT_FIELDS,
      },
    },
    response: { body: { value: [planning] } },
    output: { events: [planningOutput] },
  },
  {
    slug: 'create_event',
    input: {
      subject: 'Plan summer company picnic',
      start: { dateTime: '2026-12-08T09:00:00', timeZone: 'Europe/Paris' },
      end: { dateTime: '2026-12-08T10:00:00', timeZone: 'Europe/Paris' },
      contentType: 'HTML',
      body: 'Let us kick-start this event planning!',
      location: 'Conf Room 3',
      attendees: [{ emailAddress: { address: 'DanaS@contoso.com', name: 'Dana Swope' }, type: 'required' }],
      isOnlineMeeting: true,
    },
    request: {
      method: 'POST',
      path: '/me/events',
      json: {
        subject: 'Plan summer company picnic',
        start: { dateTime: '2026-12-08T09:00:00', timeZone: 'Europe/Paris' },
        end: { dateTime: '2026-12-08T10:00:00', timeZone: 'Europe/Paris' },
        body: { contentType: 'HTML', content: 'Let us kick-start this event planning!' },
        location: { displayName: 'Conf Room 3' },
        attendees: [{ emailAddress: { address: 'DanaS@contoso.com', name: 'Dana Swope' }, type: 'required' }],
        isOnlineMeeting: true,
      },
    },
    response: { status: 201, body: planning },
    output: planningOutput,
  },
  {
    slug: 'create_event',
    name: 'just a time block',
    input: {
      subject: 'Focus time',
      start: { dateTime: '2026-12-09T14:00:00', timeZone: 'UTC' },
      end: { dateTime: '2026-12-09T16:00:00', timeZone: 'UTC' },
    },
    request: {
      method: 'POST',
      path: '/me/events',
      json: {
        subject: 'Focus time',
        start: { dateTime: '2026-12-09T14:00:00', timeZone: 'UTC' },
        end: { dateTime: '2026-12-09T16:00:00', timeZone: 'UTC' },
      },
    },
    response: {
      status: 201,
      body: {
        id: 'AAMkAGViNDU7zAAAAA7zAAAZe6CkCCC=',
        subject: 'Focus time',
        start: { dateTime: '2026-12-09T14:00:00.0000000', timeZone: 'UTC' },
        end: { dateTime: '2026-12-09T16:00:00.0000000', timeZone: 'UTC' },
        location: { displayName: '', locationType: 'default' },
        organizer: { emailAddress: { name: 'Adele Vance', address: 'AdeleV@contoso.com' } },
        isAllDay: false,
        isOnlineMeeting: false,
        onlineMeeting: null,
        webLink:
          'https://outlook.office365.com/owa/?itemid=AAMkAGViNDU7zAAAAA7zAAAZe6CkCCC%3D&exvsurl=1&path=/calendar/item',
      },
    },
    output: {
      id: 'AAMkAGViNDU7zAAAAA7zAAAZe6CkCCC=',
      subject: 'Focus time',
      start: { dateTime: '2026-12-09T14:00:00.0000000', timeZone: 'UTC' },
      end: { dateTime: '2026-12-09T16:00:00.0000000', timeZone: 'UTC' },
      location: '',
      organizer: 'AdeleV@contoso.com',
      isAllDay: false,
      url: 'https://outlook.office365.com/owa/?itemid=AAMkAGViNDU7zAAAAA7zAAAZe6CkCCC%3D&exvsurl=1&path=/calendar/item',
    },
  },
  {
    slug: 'list_mail_folders',
    input: {},
    request: { method: 'GET', path: '/me/mailFolders' },
    response: {
      body: {
        '@odata.context':
          "https://graph.microsoft.com/v1.0/$metadata#users('AdeleV%40contoso.com')/mailFolders",
        value: [
          {
            id: 'AAMkAGVmMDEzMTM4LTZmYWUtNDdkNC1hMDZiLTU1OGY5OTZhYmY4OAAuAAAAAAAiQ8W967B7TKBjgx9rVEURAQAiIsqMbYjsT5e-T7KzowPTAAAAAAEMAAA=',
            displayName: 'Inbox',
            parentFolderId:
              'AAMkAGVmMDEzMTM4LTZmYWUtNDdkNC1hMDZiLTU1OGY5OTZhYmY4OAAuAAAAAAAiQ8W967B7TKBjgx9rVEURAQAiIsqMbYjsT5e-T7KzowPTAAAAAAEIAAA=',
            childFolderCount: 1,
            unreadItemCount: 70,
            totalItemCount: 71,
            sizeInBytes: 2392476,
            isHidden: false,
          },
        ],
      },
    },
    output: {
      folders: [
        {
          id: 'AAMkAGVmMDEzMTM4LTZmYWUtNDdkNC1hMDZiLTU1OGY5OTZhYmY4OAAuAAAAAAAiQ8W967B7TKBjgx9rVEURAQAiIsqMbYjsT5e-T7KzowPTAAAAAAEMAAA=',
          name: 'Inbox',
          childFolderCount: 1,
          unreadItemCount: 70,
          totalItemCount: 71,
        },
      ],
    },
  },
  {
    slug: 'list_mail_folders',
    name: 'second page',
    input: { top: 10, skip: 10 },
    request: { method: 'GET', path: '/me/mailFolders', query: { $top: '10', $skip: '10' } },
    response: { body: { value: [] } },
    output: { folders: [] },
  },
]
