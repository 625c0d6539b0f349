import { type ClientAuthenticationOptions, type OAuth2ProviderCommonOptions, oauth2 } from './define.js'
import type { OAuth2Provider } from './types.js'

/** The URLs a preset knows, each of which can be pointed elsewhere (a proxy, a regional host, a test). */
export interface PresetEndpoints {
  authorizationUrl: string
  tokenUrl: string
  refreshUrl: string
  userInfoUrl: string
  revocationUrl: string
  apiBaseUrl: string
}

/** What every preset takes: your app's credentials, and optionally other scopes, id or endpoints. */
export interface PresetOptions {
  clientId: string
  /** Required, unless the app is registered as a public client (`tokenAuth: 'none'`). */
  clientSecret?: string
  /**
   * `none` for an app registered as a public client (no secret, PKCE only), where the provider has
   * them; the preset's own method otherwise.
   */
  tokenAuth?: 'none'
  /** How a `client_secret_basic` preset writes the secret (see `providers.oauth2`). */
  basicAuthEncoding?: 'form' | 'raw'
  /** Replaces the preset's default scopes. */
  scopes?: string[]
  /** The only scopes a flow may ask for (see `providers.oauth2`). */
  allowedScopes?: string[]
  /** Another id, to register two apps of one provider (the callback is `<mount>/callback/<id>`). */
  id?: string
  name?: string
  /** Overrides for the preset's URLs. */
  endpoints?: Partial<PresetEndpoints>
  singleton?: boolean
}

/** A preset's own part: everything but the app's credentials. */
export type PresetDefinition = Omit<OAuth2ProviderCommonOptions, 'clientId'> & {
  /** Presets authenticate with the app's secret. */
  tokenAuth?: 'client_secret_post' | 'client_secret_basic'
  id: string
  name: string
  docsUrl: string
}

/** Builds a provider from a preset definition and the user's options (theirs win). */
export function preset(options: PresetOptions, definition: PresetDefinition): OAuth2Provider {
  const endpoints = options.endpoints ?? {}
  const authentication: ClientAuthenticationOptions =
    options.tokenAuth === 'none'
      ? // A secret given anyway is refused by oauth2() with its own message.
        ({ tokenAuth: 'none', clientSecret: options.clientSecret } as ClientAuthenticationOptions)
      : { tokenAuth: definition.tokenAuth, clientSecret: options.clientSecret as string }
  return oauth2({
    ...definition,
    ...endpoints,
    ...authentication,
    clientId: options.clientId,
    ...(options.basicAuthEncoding ? { basicAuthEncoding: options.basicAuthEncoding } : {}),
    id: options.id ?? definition.id,
    name: options.name ?? definition.name,
    scopes: options.scopes ?? definition.scopes ?? [],
    ...(options.allowedScopes ? { allowedScopes: options.allowedScopes } : {}),
    ...(options.singleton === undefined ? {} : { singleton: options.singleton }),
    // A public client's code is bound by PKCE alone, whatever the preset does for confidential ones.
    ...(options.tokenAuth === 'none' ? { pkce: true } : {}),
  })
}

/** A string field of a JSON object, or null. */
export function text(value: unknown): string | null {
  if (typeof value === 'string' && value !== '') return value
  if (typeof value === 'number') return String(value)
  return null
}

/** A nested object field of a JSON object, or an empty object. */
export function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {}
}
