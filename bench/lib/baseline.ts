/**
 * The hand-written baseline of the token benchmarks: what vending a stored token takes at the least —
 * one `keyv.get` of a record whose secret was sealed with AES-256-GCM (random 96-bit nonce, the record
 * id as associated data), one decrypt, and the same answer as the router's. No index, no audit trail,
 * no lock, no validation beyond the owner check.
 */
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto'
import type Keyv from 'keyv'

const NONCE = 12
const TAG = 16

export interface BaselineRecord {
  version: 1
  id: string
  owner: string
  provider: string
  label: string
  status: 'active'
  statusReason: null
  accountId: string
  accountEmail: string | null
  grantedScopes: string[]
  metadata: Record<string, unknown>
  expiresAt: string | null
  connectedAt: string
  lastRefreshedAt: string | null
  lastUsedAt: string | null
  createdAt: string
  updatedAt: string
  /** base64url(nonce ‖ ciphertext ‖ tag) of the secrets' JSON. */
  secrets: string
  apiBaseUrl: null
}

export interface BaselineSecrets {
  accessToken: string
  tokenType: string
}

export interface VendedToken {
  accessToken: string
  tokenType: string
  expiresAt: string | null
  scopes: string[]
}

export function seal(key: Buffer, id: string, secrets: BaselineSecrets): string {
  const nonce = randomBytes(NONCE)
  const cipher = createCipheriv('aes-256-gcm', key, nonce)
  cipher.setAAD(Buffer.from(`connection:${id}`, 'utf8'))
  const body = Buffer.concat([cipher.update(JSON.stringify(secrets), 'utf8'), cipher.final()])
  return Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64url')
}

export function open(key: Buffer, id: string, blob: string): BaselineSecrets {
  const raw = Buffer.from(blob, 'base64url')
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, NONCE))
  decipher.setAAD(Buffer.from(`connection:${id}`, 'utf8'))
  decipher.setAuthTag(raw.subarray(raw.length - TAG))
  const body = Buffer.concat([decipher.update(raw.subarray(NONCE, raw.length - TAG)), decipher.final()])
  return JSON.parse(body.toString('utf8')) as BaselineSecrets
}

/** A record of the same fields (so about the same size) as the router's, with a sealed API key. */
export function baselineRecord(key: Buffer, owner: string, provider: string, apiKey: string): BaselineRecord {
  const id = randomUUID()
  const now = new Date().toISOString()
  return {
    version: 1,
    id,
    owner,
    provider,
    label: provider,
    status: 'active',
    statusReason: null,
    accountId: apiKey.slice(-12),
    accountEmail: null,
    grantedScopes: [],
    metadata: {},
    expiresAt: null,
    connectedAt: now,
    lastRefreshedAt: null,
    lastUsedAt: null,
    createdAt: now,
    updatedAt: now,
    secrets: seal(key, id, { accessToken: apiKey, tokenType: 'Bearer' }),
    apiBaseUrl: null,
  }
}

export function recordKey(id: string): string {
  return `connection:${id}`
}

/** The whole baseline vend: one get, the owner check, one decrypt. Null when not the owner's. */
export async function vend(keyv: Keyv, key: Buffer, owner: string, id: string): Promise<VendedToken | null> {
  const record = (await keyv.get(recordKey(id))) as BaselineRecord | undefined
  if (!record || record.owner !== owner) return null
  const secrets = open(key, record.id, record.secrets)
  return {
    accessToken: secrets.accessToken,
    tokenType: secrets.tokenType,
    expiresAt: record.expiresAt,
    scopes: record.grantedScopes,
  }
}
