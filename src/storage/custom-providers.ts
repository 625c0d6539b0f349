import { ConnectionsError } from '../core/errors.js'
import type { Keyring } from '../crypto/keyring.js'
import type { Lock } from '../locks/lock.js'
import type { ToolDefinition } from '../providers/tool-definition.js'
import { keys, ownerKey } from './keys.js'
import type { SafeStore } from './safe-store.js'

const PERMANENT = 0

/** A custom OAuth provider an owner registered at runtime; the client secret is sealed. */
export interface StoredCustomProvider {
  slug: string
  name: string
  authorizationUrl: string
  tokenUrl: string
  userInfoUrl: string | null
  revocationUrl: string | null
  apiBaseUrl: string | null
  scopes: string[]
  tokenAuth: 'client_secret_post' | 'client_secret_basic'
  clientId: string
  /**
   * Set for a remote MCP server: its endpoints are discovered (the URL fields above are empty), its
   * client is `clientId` (empty: registered by the router) and the secret may be empty (none).
   */
  mcpUrl?: string | null
  /** RFC 9207 issuer; absent on records registered before it existed. */
  issuer?: string | null
  requireIss?: boolean
  /** The tools its connections offer (checked when registered); absent on records from before tools. */
  tools?: ToolDefinition[]
  /**
   * AES-256-GCM, the owner and slug as associated data, bound (`v2` blobs) to the owner, slug, URLs
   * and client id: see {@link bindingOf}. `v1` blobs, sealed before bindings, name the owner and slug
   * alone; they open only with `acceptUnboundSecrets`, and the rotation sweep
   * ({@link CustomProviderStore.reseal}) then upgrades them.
   */
  clientSecret: string
  createdAt: string
  updatedAt: string
}

export type CustomProviderInput = Omit<StoredCustomProvider, 'clientSecret' | 'createdAt' | 'updatedAt'> & {
  clientSecret: string
}

/** Custom providers per owner: a record each and an index of slugs, changed under the owner's lock. */
export class CustomProviderStore {
  constructor(
    private readonly store: SafeStore,
    private readonly lock: Lock,
    private readonly keyring: Keyring,
  ) {}

  /**
   * Each with its secret opened, or null where it no longer opens: a retired key, or a record whose
   * URLs or client id were changed in the store since its secret was sealed (the registry then leaves
   * the provider out, so nothing is sent to the new URLs).
   */
  async list(owner: string): Promise<Array<StoredCustomProvider & { secret: string | null }>> {
    const slugs = (await this.store.get<string[]>(keys.customProviderIndex(owner))) ?? []
    const records = await Promise.all(
      slugs.map((slug) => this.store.get<StoredCustomProvider>(keys.customProvider(owner, slug))),
    )
    return records
      .filter((record): record is StoredCustomProvider => record !== undefined)
      .map((record) => ({
        ...record,
        secret: this.open(owner, record),
      }))
  }

  private open(owner: string, record: StoredCustomProvider): string | null {
    try {
      return this.keyring.decrypt(record.clientSecret, aad(owner, record.slug), bindingOf(owner, record))
    } catch {
      return null
    }
  }

  put(owner: string, input: CustomProviderInput, now: Date): Promise<StoredCustomProvider> {
    return this.lock.withLock(keys.customProviderLock(owner), async () => {
      await this.claimSlug(owner, input.slug)
      const existing = await this.store.get<StoredCustomProvider>(keys.customProvider(owner, input.slug))
      const record: StoredCustomProvider = {
        ...input,
        // Bound to the input's URLs and client id: exactly what is stored with it.
        clientSecret: this.keyring.encrypt(
          input.clientSecret,
          aad(owner, input.slug),
          bindingOf(owner, input),
        ),
        createdAt: existing?.createdAt ?? now.toISOString(),
        updatedAt: now.toISOString(),
      }
      await this.store.set(keys.customProvider(owner, input.slug), record, PERMANENT)
      const slugs = (await this.store.get<string[]>(keys.customProviderIndex(owner))) ?? []
      if (!slugs.includes(input.slug)) {
        await this.store.set(keys.customProviderIndex(owner), [...slugs, input.slug], PERMANENT)
      }
      return record
    })
  }

