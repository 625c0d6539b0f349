import type { JsonSchema } from '../tool-definition.js'

// Shapes of Microsoft Graph's mail and calendar resources that several Outlook tools share:
// https://learn.microsoft.com/en-us/graph/api/resources/recipient, resources/datetimetimezone and
// resources/event (read 2026-12-07).

export const emailAddress: JsonSchema = {
  type: 'object',
  properties: {
    address: { type: 'string', format: 'email', description: 'The email address.' },
    name: { type: 'string', maxLength: 256, description: 'The display name.' },
  },
  required: ['address'],
  additionalProperties: false,
}

/** Graph's recipient, taken as Graph writes it (a list of strings cannot be mapped to it). */
export const recipients = (what: string): JsonSchema => ({
  type: 'array',
  maxItems: 500,
  description: `${what}, each { emailAddress: { address, name? } }.`,
  items: {
    type: 'object',
    properties: { emailAddress },
    required: ['emailAddress'],
    additionalProperties: false,
  },
})
export const contentType: JsonSchema = {
  type: 'string',
  enum: ['Text', 'HTML'],
  description: 'How the body is written.',
}

/** dateTimeTimeZone: a local time without offset and the zone it is in. */
export const dateTimeTimeZone = (which: string): JsonSchema => ({
  type: 'object',
  description: `When the event ${which}.`,
  properties: {
    dateTime: {
      type: 'string',
      maxLength: 32,
      description: 'Local time without offset, e.g. 2026-12-08T10:00:00.',
    },
    timeZone: {
      type: 'string',
      maxLength: 64,
      description: "Windows or IANA zone name, e.g. 'Europe/Paris' or 'UTC'.",
    },
  },
  required: ['dateTime', 'timeZone'],
  additionalProperties: false,
})

export const addressSchema: JsonSchema = {
  type: 'object',
  properties: {
    emailAddress: { type: 'object', properties: { name: { type: 'string' }, address: { type: 'string' } } },
  },
}
const timeSchema: JsonSchema = {
  type: 'object',
  properties: { dateTime: { type: 'string' }, timeZone: { type: 'string' } },
}
export const eventSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    subject: { type: 'string' },
    start: timeSchema,
    end: timeSchema,
    location: { type: 'object', properties: { displayName: { type: 'string' } } },
    organizer: addressSchema,
    isAllDay: { type: 'boolean' },
    onlineMeeting: { type: ['object', 'null'], properties: { joinUrl: { type: 'string' } } },
    webLink: { type: 'string' },
  },
}
export const eventMap = (prefix: string, from: string): Record<string, string> => ({
  [`${prefix}id`]: `${from}id`,
  [`${prefix}subject`]: `${from}subject`,
  [`${prefix}start`]: `${from}start`,
  [`${prefix}end`]: `${from}end`,
  [`${prefix}location`]: `${from}location.displayName`,
  [`${prefix}organizer`]: `${from}organizer.emailAddress.address`,
  [`${prefix}isAllDay`]: `${from}isAllDay`,
  [`${prefix}joinUrl`]: `${from}onlineMeeting.joinUrl`,
  [`${prefix}url`]: `${from}webLink`,
})
