import type { JsonSchema, ToolDefinition } from '../tool-definition.js'
import { eventBody, eventFields, eventMap, eventSchema, sendUpdates } from './google-calendar-shapes.js'

// https://developers.google.com/workspace/calendar/api/v3/reference (read 2026-12-07); paths are
// relative to https://www.googleapis.com/calendar/v3.
const REFERENCE = 'https://developers.google.com/workspace/calendar/api/v3/reference'

const calendarId: JsonSchema = {
  type: 'string',
  minLength: 1,
  description: "The calendar's id (from list_calendars), or 'primary' for the user's main calendar.",
}
const eventId: JsonSchema = {
  type: 'string',
  minLength: 1,
  description: "The event's id (from list_events).",
}

export const GOOGLE_CALENDAR_TOOLS: ToolDefinition[] = [
  {
    slug: 'list_calendars',
    displayName: 'List calendars',
    description: "List the calendars on the user's calendar list, with their ids and the user's access role.",
    inputSchema: {
      type: 'object',
      properties: {
        maxResults: {
          type: 'integer',
          minimum: 1,
          maximum: 250,
          description: 'Calendars per page (max 250).',
        },
        pageToken: { type: 'string', description: 'nextPageToken from the previous page.' },
      },
      required: [],
      additionalProperties: false,
    },
    request: {
      method: 'GET',
      path: '/users/me/calendarList',
      query: { maxResults: 'maxResults', pageToken: 'pageToken' },
    },
    responseSchema: {
      type: 'object',
      properties: {
        nextPageToken: { type: 'string' },
        items: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              id: { type: 'string' },
              summary: { type: 'string' },
              timeZone: { type: 'string' },
              accessRole: { type: 'string' },
              primary: { type: 'boolean' },
            },
          },
        },
      },
    },
    responseFieldMap: {
      'calendars[].id': 'items[].id',
      'calendars[].summary': 'items[].summary',
      'calendars[].timeZone': 'items[].timeZone',
      'calendars[].accessRole': 'items[].accessRole',
      'calendars[].primary': 'items[].primary',
      nextPageToken: 'nextPageToken',
    },
    annotations: { readOnly: true, idempotent: true },
    scopes: ['https://www.googleapis.com/auth/calendar.readonly'],
    docsUrl: `${REFERENCE}/calendarList/list`,
  },
  {
    slug: 'list_events',
    displayName: 'List events',
    description:
      'List events on a calendar, optionally between two times or matching text. Set singleEvents to expand recurring events and order them by start time.',
    inputSchema: {
      type: 'object',
      properties: {
        calendarId,
        timeMin: {
          type: 'string',
          format: 'date-time',
          description: 'Only events ending after this (RFC 3339 with offset).',
        },
        timeMax: {
          type: 'string',
          format: 'date-time',
          description: 'Only events starting before this (RFC 3339 with offset).',
        },
        q: {
          type: 'string',
          maxLength: 1024,
          description: 'Free text matched against summary, description, location and attendees.',
        },
        singleEvents: { type: 'boolean', description: 'Expand recurring events into their instances.' },
        orderBy: {
          type: 'string',
          enum: ['startTime', 'updated'],
          description: 'startTime needs singleEvents true.',
        },
        maxResults: {
          type: 'integer',
          minimum: 1,
          maximum: 2500,
          description: 'Events per page (default 250).',
        },
        pageToken: { type: 'string', description: 'nextPageToken from the previous page.' },
      },
      required: ['calendarId'],
      additionalProperties: false,
    },
    request: {
      method: 'GET',
      path: '/calendars/{calendarId}/events',
      query: {
        timeMin: 'timeMin',
        timeMax: 'timeMax',
        q: 'q',
        singleEvents: 'singleEvents',
        orderBy: 'orderBy',
        maxResults: 'maxResults',
        pageToken: 'pageToken',
      },
    },
    responseSchema: {
      type: 'object',
      properties: {
        summary: { type: 'string' },
        timeZone: { type: 'string' },
        nextPageToken: { type: 'string' },
        items: { type: 'array', items: eventSchema },
      },
    },
    responseFieldMap: {
      timeZone: 'timeZone',
      'events[].id': 'items[].id',
      'events[].summary': 'items[].summary',
      'events[].start': 'items[].start',
      'events[].end': 'items[].end',
      'events[].location': 'items[].location',
      'events[].status': 'items[].status',
      'events[].url': 'items[].htmlLink',
      nextPageToken: 'nextPageToken',
    },
    annotations: { readOnly: true, idempotent: true },
    scopes: ['https://www.googleapis.com/auth/calendar.readonly'],
    docsUrl: `${REFERENCE}/events/list`,
  },
  {
    slug: 'get_event',
    displayName: 'Get event',
    description:
      'Read one event in full: times, place, description, organizer and attendees with their responses.',
    inputSchema: {
      type: 'object',
      properties: { calendarId, eventId },
      required: ['calendarId', 'eventId'],
      additionalProperties: false,
    },
    request: { method: 'GET', path: '/calendars/{calendarId}/events/{eventId}' },
    responseSchema: eventSchema,
    responseFieldMap: eventMap,
    annotations: { readOnly: true, idempotent: true },
    scopes: ['https://www.googleapis.com/auth/calendar.readonly'],
    docsUrl: `${REFERENCE}/events/get`,
  },
  {
    slug: 'create_event',
    displayName: 'Create event',
    description: 'Add an event to a calendar, optionally inviting attendees by email.',
    inputSchema: {
      type: 'object',
      properties: { calendarId, ...eventFields },
      required: ['calendarId', 'summary', 'start', 'end'],
      additionalProperties: false,
    },
    request: {
      method: 'POST',
      path: '/calendars/{calendarId}/events',
      query: { sendUpdates: 'sendUpdates' },
      body: eventBody,
    },
    responseSchema: eventSchema,
    responseFieldMap: eventMap,
    annotations: { readOnly: false },
    scopes: ['https://www.googleapis.com/auth/calendar.events'],
    docsUrl: `${REFERENCE}/events/insert`,
  },
  {
    slug: 'update_event',
    displayName: 'Update event',
    description:
      'Change some fields of an existing event; fields left out stay as they are, attendees given replace the list.',
    inputSchema: {
      type: 'object',
      properties: { calendarId, eventId, ...eventFields },
      required: ['calendarId', 'eventId'],
      additionalProperties: false,
    },
    request: {
      method: 'PATCH',
      path: '/calendars/{calendarId}/events/{eventId}',
      query: { sendUpdates: 'sendUpdates' },
      body: eventBody,
    },
    responseSchema: eventSchema,
    responseFieldMap: eventMap,
    annotations: { readOnly: false, destructive: true, idempotent: true },
    scopes: ['https://www.googleapis.com/auth/calendar.events'],
    docsUrl: `${REFERENCE}/events/patch`,
  },
  {
    slug: 'delete_event',
    displayName: 'Delete event',
    description: 'Delete an event from a calendar (cancels it for attendees when the user organizes it).',
    inputSchema: {
      type: 'object',
      properties: { calendarId, eventId, sendUpdates },
      required: ['calendarId', 'eventId'],
      additionalProperties: false,
    },
    request: {
      method: 'DELETE',
      path: '/calendars/{calendarId}/events/{eventId}',
      query: { sendUpdates: 'sendUpdates' },
    },
    // 204 with an empty body.
    responseSchema: null,
    responseFieldMap: {},
    annotations: { readOnly: false, destructive: true, idempotent: true },
    scopes: ['https://www.googleapis.com/auth/calendar.events'],
    docsUrl: `${REFERENCE}/events/delete`,
  },
  {
    slug: 'query_free_busy',
    displayName: 'Find busy times',
    description: 'Get the busy intervals of one or more calendars between two times, to find a free slot.',
    inputSchema: {
      type: 'object',
      properties: {
        timeMin: {
          type: 'string',
          format: 'date-time',
          description: 'Start of the interval (RFC 3339 with offset).',
        },
        timeMax: {
          type: 'string',
          format: 'date-time',
          description: 'End of the interval (RFC 3339 with offset).',
        },
        timeZone: {
          type: 'string',
          maxLength: 64,
          description: 'IANA time zone of the answer (default UTC).',
        },
        items: {
          type: 'array',
          minItems: 1,
          maxItems: 50,
          description: "Calendars to query, each { id }: a calendar id, 'primary' or a colleague's email.",
          items: {
            type: 'object',
            properties: { id: { type: 'string', minLength: 1, description: 'A calendar id or email.' } },
            required: ['id'],
            additionalProperties: false,
          },
        },
      },
      required: ['timeMin', 'timeMax', 'items'],
      additionalProperties: false,
    },
    request: {
      method: 'POST',
      path: '/freeBusy',
      body: { fields: { timeMin: 'timeMin', timeMax: 'timeMax', timeZone: 'timeZone', items: 'items' } },
    },
    responseSchema: {
      type: 'object',
      properties: {
        timeMin: { type: 'string' },
        timeMax: { type: 'string' },
        calendars: {
          type: 'object',
          additionalProperties: {
            type: 'object',
            properties: {
              busy: {
                type: 'array',
                items: { type: 'object', properties: { start: { type: 'string' }, end: { type: 'string' } } },
              },
              errors: { type: 'array' },
            },
          },
        },
      },
    },
    // Keyed by the calendar ids asked for: { primary: { busy: [{ start, end }] } }.
    responseFieldMap: { timeMin: 'timeMin', timeMax: 'timeMax', calendars: 'calendars' },
    // A POST that only reads.
    annotations: { readOnly: true, idempotent: true },
    scopes: ['https://www.googleapis.com/auth/calendar.readonly'],
    docsUrl: `${REFERENCE}/freebusy/query`,
  },
]
