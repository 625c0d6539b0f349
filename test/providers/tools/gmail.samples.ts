import type { JsonValue } from '../../../src/providers/tool-definition.js'
import type { ToolSamples } from './sample.js'

// Response bodies in the shapes of https://developers.google.com/workspace/gmail/api/reference/rest
// (Message, ListMessagesResponse, Draft, ListLabelsResponse).

const MESSAGES = '/gmail/v1/users/me/messages'

/*
 * MIME-Version: 1.0 / To: bob@example.com / Subject: Quarterly numbers /
 * Content-Type: text/plain; charset=UTF-8 / Content-Transfer-Encoding: base64, then the body in base64.
 */
const QUARTERLY_RAW =
  'TUlNRS1WZXJzaW9uOiAxLjANClRvOiBib2JAZXhhbXBsZS5jb20NClN1YmplY3Q6IFF1YXJ0ZXJseSBudW1iZXJzDQpDb250ZW50LVR5cGU6IHRleHQvcGxhaW47IGNoYXJzZXQ9VVRGLTgNCkNvbnRlbnQtVHJhbnNmZXItRW5jb2Rpbmc6IGJhc2U2NA0KDQpTR2tnUW05aUxBb0tWR2hsSUZFMElITm9aV1YwSUdseklHbHVJSFJvWlNCemFHRnlaV1FnWkhKcGRtVXVDZ3BCYkdsalpRPT0'
const quarterly = {
  to: ['bob@example.com'],
  subject: 'Quarterly numbers',
  body: 'Hi Bob,\n\nThe Q4 sheet is in the shared drive.\n\nAlice',
}

/* A reply in Bob's thread: In-Reply-To and References name his message (folded), Subject "Re: …". */
const REPLY_RAW =
  'TUlNRS1WZXJzaW9uOiAxLjANClRvOiBib2JAZXhhbXBsZS5jb20NClN1YmplY3Q6IFJlOiBRdWFydGVybHkgbnVtYmVycw0KSW4tUmVwbHktVG86IDxDQUo3eTVMbTB4OXJRQG1haWwuZ21haWwuY29tPg0KUmVmZXJlbmNlczogPENBSDJhMVBxOHczelRAbWFpbC5nbWFpbC5jb20-DQogPENBSjd5NUxtMHg5clFAbWFpbC5nbWFpbC5jb20-DQpDb250ZW50LVR5cGU6IHRleHQvcGxhaW47IGNoYXJzZXQ9VVRGLTgNCkNvbnRlbnQtVHJhbnNmZXItRW5jb2Rpbmc6IGJhc2U2NA0KDQpWR2hoYm10ekxDQkNiMkl1SUV4dmIydHpJR2R2YjJRdUNncEJiR2xqWlE9PQ'
const reply = {
  to: ['bob@example.com'],
  subject: 'Re: Quarterly numbers',
  body: 'Thanks, Bob. Looks good.\n\nAlice',
  threadId: '18c8f3a5b6c7d8e9',
  inReplyTo: '<CAJ7y5Lm0x9rQ@mail.gmail.com>',
  references: ['<CAH2a1Pq8w3zT@mail.gmail.com>', '<CAJ7y5Lm0x9rQ@mail.gmail.com>'],
}

/* To: Bob Martin <bob@example.com>, carol@example.com / Cc / Bcc / Subject: RFC 2047 "Réunion lundi". */
const REUNION_RAW =
  'TUlNRS1WZXJzaW9uOiAxLjANClRvOiBCb2IgTWFydGluIDxib2JAZXhhbXBsZS5jb20-LA0KIGNhcm9sQGV4YW1wbGUuY29tDQpDYzogZGF2ZUBleGFtcGxlLmNvbQ0KQmNjOiBhdWRpdEBleGFtcGxlLmNvbQ0KU3ViamVjdDogPT9VVEYtOD9CP1VzT3BkVzVwYjI0Z2JIVnVaR2s9Pz0NCkNvbnRlbnQtVHlwZTogdGV4dC9wbGFpbjsgY2hhcnNldD1VVEYtOA0KQ29udGVudC1UcmFuc2Zlci1FbmNvZGluZzogYmFzZTY0DQoNClRIVnVaR2tnTVRCb0xDQnpZV3hzWlNBMExqSXU'
