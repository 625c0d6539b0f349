import type { JsonSchema } from '../tool-definition.js'

// Google Calendar's Event resource, as the tools in google-calendar.ts write and read it:
// https://developers.google.com/workspace/calendar/api/v3/reference/events (read 2026-12-07).

/** Google's EventDateTime: `dateTime` (RFC 3339) for a timed event, `date` for an all-day one. */
export const eventTime = (which: string): JsonSchema => ({
  type: 'object',
  description: `When the event ${which}: dateTime with an offset or a timeZone, or date for an all-day event.`,
  properties: {
    dateTime: {
      type: 'string',
      format: 'date-time',
      description: 'RFC 3339, e.g. 2026-12-08T10:00:00+01:00.',
    },
    date: { type: 'string', format: 'date', description: 'yyyy-mm-dd, for an all-day event.' },
    timeZone: { type: 'string', maxLength: 64, description: 'IANA time zone, e.g. Europe/Paris.' },
  },
  additionalProperties: false,
})

export const sendUpdates: JsonSchema = {
  type: 'string',
  enum: ['all', 'externalOnly', 'none'],
  description: 'Who gets an email about the change (default none).',
}

export const eventFields: Record<string, JsonSchema> = {
  summary: { type: 'string', maxLength: 1024, description: "The event's title." },
  description: { type: 'string', maxLength: 8192, description: 'Notes shown with the event (HTML allowed).' },
  location: { type: 'string', maxLength: 1024, description: 'Free-form place or address.' },
  start: eventTime('starts'),
  end: eventTime('ends'),
  attendees: {
    type: 'array',
    maxItems: 100,
    description: 'People to invite, by email.',
    items: {
      type: 'object',
      properties: {
        email: { type: 'string', format: 'email', description: "The attendee's email address." },
        optional: { type: 'boolean', description: 'Whether attending is optional.' },
      },
      required: ['email'],
      additionalProperties: false,
    },
  },
  sendUpdates,
}

export const eventBody = {
  fields: {
    summary: 'summary',
    description: 'description',
    location: 'location',
    start: 'start',
    end: 'end',
    attendees: 'attendees',
  },
}

export const text: JsonSchema = { type: 'string' }
export const timeSchema: JsonSchema = {
  type: 'object',
  properties: { dateTime: text, date: text, timeZone: text },
}

export const eventSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    status: { type: 'string' },
    htmlLink: { type: 'string' },
    summary: { type: 'string' },
    description: { type: 'string' },
    location: { type: 'string' },
    start: timeSchema,
    end: timeSchema,
    organizer: { type: 'object', properties: { email: { type: 'string' } } },
    attendees: {
      type: 'array',
      items: {
        type: 'object',
        properties: { email: { type: 'string' }, responseStatus: { type: 'string' } },
      },
    },
    hangoutLink: { type: 'string' },
  },
}

export const eventMap = {
  id: 'id',
  status: 'status',
  summary: 'summary',
  description: 'description',
  location: 'location',
  start: 'start',
  end: 'end',
  organizer: 'organizer.email',
  'attendees[].email': 'attendees[].email',
  'attendees[].responseStatus': 'attendees[].responseStatus',
  url: 'htmlLink',
  meetUrl: 'hangoutLink',
}
