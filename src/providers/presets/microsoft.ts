import { type PresetOptions, preset, record, text } from '../preset.js'
import type { ToolDefinition } from '../tool-definition.js'
import { MICROSOFT_MAIL_TOOLS } from '../tools/microsoft-mail.js'
import { MICROSOFT_TEAMS_TOOLS } from '../tools/microsoft-teams.js'
import type { OAuth2Provider } from '../types.js'

export interface MicrosoftOptions extends PresetOptions {
  /**
   * Who may sign in: `common` (work, school and personal accounts, the default), `organizations`,
   * `consumers`, or one tenant's id or domain (`contoso.onmicrosoft.com`).
   */
  tenant?: string
}

/** Always asked for: sign-in, a refresh token (`offline_access`) and the Graph profile (`User.Read`). */
const BASE_SCOPES = ['openid', 'profile', 'email', 'offline_access', 'User.Read']

const GRAPH_READ_ONLY_SCOPES = [
  ...BASE_SCOPES,
  'Calendars.Read',
  'Channel.ReadBasic.All',
  'ChannelMessage.Read.All',
  'Chat.Read',
  'Chat.ReadBasic',
  'Contacts.Read',
  'Files.Read',
  'Files.Read.All',
  'Mail.Read',
  'Mail.ReadBasic',
  'Notes.Read',
  'People.Read',
  'Presence.Read',
  'Sites.Read.All',
  'Tasks.Read',
  'Team.ReadBasic.All',
  'User.ReadBasic.All',
]

/** One Microsoft Entra app, several services: each entry its own scopes, its own connection. */
const SERVICES = {
  microsoft: { name: 'Microsoft', scopes: [] as string[] },
  outlook: { name: 'Outlook', scopes: ['Mail.Read'] },
  teams: { name: 'Microsoft Teams', scopes: ['Team.ReadBasic.All', 'Chat.Read'] },
  onedrive: { name: 'OneDrive', scopes: ['Files.Read'] },
  // Sites are read through Graph (/sites, /sites/{id}/drives); Sites.Read.All needs no admin consent.
  // https://learn.microsoft.com/en-us/graph/permissions-reference#sitesreadall (read 2026-12-07)
  sharepoint: { name: 'SharePoint', scopes: ['Sites.Read.All'] },
} as const

export type MicrosoftService = keyof typeof SERVICES

/** What an agent can run on each service's connections; general Graph gets Outlook's and Teams'. */
const TOOLS: Partial<Record<MicrosoftService, ToolDefinition[]>> = {
  microsoft: [...MICROSOFT_MAIL_TOOLS, ...MICROSOFT_TEAMS_TOOLS],
  outlook: MICROSOFT_MAIL_TOOLS,
  teams: MICROSOFT_TEAMS_TOOLS,
}

/** The claims of the ID token, which came straight from the token endpoint over TLS (OIDC Core §3.1.3.7). */
function idTokenClaims(idToken: unknown): Record<string, unknown> {
  const payload = typeof idToken === 'string' ? idToken.split('.')[1] : undefined
  if (!payload) return {}
  try {
    return record(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')))
  } catch {
    return {}
  }
}

function microsoftService(service: MicrosoftService, options: MicrosoftOptions): OAuth2Provider {
  const entry = SERVICES[service]
  const tenant = encodeURIComponent(options.tenant ?? 'common')
  const login = `https://login.microsoftonline.com/${tenant}/oauth2/v2.0`
  return preset(options, {
    id: service,
    name: entry.name,
    authorizationUrl: `${login}/authorize`,
    tokenUrl: `${login}/token`,
    userInfoUrl: 'https://graph.microsoft.com/v1.0/me',
    apiBaseUrl: 'https://graph.microsoft.com/v1.0',
    scopes: [...BASE_SCOPES, ...entry.scopes],
    profile: (me) => ({
      accountId: text(me.id),
      // Personal accounts and mailbox-less users have no `mail`; the sign-in name stands in.
      accountEmail: text(me.mail) ?? text(me.userPrincipalName),
      displayName: text(me.displayName),
    }),
    // With `common`, only the ID token says which directory (or `9188040d-…` for personal accounts).
    details: async ({ tokens }) => {
      const tenantId = text(idTokenClaims(tokens.id_token).tid)
      return tenantId ? { metadata: { tenantId } } : {}
    },
    // Graph: Teams ids in paths and bodies are checked by the `teams` constraints; its POST reads are
    // search (https://learn.microsoft.com/en-us/graph/api/search-query). Read-only scopes from
    // https://learn.microsoft.com/en-us/graph/permissions-reference (read 2026-12-07), plus sign-in's.
    family: 'teams',
    reads: [{ method: 'POST', path: '/search/query' }],
    readOnlyScopes: GRAPH_READ_ONLY_SCOPES,
    tools: TOOLS[service] ?? [],
    docsUrl: 'https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow',
    quirks: [
      'tenant option (common, organizations, consumers or a tenant id)',
      'offline_access for a refresh token; refresh tokens rotate',
      'email from mail, else userPrincipalName',
      'tenant id from the ID token in metadata',
      `one Entra app shared by ${Object.keys(SERVICES).join(', ')}`,
      'no RFC 7009 revocation endpoint',
    ],
  })
}

/**
 * Microsoft identity platform (v2) with Microsoft Graph: `microsoft` signs in and reads the profile;
 * `outlook`, `teams`, `onedrive` and `sharepoint` are the same Entra app with each service's Graph scopes. Graph
 * scopes of one token must all be Graph's (a token is for one resource).
 *
 * @example providers.outlook({ clientId, clientSecret, tenant: 'organizations' })
 */
export const microsoft = (options: MicrosoftOptions) => microsoftService('microsoft', options)
export const outlook = (options: MicrosoftOptions) => microsoftService('outlook', options)
export const teams = (options: MicrosoftOptions) => microsoftService('teams', options)
export const onedrive = (options: MicrosoftOptions) => microsoftService('onedrive', options)
export const sharepoint = (options: MicrosoftOptions) => microsoftService('sharepoint', options)
