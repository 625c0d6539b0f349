import { type PresetOptions, preset, text } from '../preset.js'
import type { ToolDefinition } from '../tool-definition.js'
import { GMAIL_TOOLS } from '../tools/gmail.js'
import { GOOGLE_CALENDAR_TOOLS } from '../tools/google-calendar.js'
import { GOOGLE_DRIVE_TOOLS } from '../tools/google-drive.js'
import type { ConnectionDetails, DetailsContext, OAuth2Provider } from '../types.js'
import { youtubeChannel } from './youtube-channel.js'

const BASE_SCOPES = ['openid', 'email', 'profile']

/** Sign-in's and the `.readonly` ones: https://developers.google.com/identity/protocols/oauth2/scopes (read 2026-12-07). */
const GOOGLE_READ_ONLY_SCOPES = [
  ...BASE_SCOPES,
  'https://www.googleapis.com/auth/userinfo.email',
  'https://www.googleapis.com/auth/userinfo.profile',
  'https://www.googleapis.com/auth/gmail.readonly',
  'https://www.googleapis.com/auth/gmail.metadata',
  'https://www.googleapis.com/auth/calendar.readonly',
  'https://www.googleapis.com/auth/calendar.events.readonly',
  'https://www.googleapis.com/auth/drive.readonly',
  'https://www.googleapis.com/auth/drive.metadata.readonly',
  'https://www.googleapis.com/auth/spreadsheets.readonly',
  'https://www.googleapis.com/auth/documents.readonly',
  'https://www.googleapis.com/auth/youtube.readonly',
  'https://www.googleapis.com/auth/contacts.readonly',
]

interface GoogleServiceEntry {
  name: string
  scopes: string[]
  api: string
  /** What the service adds after the exchange (YouTube's channel), from the connection's API base. */
  details?: (context: DetailsContext, api: string) => Promise<ConnectionDetails>
  quirks?: string[]
  /** What an agent can run on the service's connections (tools/<service>.ts). */
  tools?: ToolDefinition[]
}

/** One Google app, several services: each entry its own scopes, its own connection. */
const SERVICES = {
  google: { name: 'Google', scopes: [] as string[], api: 'https://www.googleapis.com' },
  gmail: {
    name: 'Gmail',
    scopes: ['https://www.googleapis.com/auth/gmail.readonly'],
    api: 'https://gmail.googleapis.com',
    tools: GMAIL_TOOLS,
  },
  google_calendar: {
    name: 'Google Calendar',
    scopes: ['https://www.googleapis.com/auth/calendar.readonly'],
    api: 'https://www.googleapis.com/calendar/v3',
    tools: GOOGLE_CALENDAR_TOOLS,
  },
  google_drive: {
    name: 'Google Drive',
    scopes: ['https://www.googleapis.com/auth/drive.readonly'],
    api: 'https://www.googleapis.com/drive/v3',
    tools: GOOGLE_DRIVE_TOOLS,
  },
  google_sheets: {
    name: 'Google Sheets',
    scopes: ['https://www.googleapis.com/auth/spreadsheets.readonly'],
    api: 'https://sheets.googleapis.com/v4',
  },
  google_docs: {
    name: 'Google Docs',
    // https://developers.google.com/workspace/docs/api/auth (read 2026-12-07)
    scopes: ['https://www.googleapis.com/auth/documents.readonly'],
    // https://developers.google.com/workspace/docs/api/reference/rest (read 2026-12-07)
    api: 'https://docs.googleapis.com/v1',
    quirks: ['documents are found through Drive: add a Drive scope to list them'],
  },
  youtube: {
    name: 'YouTube',
    // https://developers.google.com/youtube/v3/guides/auth/server-side-web-apps (read 2026-12-07)
    scopes: ['https://www.googleapis.com/auth/youtube.readonly'],
    // https://developers.google.com/youtube/v3/docs (read 2026-12-07)
    api: 'https://www.googleapis.com/youtube/v3',
    details: youtubeChannel,
    quirks: ['channel (channels?mine=true) in metadata, null for an account without one'],
  },
} satisfies Record<string, GoogleServiceEntry>

export type GoogleService = keyof typeof SERVICES

const SHARED_BY = Object.keys(SERVICES)
  .filter((id) => id !== 'google')
  .join(', ')

function googleService(service: GoogleService, options: PresetOptions): OAuth2Provider {
  const entry: GoogleServiceEntry = SERVICES[service]
  const api = options.endpoints?.apiBaseUrl ?? entry.api
  const serviceDetails = entry.details
  return preset(options, {
    id: service,
    name: entry.name,
    authorizationUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
    tokenUrl: 'https://oauth2.googleapis.com/token',
    userInfoUrl: 'https://openidconnect.googleapis.com/v1/userinfo',
    revocationUrl: 'https://oauth2.googleapis.com/revoke',
    apiBaseUrl: entry.api,
    scopes: [...BASE_SCOPES, ...entry.scopes],
    readOnlyScopes: GOOGLE_READ_ONLY_SCOPES,
    tools: entry.tools ?? [],
    // A refresh token only comes with offline access, and only on a consent screen shown again.
    authorizationParams: { access_type: 'offline', prompt: 'consent', include_granted_scopes: 'true' },
    profile: (info) => ({
      accountId: text(info.sub),
      accountEmail: text(info.email),
      displayName: text(info.name),
    }),
    ...(serviceDetails ? { details: (context: DetailsContext) => serviceDetails(context, api) } : {}),
    // Google sends iss on its redirect back (RFC 9207) without saying so in its metadata: a foreign
    // one is refused, a missing one accepted.
    issuer: 'https://accounts.google.com',
    requireIss: false,
    docsUrl: 'https://developers.google.com/identity/protocols/oauth2/web-server',
    quirks: [
      'iss checked when sent',
      'access_type=offline and prompt=consent for a refresh token',
      `one Google app shared by ${SHARED_BY}`,
      'scopes granted earlier are included (include_granted_scopes)',
      ...(entry.quirks ?? []),
    ],
  })
}

/**
 * Google sign-in with `openid email profile`; `gmail`, `googleCalendar`, `googleDrive`,
 * `googleSheets`, `googleDocs` and `youtube` are the same Google app with each service's scopes.
 *
 * @example providers.gmail({ clientId, clientSecret })
 */
export const google = (options: PresetOptions) => googleService('google', options)
export const gmail = (options: PresetOptions) => googleService('gmail', options)
export const googleCalendar = (options: PresetOptions) => googleService('google_calendar', options)
export const googleDrive = (options: PresetOptions) => googleService('google_drive', options)
export const googleSheets = (options: PresetOptions) => googleService('google_sheets', options)
export const googleDocs = (options: PresetOptions) => googleService('google_docs', options)
export const youtube = (options: PresetOptions) => googleService('youtube', options)
