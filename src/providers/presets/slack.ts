import { type PresetOptions, preset, record, text } from '../preset.js'
import { SLACK_TOOLS } from '../tools/slack.js'
import type { OAuth2Provider, TokenResponse } from '../types.js'

export interface SlackOptions extends PresetOptions {
  /** User token scopes (`user_scope`), e.g. `['search:read']`. `scopes` are the bot's. */
  userScopes?: string[]
}

/** Slack's error codes for what RFC 6749 §5.2 names otherwise (a dead refresh token is `invalid_grant`). */
const ERRORS: Record<string, string> = {
  invalid_refresh_token: 'invalid_grant',
  invalid_client_id: 'invalid_client',
  bad_client_secret: 'invalid_client',
}

/**
 * `oauth.v2.access` answers HTTP 200 with `ok: false` on failure, and a bot token with the user's
 * token nested under `authed_user`. A user-scopes-only install has no bot token: the user's is used.
 */
function parseSlackToken(raw: Record<string, unknown>): TokenResponse {
  if (raw.ok === false) {
    const error = text(raw.error) ?? 'slack_error'
    return { error: ERRORS[error] ?? error }
  }
  const user = record(raw.authed_user)
  const token = typeof raw.access_token === 'string' ? raw : { ...raw, ...user }
  return {
    ...raw,
    access_token: text(token.access_token) ?? undefined,
    refresh_token: text(token.refresh_token) ?? undefined,
    expires_in: text(token.expires_in) ?? undefined,
    scope: text(token.scope) ?? undefined,
    // Slack says `bot` or `user`; its Web API takes either as a Bearer token.
    token_type: 'Bearer',
  }
}

/** Web API methods that only read (https://docs.slack.dev/reference/methods). */
const SLACK_READ_METHODS = [
  'auth.test',
  'bookmarks.list',
  'bots.info',
  'chat.getPermalink',
  'conversations.history',
  'conversations.info',
  'conversations.list',
  'conversations.members',
  'conversations.replies',
  'dnd.info',
  'emoji.list',
  'files.info',
  'files.list',
  'pins.list',
  'reactions.get',
  'reactions.list',
  'reminders.info',
  'reminders.list',
  'search.all',
  'search.files',
  'search.messages',
  'team.info',
  'usergroups.list',
  'usergroups.users.list',
  'users.conversations',
  'users.getPresence',
  'users.info',
  'users.list',
  'users.lookupByEmail',
  'users.profile.get',
]

const SLACK_READ_ONLY_SCOPES = [
  'bookmarks:read',
  'channels:history',
  'channels:read',
  'dnd:read',
  'emoji:read',
  'files:read',
  'groups:history',
  'groups:read',
  'im:history',
  'im:read',
  'links:read',
  'mpim:history',
  'mpim:read',
  'pins:read',
  'reactions:read',
  'reminders:read',
  'search:read',
  'team:read',
  'usergroups:read',
  'users.profile:read',
  'users:read',
  'users:read.email',
]

/**
 * Slack app installed with OAuth v2: `scopes` are bot scopes (comma-separated), `userScopes` ask for
 * a user token too. The connection is one workspace (team) as installed by one user; tokens do not
 * expire unless token rotation is turned on for the app.
 *
 * @example providers.slack({ clientId, clientSecret, scopes: ['chat:write'], userScopes: ['search:read'] })
 */
export function slack(options: SlackOptions): OAuth2Provider {
  return preset(options, {
    id: 'slack',
    name: 'Slack',
    authorizationUrl: 'https://slack.com/oauth/v2/authorize',
    tokenUrl: 'https://slack.com/api/oauth.v2.access',
    apiBaseUrl: 'https://slack.com/api',
    scopes: ['channels:read', 'chat:write', 'users:read'],
    scopeSeparator: ',',
    // PKCE is documented only for apps that enable it, which makes them public clients (one way, no
    // secret): a confidential app sends its secret and no PKCE, as Nango does. With tokenAuth: 'none'
    // (a PKCE-enabled app) the preset uses PKCE.
    // https://docs.slack.dev/authentication/using-pkce (read 2026-12-07)
    pkce: false,
    authorizationParams: options.userScopes?.length ? { user_scope: options.userScopes.join(',') } : {},
    parseTokenResponse: parseSlackToken,
    profile: (_none, tokens) => {
      const team = text(record(tokens.team).id)
      const user = text(record(tokens.authed_user).id)
      return {
        // One connection per workspace and installing user (user ids repeat across Grid workspaces).
        accountId: team && user ? `${team}:${user}` : (team ?? user),
        accountEmail: null,
        displayName: text(record(tokens.team).name),
      }
    },
    details: async ({ tokens }) => {
      const team = record(tokens.team)
      const enterprise = record(tokens.enterprise)
      const metadata: Record<string, unknown> = {
        teamId: text(team.id),
        teamName: text(team.name),
        userId: text(record(tokens.authed_user).id),
        botUserId: text(tokens.bot_user_id),
        appId: text(tokens.app_id),
      }
      if (text(enterprise.id)) {
        metadata.enterpriseId = text(enterprise.id)
        metadata.enterpriseName = text(enterprise.name)
      }
      return { metadata }
    },
    // Web API methods are RPC: any of them by GET or POST (https://docs.slack.dev/apis/web-api/, read
    // 2026-12-07), so only the methods listed here read. Read-only scopes: the `:read`/`:history`
    // ones of https://docs.slack.dev/reference/scopes.
    family: 'slack',
    readsOnlyDeclared: true,
    reads: SLACK_READ_METHODS.map((method) => ({ method: '*', path: `/${method}` })),
    readOnlyScopes: SLACK_READ_ONLY_SCOPES,
    tools: SLACK_TOOLS,
    docsUrl: 'https://docs.slack.dev/authentication/installing-with-oauth',
    quirks: [
      'ok: false on HTTP 200 becomes an OAuth error',
      'bot scopes comma-separated; user scopes in user_scope',
      'user token under authed_user, used when there is no bot token',
      'account is the workspace and installing user',
      'tokens expire only with token rotation',
      'auth.revoke is not RFC 7009: no revocation',
      "no PKCE with a client secret; PKCE for a PKCE-enabled (public) app, tokenAuth: 'none'",
    ],
  })
}
