import type { JsonValue } from '../../../src/providers/tool-definition.js'
import type { ToolSamples } from './sample.js'

// Response bodies follow the examples and resource shapes of
// https://developers.google.com/workspace/calendar/api/v3/reference (calendarList, events, freebusy).

const paris = {
  start: { dateTime: '2026-12-08T10:00:00+01:00', timeZone: 'Europe/Paris' },
  end: { dateTime: '2026-12-08T10:30:00+01:00', timeZone: 'Europe/Paris' },
}

const teamSyncLink =
  'https://www.google.com/calendar/event?eid=N2NiaDhycGMxMGxyYzBja2loOXRhZnNzOTkgYWxpY2VAZXhhbXBsZS5jb20'

const teamSync: JsonValue = {
  kind: 'calendar#event',
  etag: '"3391846551926000"',
  id: '7cbh8rpc10lrc0ckih9tafss99',
  status: 'confirmed',
  htmlLink: teamSyncLink,
  created: '2026-12-01T09:12:31.000Z',
  updated: '2026-12-01T09:12:31.963Z',
  summary: 'Team sync',
  description: 'Weekly planning',
  location: 'Room 4.2',
  creator: { email: 'alice@example.com', self: true },
  organizer: { email: 'alice@example.com', self: true },
  start: { dateTime: '2026-12-08T10:00:00+01:00', timeZone: 'Europe/Paris' },
  end: { dateTime: '2026-12-08T10:30:00+01:00', timeZone: 'Europe/Paris' },
  iCalUID: '7cbh8rpc10lrc0ckih9tafss99@google.com',
  sequence: 0,
  attendees: [
    { email: 'alice@example.com', organizer: true, self: true, responseStatus: 'accepted' },
    { email: 'bob@example.com', responseStatus: 'needsAction' },
  ],
  hangoutLink: 'https://meet.google.com/abc-defg-hij',
  reminders: { useDefault: true },
  eventType: 'default',
}

const teamSyncOutput: { [key: string]: JsonValue } = {
  id: '7cbh8rpc10lrc0ckih9tafss99',
  status: 'confirmed',
  summary: 'Team sync',
  description: 'Weekly planning',
  location: 'Room 4.2',
  start: { dateTime: '2026-12-08T10:00:00+01:00', timeZone: 'Europe/Paris' },
  end: { dateTime: '2026-12-08T10:30:00+01:00', timeZone: 'Europe/Paris' },
  organizer: 'alice@example.com',
  attendees: [
    { email: 'alice@example.com', responseStatus: 'accepted' },
    { email: 'bob@example.com', responseStatus: 'needsAction' },
  ],
  url: teamSyncLink,
  meetUrl: 'https://meet.google.com/abc-defg-hij',
}

const event = '/calendars/primary/events/7cbh8rpc10lrc0ckih9tafss99'