const reunion = {
  to: ['Bob Martin <bob@example.com>', 'carol@example.com'],
  cc: ['dave@example.com'],
  bcc: ['audit@example.com'],
  subject: 'Réunion lundi',
  body: 'Lundi 10h, salle 4.2.',
}

const sent = (labelIds: string[]): JsonValue => ({
  id: '18c8f2a3b5d4e6f7',
  threadId: '18c8f2a3b5d4e6f7',
  labelIds,
})

/** A message as users.messages.get answers with format=full: a multipart/alternative with two parts. */
const fullMessage: JsonValue = {
  id: '18c8e1f0a2b3c4d5',
  threadId: '18c8e1f0a2b3c4d5',
  labelIds: ['UNREAD', 'IMPORTANT', 'CATEGORY_PERSONAL', 'INBOX'],
  snippet: 'Hi Alice, can we move Tuesday&#39;s review to 3pm? Thanks, Bob',
  payload: {
    partId: '',
    mimeType: 'multipart/alternative',
    filename: '',
    headers: [
      { name: 'From', value: 'Bob Martin <bob@example.com>' },
      { name: 'To', value: 'alice@example.com' },
      { name: 'Subject', value: 'Review time' },
      { name: 'Date', value: 'Mon, 7 Dec 2026 09:14:02 +0100' },
    ],
    body: { size: 0 },
    parts: [
      {
        partId: '0',
        mimeType: 'text/plain',
        filename: '',
        headers: [{ name: 'Content-Type', value: 'text/plain; charset="UTF-8"' }],
        body: {
          size: 62,
          data: 'SGkgQWxpY2UsIGNhbiB3ZSBtb3ZlIFR1ZXNkYXkncyByZXZpZXcgdG8gM3BtPyBUaGFua3MsIEJvYg0K',
        },
      },
      {
        partId: '1',
        mimeType: 'text/html',
        filename: '',
        headers: [{ name: 'Content-Type', value: 'text/html; charset="UTF-8"' }],
        body: {
          size: 80,
          data: 'PGRpdj5IaSBBbGljZSwgY2FuIHdlIG1vdmUgVHVlc2RheSdzIHJldmlldyB0byAzcG0_PC9kaXY-DQo',
        },
      },
    ],
  },
  sizeEstimate: 5312,
  historyId: '1824151',
  internalDate: '1796631242000',
}

