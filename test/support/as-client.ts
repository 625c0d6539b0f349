import type { ConnectionRecord, ConnectionSecrets } from '../../src/core/model.js'
import { SecretBox } from '../../src/core/sealed.js'
import { Keyring } from '../../src/crypto/keyring.js'
import { TEST_KEY } from './app.js'
import { watchOAuthServer } from './canary.js'
import type { OAuthServer } from './oauth-server.js'

/** Calls the authorization server as the client would: to check tokens independently of the router. */
async function post(oauth: OAuthServer, url: string, fields: Record<string, string>): Promise<Response> {
  watchOAuthServer(oauth)
  const body = new URLSearchParams({
    ...fields,
    client_id: oauth.clientId,
    client_secret: oauth.clientSecret,
  })
  return fetch(url, { method: 'POST', body })
}

export async function isActive(oauth: OAuthServer, token: string): Promise<boolean> {
  const response = await post(oauth, oauth.introspectionUrl, { token })
  return ((await response.json()) as { active: boolean }).active
}

export async function revokeAtServer(
  oauth: OAuthServer,
  token: string,
  hint: 'access_token' | 'refresh_token',
): Promise<void> {
  const response = await post(oauth, oauth.revocationUrl, { token, token_type_hint: hint })
  if (!response.ok) throw new Error(`revocation failed: ${response.status}`)
}

/** The secrets of a stored record, opened with the test key: what a thief with the key would get. */
export function storedSecrets(raw: Map<string, unknown>, id: string): ConnectionSecrets | null {
  const record = storedRecord(raw, id)
  if (!record.secrets) return null
  return JSON.parse(new Keyring([TEST_KEY]).decrypt(record.secrets, `connection:${id}`)) as ConnectionSecrets
}

export function storedRecord(raw: Map<string, unknown>, id: string): ConnectionRecord {
  const entry = raw.get(`keyv:connection:${id}`)
  const parsed = typeof entry === 'string' ? JSON.parse(entry) : entry
  return (parsed as { value: ConnectionRecord }).value
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Rewrites a record's sealed secrets, as if the provider had invalidated its access token early. */
export function replaceStoredSecrets(
  raw: Map<string, unknown>,
  id: string,
  patch: Partial<ConnectionSecrets>,
): void {
  const key = `keyv:connection:${id}`
  const entry = raw.get(key)
  const parsed = (typeof entry === 'string' ? JSON.parse(entry) : entry) as { value: ConnectionRecord }
  const secrets = { ...storedSecrets(raw, id), ...patch } as ConnectionSecrets
  parsed.value = {
    ...parsed.value,
    secrets: new SecretBox(new Keyring([TEST_KEY])).seal(parsed.value, secrets),
  }
  raw.set(key, typeof entry === 'string' ? JSON.stringify(parsed) : parsed)
}
