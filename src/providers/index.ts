import { oauth2 } from './define.js'

/**
 * Provider factories. `oauth2()` covers any OAuth 2.0 API; presets for named providers build on it.
 *
 * @example
 * createConnectionsRouter({ providers: [providers.oauth2({ id: 'acme', … })], … })
 */
export const providers = { oauth2 }

export type { OAuth2ProviderOptions } from './define.js'
export type { AccountProfile, OAuth2Provider, Provider, TokenResponse } from './types.js'
