import { type PresetOptions, preset, record, text } from '../preset.js'
import { NOTION_TOOLS } from '../tools/notion.js'
import { NOTION_TEXT_TOOLS } from '../tools/notion-text.js'
import type { OAuth2Provider } from '../types.js'

/**
 * Notion public integration. There are no scopes (the user picks the pages to share); the token
 * request authenticates with HTTP Basic and a JSON body, and its answer names the workspace and the
 * user who added the integration. Each API call needs a `Notion-Version` header.
 *
 * @example providers.notion({ clientId, clientSecret })
 */
export function notion(options: PresetOptions): OAuth2Provider {
  return preset(options, {
    id: 'notion',
    name: 'Notion',
    authorizationUrl: 'https://api.notion.com/v1/oauth/authorize',
    tokenUrl: 'https://api.notion.com/v1/oauth/token',
    apiBaseUrl: 'https://api.notion.com/v1',
    // Basic client authentication, a JSON body {"token": …}, and the Notion-Version header the endpoint
    // requires (its documented version).
    // https://developers.notion.com/reference/revoke-token (read 2026-12-07)
    revocationUrl: 'https://api.notion.com/v1/oauth/revoke',
    revocation: { format: 'json', hint: false, headers: { 'notion-version': '2025-09-03' } },
    scopes: [],
    authorizationParams: { owner: 'user' },
    tokenAuth: 'client_secret_basic',
    tokenRequestFormat: 'json',
    apiHeaders: { 'notion-version': '2022-06-28' },
    tools: [...NOTION_TOOLS, ...NOTION_TEXT_TOOLS],
    profile: (_none, tokens) => {
      const workspace = text(tokens.workspace_id)
      const user = record(record(tokens.owner).user)
      const userId = text(user.id)
      return {
        // One connection per workspace and user: the same user may add the integration to several.
        accountId: workspace && userId ? `${workspace}:${userId}` : (workspace ?? userId),
        accountEmail: text(record(user.person).email),
        displayName: text(user.name),
      }
    },
    details: async ({ tokens }) => ({
      metadata: {
        workspaceId: text(tokens.workspace_id),
        workspaceName: text(tokens.workspace_name),
        botId: text(tokens.bot_id),
        userId: text(record(record(tokens.owner).user).id),
      },
    }),
    docsUrl: 'https://developers.notion.com/docs/authorization',
    quirks: [
      'owner=user on the authorization request; no scopes',
      'token request with HTTP Basic and a JSON body',
      'workspace and user from the token response',
      'Notion-Version header on API calls',
      'revocation as a JSON body with its Notion-Version header',
      'tokens without expires_in are kept as non-expiring',
    ],
  })
}
