import { type PresetOptions, preset, text } from '../preset.js'
import type { OAuth2Provider } from '../types.js'

const BASE_SCOPES = ['openid', 'email', 'profile']

/** One Google app, several services: each entry its own scopes, its own connection. */
const SERVICES = {
  google: { name: 'Google', scopes: [] as string[], api: 'https://www.googleapis.com' },
  gmail: {
    name: 'Gmail',
    scopes: ['https://www.googleapis.com/auth/gmail.readonly'],
    api: 'https://gmail.googleapis.com',
  },
  google_calendar: {
    name: 'Google Calendar',
    scopes: ['https://www.googleapis.com/auth/calendar.readonly'],
    api: 'https://www.googleapis.com/calendar/v3',
  },
  google_drive: {
    name: 'Google Drive',
    scopes: ['https://www.googleapis.com/auth/drive.readonly'],
    api: 'https://www.googleapis.com/drive/v3',
  },
  google_sheets: {
    name: 'Google Sheets',
    scopes: ['https://www.googleapis.com/auth/spreadsheets.readonly'],
    api: 'https://sheets.googleapis.com/v4',
  },
} as const

export type GoogleService = keyof typeof SERVICES

function googleService(service: GoogleService, options: PresetOptions): OAuth2Provider {
  const entry = SERVICES[service]
  return preset(options, {
    id: service,
    name: entry.name,
    authorizationUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
    tokenUrl: 'https://oauth2.googleapis.com/token',
    userInfoUrl: 'https://openidconnect.googleapis.com/v1/userinfo',
    revocationUrl: 'https://oauth2.googleapis.com/revoke',
    apiBaseUrl: entry.api,
    scopes: [...BASE_SCOPES, ...entry.scopes],
    // A refresh token only comes with offline access, and only on a consent screen shown again.
    authorizationParams: { access_type: 'offline', prompt: 'consent', include_granted_scopes: 'true' },
    profile: (info) => ({
      accountId: text(info.sub),
      accountEmail: text(info.email),
      displayName: text(info.name),
    }),
    // Google sends iss on its redirect back (RFC 9207) without saying so in its metadata: a foreign
    // one is refused, a missing one accepted.
    issuer: 'https://accounts.google.com',
    requireIss: false,
    docsUrl: 'https://developers.google.com/identity/protocols/oauth2/web-server',
    quirks: [
      'iss checked when sent',
      'access_type=offline and prompt=consent for a refresh token',
      'one Google app shared by gmail, google_calendar, google_drive, google_sheets',
      'scopes granted earlier are included (include_granted_scopes)',
    ],
  })
}

/**
 * Google sign-in with `openid email profile`; `gmail`, `googleCalendar`, `googleDrive` and
 * `googleSheets` are the same Google app with each service's scopes.
 *
 * @example providers.gmail({ clientId, clientSecret })
 */
export const google = (options: PresetOptions) => googleService('google', options)
export const gmail = (options: PresetOptions) => googleService('gmail', options)
export const googleCalendar = (options: PresetOptions) => googleService('google_calendar', options)
export const googleDrive = (options: PresetOptions) => googleService('google_drive', options)
export const googleSheets = (options: PresetOptions) => googleService('google_sheets', options)
