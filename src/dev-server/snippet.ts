import type { OAuthServer } from './oauth-server.js'

/**
 * The `providers.oauth2({ … })` entry that connects to `server`, as source text to paste.
 *
 * @example
 * const server = await startOAuthServer({ port: 3001 })
 * console.log(providerSnippet(server))
 */
export function providerSnippet(server: OAuthServer, id = 'local'): string {
  const lines = [
    `id: '${id}',`,
    `name: 'Local OAuth',`,
    `authorizationUrl: '${server.authorizationUrl}',`,
    `tokenUrl: '${server.tokenUrl}',`,
    `userInfoUrl: '${server.userInfoUrl}',`,
    `revocationUrl: '${server.revocationUrl}',`,
    `clientId: '${server.clientId}',`,
    `clientSecret: '${server.clientSecret}',`,
    `scopes: ['openid', 'email'],`,
  ]
  return `providers.oauth2({\n${lines.map((line) => `  ${line}`).join('\n')}\n})`
}
