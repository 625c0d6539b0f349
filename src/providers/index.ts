import { apiKey } from './credentials/api-key.js'
import { credentials } from './credentials/define.js'
import { telegram } from './credentials/telegram.js'
import { twilio } from './credentials/twilio.js'
import { oauth2 } from './define.js'
import { discover } from './discover.js'
import { fromPassport } from './from-passport.js'
import { mcp } from './mcp.js'
import * as presets from './presets/index.js'

/**
 * Provider factories. `oauth2()` covers any OAuth 2.0 API; presets for named providers build on it.
 *
 * @example
 * createConnectionsRouter({ providers: [providers.oauth2({ id: 'acme', … })], … })
 */
export const providers = {
  ...presets,
  oauth2,
  discover,
  fromPassport,
  mcp,
  credentials,
  apiKey,
  telegram,
  twilio,
}

export type { ClientAssertionKey } from '../oauth/client-assertion.js'
export type { ConnectionParamSpec } from './connection-params.js'
export type { ApiKeyAccount, ApiKeyOptions } from './credentials/api-key.js'
export type { CredentialsProviderOptions } from './credentials/define.js'
export type { TelegramOptions } from './credentials/telegram.js'
export type { TwilioOptions } from './credentials/twilio.js'
export type {
  ClientAuthenticationOptions,
  OAuth2ProviderCommonOptions,
  OAuth2ProviderOptions,
} from './define.js'
export type { DiscoverOptions } from './discover.js'
export type { FromPassportOptions, PassportVerify } from './from-passport.js'
export type { McpProviderOptions } from './mcp.js'
export type { PresetEndpoints, PresetOptions } from './preset.js'
export type * from './presets/index.js'
export type {
  AccountProfile,
  ConnectionDetails,
  CredentialCheck,
  CredentialsProvider,
  DetailsContext,
  McpServerFacts,
  OAuth2Provider,
  Provider,
  ProviderFetch,
  RequestAuth,
  RevocationRequest,
  TokenAuthMethod,
  TokenResponse,
  VendedCredential,
} from './types.js'

/** The ids of every preset and credentials provider: custom providers registered at runtime may not take them. */
export function reservedProviderIds(): Set<string> {
  const placeholder = { clientId: 'x', clientSecret: 'x', subdomain: 'x' }
  const ids = new Set<string>(['telegram', 'twilio'])
  for (const factory of Object.values(presets)) {
    ids.add((factory as (options: typeof placeholder) => { id: string })(placeholder).id)
  }
  return ids
}