export const googleCalendarSamples: ToolSamples = {
  google_calendar: [
    {
      slug: 'list_calendars',
      input: {},
      request: { method: 'GET', path: '/users/me/calendarList' },
      response: {
        body: {
          kind: 'calendar#calendarList',
          etag: '"p32ofplf5q6gf80g"',
          nextSyncToken: 'CPDAlvWDx70CEPDAlvWDx70CGAU=',
          items: [
            {
              kind: 'calendar#calendarListEntry',
              etag: '"1669883541926000"',
              id: 'alice@example.com',
              summary: 'alice@example.com',
              timeZone: 'Europe/Paris',
              colorId: '14',
              backgroundColor: '#9fe1e7',
              foregroundColor: '#000000',
              selected: true,
              accessRole: 'owner',
              defaultReminders: [{ method: 'popup', minutes: 10 }],
              primary: true,
            },
            {
              kind: 'calendar#calendarListEntry',
              etag: '"1669883541926001"',
              id: 'en.french#holiday@group.v.calendar.google.com',
              summary: 'Holidays in France',
              timeZone: 'Europe/Paris',
              accessRole: 'reader',
            },
          ],
        },
      },
      output: {
        calendars: [
          {
            id: 'alice@example.com',
            summary: 'alice@example.com',
            timeZone: 'Europe/Paris',
            accessRole: 'owner',
            primary: true,
          },
          {
            id: 'en.french#holiday@group.v.calendar.google.com',
            summary: 'Holidays in France',
            timeZone: 'Europe/Paris',
            accessRole: 'reader',
          },
        ],
      },
    },
    {
      slug: 'list_calendars',
      name: 'second page',
      input: { maxResults: 1, pageToken: 'EhsKGWFsaWNlQGV4YW1wbGUuY29t' },
      request: {
        method: 'GET',
        path: '/users/me/calendarList',
        query: { maxResults: '1', pageToken: 'EhsKGWFsaWNlQGV4YW1wbGUuY29t' },
      },
      response: {
        body: {
          kind: 'calendar#calendarList',
          etag: '"p32ofplf5q6gf80g"',
          nextPageToken: 'EjIKMGVuLmZyZW5jaCNob2xpZGF5',
          items: [
            {
              kind: 'calendar#calendarListEntry',
              id: 'team@group.calendar.google.com',
              summary: 'Team',
              timeZone: 'UTC',
              accessRole: 'writer',
            },
          ],
        },
      },
      output: {
        calendars: [
          { id: 'team@group.calendar.google.com', summary: 'Team', timeZone: 'UTC', accessRole: 'writer' },
        ],
        nextPageToken: 'EjIKMGVuLmZyZW5jaCNob2xpZGF5',
      },
    },
    {
      slug: 'list_events',
      input: {
        calendarId: 'primary',
        timeMin: '2026-12-08T00:00:00+01:00',
        timeMax: '2026-12-09T00:00:00+01:00',
        singleEvents: true,
        orderBy: 'startTime',
      },
      request: {
        method: 'GET',
        path: '/calendars/primary/events',
        query: {
          timeMin: '2026-12-08T00:00:00+01:00',
          timeMax: '2026-12-09T00:00:00+01:00',
          singleEvents: 'true',
          orderBy: 'startTime',
        },
      },
      response: {
        body: {
          kind: 'calendar#events',
          etag: '"p33c9rd2k6vvf80g"',
          summary: 'alice@example.com',
          updated: '2026-12-01T09:12:31.963Z',
          timeZone: 'Europe/Paris',
          accessRole: 'owner',
          defaultReminders: [{ method: 'popup', minutes: 10 }],
          nextSyncToken: 'CODv0dSDx70CEODv0dSDx70CGAUggICA',
          items: [teamSync],
        },
      },
      output: {
        timeZone: 'Europe/Paris',
        events: [
          {
            id: '7cbh8rpc10lrc0ckih9tafss99',
            summary: 'Team sync',
            ...paris,
            location: 'Room 4.2',
            status: 'confirmed',
            url: teamSyncLink,
          },
        ],
      },
    },
    {
      slug: 'list_events',
      name: 'text search on a shared calendar, next page',
      input: {
        calendarId: 'team@group.calendar.google.com',
        q: 'offsite',
        maxResults: 10,
        pageToken: 'CigKGjdjYmg4cnBjMTBscmMw',
      },
      request: {
        method: 'GET',
        path: '/calendars/team%40group.calendar.google.com/events',
        query: { q: 'offsite', maxResults: '10', pageToken: 'CigKGjdjYmg4cnBjMTBscmMw' },
      },
      response: {
        body: {
          kind: 'calendar#events',
          summary: 'Team',
          timeZone: 'UTC',
          accessRole: 'writer',
          nextPageToken: 'CigKGjVzMnVqYjNsZ2x1N3A4',
          items: [
            {
              kind: 'calendar#event',
              id: '5s2ujb3lglu7p8d1i5e4rvqk1c',
              status: 'confirmed',
              htmlLink: 'https://www.google.com/calendar/event?eid=NXMydWpiM2xnbHU3cDhkMWk1ZTRydnFrMWM',
              summary: 'Offsite',
              start: { date: '2027-01-14' },
              end: { date: '2027-01-16' },
            },
          ],
        },
      },
      output: {
        timeZone: 'UTC',
        events: [
          {
            id: '5s2ujb3lglu7p8d1i5e4rvqk1c',
            summary: 'Offsite',
            start: { date: '2027-01-14' },
            end: { date: '2027-01-16' },
            status: 'confirmed',
            url: 'https://www.google.com/calendar/event?eid=NXMydWpiM2xnbHU3cDhkMWk1ZTRydnFrMWM',
          },
        ],
        nextPageToken: 'CigKGjVzMnVqYjNsZ2x1N3A4',
      },
    },
    {
      slug: 'get_event',
      input: { calendarId: 'primary', eventId: '7cbh8rpc10lrc0ckih9tafss99' },
      request: { method: 'GET', path: event },
      response: { body: teamSync },
      output: teamSyncOutput,
    },
    {
      slug: 'create_event',
      input: {
        calendarId: 'primary',
        summary: 'Team sync',
        description: 'Weekly planning',
        location: 'Room 4.2',
        start: { dateTime: '2026-12-08T10:00:00+01:00', timeZone: 'Europe/Paris' },
        end: { dateTime: '2026-12-08T10:30:00+01:00', timeZone: 'Europe/Paris' },
        attendees: [{ email: 'bob@example.com' }],
        sendUpdates: 'all',
      },
      request: {
        method: 'POST',
        path: '/calendars/primary/events',
        query: { sendUpdates: 'all' },
        json: {
          summary: 'Team sync',
          description: 'Weekly planning',
          location: 'Room 4.2',
          start: { dateTime: '2026-12-08T10:00:00+01:00', timeZone: 'Europe/Paris' },
          end: { dateTime: '2026-12-08T10:30:00+01:00', timeZone: 'Europe/Paris' },
          attendees: [{ email: 'bob@example.com' }],
        },
      },
      response: { body: teamSync },
      output: teamSyncOutput,
    },
    {
      slug: 'create_event',
      name: 'all-day event, no attendees',
      input: {
        calendarId: 'primary',
        summary: 'Offsite',
        start: { date: '2027-01-14' },
        end: { date: '2027-01-16' },
      },
      request: {
        method: 'POST',
        path: '/calendars/primary/events',
        json: { summary: 'Offsite', start: { date: '2027-01-14' }, end: { date: '2027-01-16' } },
      },
      response: {
        body: {
          kind: 'calendar#event',
          id: '5s2ujb3lglu7p8d1i5e4rvqk1c',
          status: 'confirmed',
          htmlLink: 'https://www.google.com/calendar/event?eid=NXMydWpiM2xnbHU3cDhkMWk1ZTRydnFrMWM',
          summary: 'Offsite',
          creator: { email: 'alice@example.com', self: true },
          organizer: { email: 'alice@example.com', self: true },
          start: { date: '2027-01-14' },
          end: { date: '2027-01-16' },
          iCalUID: '5s2ujb3lglu7p8d1i5e4rvqk1c@google.com',
        },
      },
      output: {
        id: '5s2ujb3lglu7p8d1i5e4rvqk1c',
        status: 'confirmed',
        summary: 'Offsite',
        start: { date: '2027-01-14' },
        end: { date: '2027-01-16' },
        organizer: 'alice@example.com',
        url: 'https://www.google.com/calendar/event?eid=NXMydWpiM2xnbHU3cDhkMWk1ZTRydnFrMWM',
      },
    },
    {
      slug: 'update_event',
      input: { calendarId: 'primary', eventId: '7cbh8rpc10lrc0ckih9tafss99', location: 'Room 4.2' },
      request: { method: 'PATCH', path: event, json: { location: 'Room 4.2' } },
      response: { body: teamSync },
      output: teamSyncOutput,
    },
    {
      slug: 'update_event',
      name: 'move it and tell the attendees',
      input: {
        calendarId: 'primary',
        eventId: '7cbh8rpc10lrc0ckih9tafss99',
        start: { dateTime: '2026-12-08T10:00:00+01:00' },
        end: { dateTime: '2026-12-08T10:30:00+01:00' },
        sendUpdates: 'all',
      },
      request: {
        method: 'PATCH',
        path: event,
        query: { sendUpdates: 'all' },
        json: {
          start: { dateTime: '2026-12-08T10:00:00+01:00' },
          end: { dateTime: '2026-12-08T10:30:00+01:00' },
        },
      },
      response: { body: teamSync },
      output: teamSyncOutput,
    },
    {
      slug: 'delete_event',
      input: { calendarId: 'primary', eventId: '7cbh8rpc10lrc0ckih9tafss99', sendUpdates: 'all' },
      request: { method: 'DELETE', path: event, query: { sendUpdates: 'all' } },
      response: { status: 204, body: null },
      output: null,
    },
    {
      slug: 'query_free_busy',
      input: {
        timeMin: '2026-12-08T08:00:00Z',
        timeMax: '2026-12-08T18:00:00Z',
        items: [{ id: 'primary' }, { id: 'bob@example.com' }],
      },
      request: {
        method: 'POST',
        path: '/freeBusy',
        json: {
          timeMin: '2026-12-08T08:00:00Z',
          timeMax: '2026-12-08T18:00:00Z',
          items: [{ id: 'primary' }, { id: 'bob@example.com' }],
        },
      },
      response: {
        body: {
          kind: 'calendar#freeBusy',
          timeMin: '2026-12-08T08:00:00.000Z',
          timeMax: '2026-12-08T18:00:00.000Z',
          calendars: {
            primary: { busy: [{ start: '2026-12-08T09:00:00Z', end: '2026-12-08T09:30:00Z' }] },
            'bob@example.com': { errors: [{ domain: 'global', reason: 'notFound' }], busy: [] },
          },
        },
      },
      output: {
        timeMin: '2026-12-08T08:00:00.000Z',
        timeMax: '2026-12-08T18:00:00.000Z',
        calendars: {
          primary: { busy: [{ start: '2026-12-08T09:00:00Z', end: '2026-12-08T09:30:00Z' }] },
          'bob@example.com': { errors: [{ domain: 'global', reason: 'notFound' }], busy: [] },
        },
      },
    },
  ],
}
