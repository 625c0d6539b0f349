import { type PresetOptions, preset, record, text } from '../preset.js'
import { LINEAR_TOOLS } from '../tools/linear.js'
import type { OAuth2Provider, TokenResponse } from '../types.js'

export interface LinearOptions extends PresetOptions {
  /** `app` makes the app itself the actor of what it creates; default `user`. */
  actor?: 'user' | 'app'
}

const VIEWER_QUERY = '{ viewer { id email name } organization { id name urlKey } }'

/**
 * Linear OAuth2 application. Scopes are comma-separated; the account comes from the GraphQL API's
 * `viewer`, and the workspace (organization) goes in the connection's metadata.
 *
 * @example providers.linear({ clientId, clientSecret, scopes: ['read', 'write'] })
 */
export function linear(options: LinearOptions): OAuth2Provider {
  const api = (options.endpoints?.apiBaseUrl ?? 'https://api.linear.app').replace(/\/+$/, '')
  return preset(options, {
    id: 'linear',
    name: 'Linear',
    authorizationUrl: 'https://linear.app/oauth/authorize',
    tokenUrl: 'https://api.linear.app/oauth/token',
    revocationUrl: 'https://api.linear.app/oauth/revoke',
    // Linear takes the token to revoke as a Bearer header (or an access_token field), not RFC 7009's
    // token=; revoking the access token ends the authorization.
    // https://linear.app/developers/oauth-2-0-authentication#revoke-an-access-token (read 2026-12-07)
    revocation: { bearer: true, tokenField: null, hint: false, tokens: 'access' },
    apiBaseUrl: api,
    scopes: ['read'],
    scopeSeparator: ',',
    // prompt=consent shows the consent screen every time, so a user can connect a second workspace.
    // https://linear.app/developers/oauth-2-0-authentication (read 2026-12-07)
    authorizationParams: { prompt: 'consent', ...(options.actor ? { actor: options.actor } : {}) },
    // Linear answers with the granted scopes as a JSON array.
    parseTokenResponse: (raw): TokenResponse =>
      Array.isArray(raw.scope)
        ? { ...raw, scope: raw.scope.filter((s) => typeof s === 'string').join(' ') }
        : raw,
    profile: () => ({ accountId: null, accountEmail: null }),
    details: async ({ fetchJson }) => {
      const answer = record(
        await fetchJson(`${api}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: VIEWER_QUERY }),
        }),
      )
      const data = record(answer.data)
      const viewer = record(data.viewer)
      const organization = record(data.organization)
      return {
        account: {
          accountId: text(viewer.id),
          accountEmail: text(viewer.email),
          displayName: text(viewer.name),
        },
        metadata: {
          organizationId: text(organization.id),
          organizationName: text(organization.name),
          urlKey: text(organization.urlKey),
        },
      }
    },
    tools: LINEAR_TOOLS,
    docsUrl: 'https://linear.app/developers/oauth-2-0-authentication',
    quirks: [
      'scopes comma-separated; granted scopes answered as an array',
      'profile from the GraphQL viewer query',
      'actor=app option',
      'prompt=consent so a user can connect a second workspace',
      'revocation at /oauth/revoke with the access token as Bearer',
    ],
  })
}