export const gmailSamples: ToolSamples = {
  gmail: [
    {
      slug: 'list_messages',
      input: { q: 'from:bob@example.com is:unread', maxResults: 2 },
      request: {
        method: 'GET',
        path: MESSAGES,
        query: { q: 'from:bob@example.com is:unread', maxResults: '2' },
      },
      response: {
        body: {
          messages: [
            { id: '18c8e1f0a2b3c4d5', threadId: '18c8e1f0a2b3c4d5' },
            { id: '18c8d9e8f7a6b5c4', threadId: '18c8c0b1a2d3e4f5' },
          ],
          nextPageToken: '09483736251515837371',
          resultSizeEstimate: 7,
        },
      },
      output: {
        messages: [
          { id: '18c8e1f0a2b3c4d5', threadId: '18c8e1f0a2b3c4d5' },
          { id: '18c8d9e8f7a6b5c4', threadId: '18c8c0b1a2d3e4f5' },
        ],
        nextPageToken: '09483736251515837371',
        resultSizeEstimate: 7,
      },
    },
    {
      slug: 'list_messages',
      name: 'two labels, next page, nothing left',
      input: { labelIds: ['INBOX', 'UNREAD'], pageToken: '09483736251515837371', includeSpamTrash: false },
      request: {
        method: 'GET',
        path: MESSAGES,
        query: {
          labelIds: ['INBOX', 'UNREAD'],
          pageToken: '09483736251515837371',
          includeSpamTrash: 'false',
        },
      },
      // An empty result has no `messages` at all.
      response: { body: { resultSizeEstimate: 0 } },
      output: { resultSizeEstimate: 0 },
    },
    {
      slug: 'get_message',
      input: { id: '18c8e1f0a2b3c4d5' },
      request: { method: 'GET', path: `${MESSAGES}/18c8e1f0a2b3c4d5` },
      response: { body: fullMessage },
      output: {
        id: '18c8e1f0a2b3c4d5',
        threadId: '18c8e1f0a2b3c4d5',
        labelIds: ['UNREAD', 'IMPORTANT', 'CATEGORY_PERSONAL', 'INBOX'],
        snippet: 'Hi Alice, can we move Tuesday&#39;s review to 3pm? Thanks, Bob',
        internalDate: '1796631242000',
        mimeType: 'multipart/alternative',
        headers: [
          { name: 'From', value: 'Bob Martin <bob@example.com>' },
          { name: 'To', value: 'alice@example.com' },
          { name: 'Subject', value: 'Review time' },
          { name: 'Date', value: 'Mon, 7 Dec 2026 09:14:02 +0100' },
        ],
        parts: [
          {
            mimeType: 'text/plain',
            bodyData: 'SGkgQWxpY2UsIGNhbiB3ZSBtb3ZlIFR1ZXNkYXkncyByZXZpZXcgdG8gM3BtPyBUaGFua3MsIEJvYg0K',
          },
          {
            mimeType: 'text/html',
            bodyData: 'PGRpdj5IaSBBbGljZSwgY2FuIHdlIG1vdmUgVHVlc2RheSdzIHJldmlldyB0byAzcG0_PC9kaXY-DQo',
          },
        ],
      },
    },
    {
      slug: 'get_message',
      name: 'metadata with two headers',
      input: { id: '18c8e1f0a2b3c4d5', format: 'metadata', metadataHeaders: ['From', 'Subject'] },
      request: {
        method: 'GET',
        path: `${MESSAGES}/18c8e1f0a2b3c4d5`,
        query: { format: 'metadata', metadataHeaders: ['From', 'Subject'] },
      },
      response: {
        body: {
          id: '18c8e1f0a2b3c4d5',
          threadId: '18c8e1f0a2b3c4d5',
          labelIds: ['INBOX'],
          snippet: 'Hi Alice, can we move Tuesday&#39;s review to 3pm? Thanks, Bob',
          payload: {
            mimeType: 'multipart/alternative',
            headers: [
              { name: 'From', value: 'Bob Martin <bob@example.com>' },
              { name: 'Subject', value: 'Review time' },
            ],
          },
          sizeEstimate: 5312,
          historyId: '1824151',
          internalDate: '1796631242000',
        },
      },
      output: {
        id: '18c8e1f0a2b3c4d5',
        threadId: '18c8e1f0a2b3c4d5',
        labelIds: ['INBOX'],
        snippet: 'Hi Alice, can we move Tuesday&#39;s review to 3pm? Thanks, Bob',
        internalDate: '1796631242000',
        mimeType: 'multipart/alternative',
        headers: [
          { name: 'From', value: 'Bob Martin <bob@example.com>' },
          { name: 'Subject', value: 'Review time' },
        ],
      },
    },
    {
      slug: 'send_message',
      input: quarterly,
      request: { method: 'POST', path: `${MESSAGES}/send`, json: { raw: QUARTERLY_RAW } },
      response: { body: sent(['SENT']) },
      output: sent(['SENT']),
    },
    {
      slug: 'send_message',
      name: 'two recipients, cc, bcc and a non-ASCII subject',
      input: reunion,
      request: { method: 'POST', path: `${MESSAGES}/send`, json: { raw: REUNION_RAW } },
      response: { body: sent(['SENT']) },
      output: sent(['SENT']),
    },
    {
      slug: 'send_message',
      name: 'a reply in a thread',
      input: reply,
      request: {
        method: 'POST',
        path: `${MESSAGES}/send`,
        json: { raw: REPLY_RAW, threadId: '18c8f3a5b6c7d8e9' },
      },
      response: { body: { id: '18c8f7e9f0a1b2c3', threadId: '18c8f3a5b6c7d8e9', labelIds: ['SENT'] } },
      output: { id: '18c8f7e9f0a1b2c3', threadId: '18c8f3a5b6c7d8e9', labelIds: ['SENT'] },
    },
    {
      slug: 'create_draft',
      name: 'a reply in a thread',
      input: reply,
      request: {
        method: 'POST',
        path: '/gmail/v1/users/me/drafts',
        json: { message: { raw: REPLY_RAW, threadId: '18c8f3a5b6c7d8e9' } },
      },
      response: {
        body: {
          id: 'r-3301928475610293847',
          message: { id: '18c8f6d8e9f0a1b2', threadId: '18c8f3a5b6c7d8e9', labelIds: ['DRAFT'] },
        },
      },
      output: {
        draftId: 'r-3301928475610293847',
        messageId: '18c8f6d8e9f0a1b2',
        threadId: '18c8f3a5b6c7d8e9',
      },
    },
    {
      slug: 'create_draft',
      input: quarterly,
      request: {
        method: 'POST',
        path: '/gmail/v1/users/me/drafts',
        json: { message: { raw: QUARTERLY_RAW } },
      },
      response: {
        body: {
          id: 'r-5182749361820173645',
          message: { id: '18c8f4b6c7d8e9f0', threadId: '18c8f4b6c7d8e9f0', labelIds: ['DRAFT'] },
        },
      },
      output: {
        draftId: 'r-5182749361820173645',
        messageId: '18c8f4b6c7d8e9f0',
        threadId: '18c8f4b6c7d8e9f0',
      },
    },
    {
      slug: 'create_draft',
      name: 'two recipients, cc, bcc and a non-ASCII subject',
      input: reunion,
      request: { method: 'POST', path: '/gmail/v1/users/me/drafts', json: { message: { raw: REUNION_RAW } } },
      response: {
        body: {
          id: 'r-7261538495012736481',
          message: { id: '18c8f5c7d8e9f0a1', threadId: '18c8f5c7d8e9f0a1', labelIds: ['DRAFT'] },
        },
      },
      output: {
        draftId: 'r-7261538495012736481',
        messageId: '18c8f5c7d8e9f0a1',
        threadId: '18c8f5c7d8e9f0a1',
      },
    },
    {
      slug: 'list_labels',
      input: {},
      request: { method: 'GET', path: '/gmail/v1/users/me/labels' },
      response: {
        body: {
          labels: [
            {
              id: 'INBOX',
              name: 'INBOX',
              messageListVisibility: 'hide',
              labelListVisibility: 'labelShow',
              type: 'system',
            },
            { id: 'UNREAD', name: 'UNREAD', type: 'system' },
            {
              id: 'Label_4',
              name: 'Receipts',
              messageListVisibility: 'show',
              labelListVisibility: 'labelShow',
              type: 'user',
            },
          ],
        },
      },
      output: {
        labels: [
          { id: 'INBOX', name: 'INBOX', type: 'system' },
          { id: 'UNREAD', name: 'UNREAD', type: 'system' },
          { id: 'Label_4', name: 'Receipts', type: 'user' },
        ],
      },
    },
    {
      slug: 'modify_labels',
      input: { id: '18c8e1f0a2b3c4d5', removeLabelIds: ['UNREAD', 'INBOX'] },
      request: {
        method: 'POST',
        path: `${MESSAGES}/18c8e1f0a2b3c4d5/modify`,
        json: { removeLabelIds: ['UNREAD', 'INBOX'] },
      },
      response: { body: { id: '18c8e1f0a2b3c4d5', threadId: '18c8e1f0a2b3c4d5', labelIds: ['IMPORTANT'] } },
      output: { id: '18c8e1f0a2b3c4d5', threadId: '18c8e1f0a2b3c4d5', labelIds: ['IMPORTANT'] },
    },
    {
      slug: 'modify_labels',
      name: 'add and remove at once',
      input: { id: '18c8e1f0a2b3c4d5', addLabelIds: ['Label_4', 'STARRED'], removeLabelIds: ['INBOX'] },
      request: {
        method: 'POST',
        path: `${MESSAGES}/18c8e1f0a2b3c4d5/modify`,
        json: { addLabelIds: ['Label_4', 'STARRED'], removeLabelIds: ['INBOX'] },
      },
      response: {
        body: {
          id: '18c8e1f0a2b3c4d5',
          threadId: '18c8e1f0a2b3c4d5',
          labelIds: ['STARRED', 'IMPORTANT', 'Label_4'],
        },
      },
      output: {
        id: '18c8e1f0a2b3c4d5',
        threadId: '18c8e1f0a2b3c4d5',
        labelIds: ['STARRED', 'IMPORTANT', 'Label_4'],
      },
    },
    {
      slug: 'trash_message',
      input: { id: '18c8e1f0a2b3c4d5' },
      request: { method: 'POST', path: `${MESSAGES}/18c8e1f0a2b3c4d5/trash` },
      response: {
        body: { id: '18c8e1f0a2b3c4d5', threadId: '18c8e1f0a2b3c4d5', labelIds: ['TRASH', 'IMPORTANT'] },
      },
      output: { id: '18c8e1f0a2b3c4d5', threadId: '18c8e1f0a2b3c4d5', labelIds: ['TRASH', 'IMPORTANT'] },
    },
  ],
}