  /**
   * Seals every client secret of the owner's that is not sealed with the current key, or not bound to
   * its record (`v1`), again with the current key and bound, under the owner's lock. `failed` names
   * the slugs no key of the ring opens, and those whose record no longer matches its secret's binding
   * (never re-bound: that would launder a change made in the store).
   */
  reseal(owner: string): Promise<{ checked: number; resealed: number; failed: string[] }> {
    return this.lock.withLock(keys.customProviderLock(owner), async () => {
      const result = { checked: 0, resealed: 0, failed: [] as string[] }
      const slugs = (await this.store.get<string[]>(keys.customProviderIndex(owner))) ?? []
      for (const slug of slugs) {
        const record = await this.store.get<StoredCustomProvider>(keys.customProvider(owner, slug))
        if (!record) continue
        result.checked++
        const binding = bindingOf(owner, record)
        if (!this.keyring.needsReencryption(record.clientSecret, binding)) continue
        const secret = this.open(owner, record)
        if (secret === null) {
          result.failed.push(slug)
          continue
        }
        const clientSecret = this.keyring.encrypt(secret, aad(owner, record.slug), binding)
        await this.store.set(keys.customProvider(owner, slug), { ...record, clientSecret }, PERMANENT)
        result.resealed++
      }
      return result
    })
  }

  /** Removes a provider if `allowed` agrees, under the owner's lock; false when there was none. */
  remove(owner: string, slug: string): Promise<boolean> {
    return this.lock.withLock(keys.customProviderLock(owner), async () => {
      const slugs = (await this.store.get<string[]>(keys.customProviderIndex(owner))) ?? []
      if (!slugs.includes(slug)) return false
      // Out of the index first: a failure after it leaves a record nobody lists, never a dangling id.
      await this.store.set(
        keys.customProviderIndex(owner),
        slugs.filter((s) => s !== slug),
        PERMANENT,
      )
      // Removed from here on: a record left by a failed delete is listed nowhere (registering the slug
      // again overwrites it), so the failure must not read as "nothing changed".
      await this.store.delete(keys.customProvider(owner, slug)).catch(() => undefined)
      await this.lock
        .withLock(keys.customProviderSlugLock(slug), () => this.store.delete(keys.customProviderSlug(slug)))
        .catch(() => undefined)
      return true
    })
  }

  /**
   * A slug is one owner's: its callback URL (`<mount>/callback/<slug>`) then leads to one provider
   * only, so two organisations' authorization servers never share a redirect URI (RFC 9700 §4.4,
   * mix-up). Taken under the owner's lock, then the slug's, like every other lock pair here.
   */
  private claimSlug(owner: string, slug: string): Promise<void> {
    return this.lock.withLock(keys.customProviderSlugLock(slug), async () => {
      const holder = await this.store.get<string>(keys.customProviderSlug(slug))
      if (holder === ownerKey(owner)) return
      if (holder !== undefined) {
        throw new ConnectionsError(
          'conflict',
          `The slug "${slug}" is taken by another organisation: choose another one.`,
        )
      }
      await this.store.set(keys.customProviderSlug(slug), ownerKey(owner), PERMANENT)
    })
  }
}

function aad(owner: string, slug: string): string {
  return `custom-provider:${owner}:${slug}`
}

/**
 * What a `v2` client secret is bound to, in one canonical, unambiguous encoding (JSON of an array):
 * the owner and slug, every URL the secret or the connections' tokens are sent to, and the client id.
 * Changing any of them in the store makes the secret no longer open.
 */
function bindingOf(
  owner: string,
  record: Pick<
    StoredCustomProvider,
    | 'slug'
    | 'authorizationUrl'
    | 'tokenUrl'
    | 'userInfoUrl'
    | 'revocationUrl'
    | 'apiBaseUrl'
    | 'clientId'
    | 'mcpUrl'
  >,
): string {
  return JSON.stringify([
    'custom-provider',
    owner,
    record.slug,
    record.authorizationUrl,
    record.tokenUrl,
    record.userInfoUrl ?? null,
    record.revocationUrl ?? null,
    record.apiBaseUrl ?? null,
    record.clientId,
    // Only MCP servers have one: every other record's binding stays what it was sealed with.
    ...(record.mcpUrl ? [record.mcpUrl] : []),
  ])
}
