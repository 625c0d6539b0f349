import { InvalidCredentialsError } from '../../core/errors.js'
import type { CredentialsProvider } from '../types.js'
import { credentials } from './define.js'

export interface ApiKeyAccount {
  accountId?: string | null
  accountEmail?: string | null
  displayName?: string | null
  label?: string
  metadata?: Record<string, unknown>
}

export interface ApiKeyOptions {
  id: string
  name?: string
  /**
   * Checks a key with the provider (call its "who am I" endpoint). Return the account, or `false`
   * when the key is wrong; throw for a provider that fails.
   */
  validate: (apiKey: string, context: { timeoutMs: number }) => Promise<ApiKeyAccount | false>
  apiBaseUrl?: string
  /** Where the key goes on API calls: `authorization` (as `Bearer <key>`, the default) or a header name. */
  header?: string
  apiHeaders?: Record<string, string>
  singleton?: boolean
  docsUrl?: string
}

/**
 * Any API that takes a key: checked live with `validate` before anything is stored.
 *
 * @example
 * providers.apiKey({
 *   id: 'openai', name: 'OpenAI', apiBaseUrl: 'https://api.openai.com/v1',
 *   validate: async (key) => (await fetch('https://api.openai.com/v1/models', { headers: { authorization: `Bearer ${key}` } })).ok && {},
 * })
 */
export function apiKey(options: ApiKeyOptions): CredentialsProvider {
  const header = options.header?.toLowerCase() ?? 'authorization'
  return credentials({
    id: options.id,
    name: options.name ?? options.id,
    fields: { apiKey: { label: 'API key', pattern: /^\S{8,512}$/ } },
    ...(options.apiBaseUrl ? { apiBaseUrl: options.apiBaseUrl } : {}),
    ...(options.apiHeaders ? { apiHeaders: options.apiHeaders } : {}),
    ...(options.singleton === undefined ? {} : { singleton: options.singleton }),
    ...(options.docsUrl ? { docsUrl: options.docsUrl } : {}),
    async check({ apiKey: key = '' }, context) {
      const account = await options.validate(key, context)
      if (account === false)
        throw new InvalidCredentialsError(`${options.name ?? options.id} refused this API key.`)
      return {
        accountId: account.accountId ?? null,
        accountEmail: account.accountEmail ?? null,
        displayName: account.displayName ?? null,
        ...(account.label ? { label: account.label } : {}),
        ...(account.metadata ? { metadata: account.metadata } : {}),
        credential: { accessToken: key, tokenType: header === 'authorization' ? 'Bearer' : 'ApiKey' },
      }
    },
    requestAuth: ({ accessToken }) => ({
      headers: { [header]: header === 'authorization' ? `Bearer ${accessToken}` : accessToken },
    }),
    quirks: ['validated live before it is stored'],
  })
}
