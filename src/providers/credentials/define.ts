import { ConnectionsError, InvalidCredentialsError } from '../../core/errors.js'
import { readLimitedJson } from '../../oauth/read-limited.js'
import type { PolicyFactsOptions } from '../policy-facts.js'
import type { CredentialCheck, CredentialsProvider, RequestAuth, VendedCredential } from '../types.js'

/** The policy facts are those of `providers.oauth2` (no scopes, so no read-only ones). */
export interface CredentialsProviderOptions extends Omit<PolicyFactsOptions, 'readOnlyScopes'> {
  id: string
  name: string
  /** The fields `POST /connections` takes in `credentials`, with an optional format. */
  fields: CredentialsProvider['fields']
  check: CredentialsProvider['check']
  requestAuth?: (credential: VendedCredential) => RequestAuth
  apiBaseUrl?: string
  apiHeaders?: Record<string, string>
  singleton?: boolean
  docsUrl?: string
  quirks?: string[]
}

const SLUG = /^[a-z0-9][a-z0-9_-]{0,62}$/

/** Any provider connected with pasted credentials (a bot token, an API key, an account SID and token). */
export function credentials(options: CredentialsProviderOptions): CredentialsProvider {
  if (!SLUG.test(options.id)) throw new TypeError(`providers: id "${options.id}" must be a lowercase slug`)
  if (Object.keys(options.fields).length === 0)
    throw new TypeError(`providers.${options.id}: fields must not be empty`)
  return {
    kind: 'credentials',
    id: options.id,
    name: options.name,
    scopes: [],
    singleton: options.singleton ?? false,
    apiBaseUrl: options.apiBaseUrl ?? null,
    apiHeaders: options.apiHeaders ?? {},
    fields: options.fields,
    check: options.check,
    requestAuth:
      options.requestAuth ??
      ((credential) => ({ headers: { authorization: `${credential.tokenType} ${credential.accessToken}` } })),
    docsUrl: options.docsUrl ?? null,
    quirks: options.quirks ?? [],
    family: options.family ?? null,
    readOnlyScopes: [],
    reads: options.reads ?? [],
    readsOnlyDeclared: options.readsOnlyDeclared ?? false,
    tools: options.tools ?? [],
  }
}

/** GET JSON from a provider while checking credentials; a refusal status becomes invalid credentials. */
export async function checkRequest(
  providerName: string,
  url: string,
  init: { headers?: Record<string, string>; timeoutMs: number; refusedWith?: number[] },
): Promise<{ status: number; body: Record<string, unknown> }> {
  let response: Response
  try {
    response = await fetch(url, {
      headers: { accept: 'application/json', ...init.headers },
      redirect: 'error',
      signal: AbortSignal.timeout(init.timeoutMs),
    })
  } catch (cause) {
    throw new ConnectionsError('provider_error', `${providerName} did not answer the credentials check.`, {
      cause,
    })
  }
  if ((init.refusedWith ?? [401, 403]).includes(response.status)) {
    await response.body?.cancel().catch(() => undefined)
    throw new InvalidCredentialsError(`${providerName} refused these credentials.`)
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined)
    throw new ConnectionsError(
      'provider_error',
      `${providerName} could not check the credentials (${response.status}).`,
    )
  }
  const body = ((await readLimitedJson(response, providerName)) ?? {}) as Record<string, unknown>
  return { status: response.status, body }
}

export type { CredentialCheck }
