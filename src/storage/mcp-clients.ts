import { canonicalJson } from '../crypto/canonical-json.js'
import type { Keyring } from '../crypto/keyring.js'
import type { Lock } from '../locks/lock.js'
import { keys } from './keys.js'
import type { SafeStore } from './safe-store.js'

const PERMANENT = 0

/** A client registered (RFC 7591) with an MCP server's authorization server, as it is used. */
export interface McpClient {
  clientId: string
  /** Null for a public client (`none`). */
  clientSecret: string | null
  tokenAuth: 'client_secret_post' | 'client_secret_basic' | 'none'
}

interface StoredMcpClient {
  issuer: string
  redirectUri: string
  clientId: string
  /** Sealed, bound to the issuer, callback URL and client id; null for a public client. */
  clientSecret: string | null
  tokenAuth: McpClient['tokenAuth']
  createdAt: string
}

/**
 * Registered clients by issuer and callback URL: registered once, then reused by every instance and
 * every connection. The secret is sealed; a record whose secret no longer opens reads as none.
 */
export class McpClientStore {
  constructor(
    private readonly store: SafeStore,
    private readonly lock: Lock,
    private readonly keyring: Keyring,
  ) {}

  async get(issuer: string, redirectUri: string): Promise<McpClient | undefined> {
    const record = await this.store.get<StoredMcpClient>(keys.mcpClient(issuer, redirectUri))
    if (!record || record.issuer !== issuer || record.redirectUri !== redirectUri) return undefined
    if (record.clientSecret === null) {
      return record.tokenAuth === 'none'
        ? { clientId: record.clientId, clientSecret: null, tokenAuth: 'none' }
        : undefined
    }
    try {
      const secret = this.keyring.decrypt(record.clientSecret, aad(issuer), bindingOf(record))
      return { clientId: record.clientId, clientSecret: secret, tokenAuth: record.tokenAuth }
    } catch {
      return undefined
    }
  }

  /**
   * The stored client, or the one `register` makes, stored: under a lock, so two instances starting
   * a first flow at once register one client. Nothing is stored when `register` fails.
   */
  getOrRegister(issuer: string, redirectUri: string, register: () => Promise<McpClient>): Promise<McpClient> {
    return this.lock.withLock(keys.mcpClientLock(issuer, redirectUri), async () => {
      const known = await this.get(issuer, redirectUri)
      if (known) return known
      const client = await register()
      const record: StoredMcpClient = {
        issuer,
        redirectUri,
        clientId: client.clientId,
        clientSecret: null,
        tokenAuth: client.tokenAuth,
        createdAt: new Date().toISOString(),
      }
      if (client.clientSecret !== null) {
        record.clientSecret = this.keyring.encrypt(client.clientSecret, aad(issuer), bindingOf(record))
      }
      await this.store.set(keys.mcpClient(issuer, redirectUri), record, PERMANENT)
      return client
    })
  }
}

function aad(issuer: string): string {
  return `mcp-client:${issuer}`
}

function bindingOf(record: StoredMcpClient): string {
  return canonicalJson(['mcp-client', record.issuer, record.redirectUri, record.clientId, record.tokenAuth])
}
