import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto'
import { sameSecret } from '../crypto/compare.js'
import type { Lock } from '../locks/lock.js'
import { OwnedRecords } from '../storage/owned-records.js'
import type { SafeStore } from '../storage/safe-store.js'
import type { Agent, AgentRecord, AuthenticatedAgent } from './model.js'

/** `ak_<agent id>.<256-bit secret, base64url>`: the id makes the lookup one point read. */
const AGENT_KEY = /^ak_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/

/** The agent id an agent key names (well formed or not), or undefined: nothing is checked here. */
export function agentIdOfKey(key: string): string | undefined {
  return AGENT_KEY.exec(key)?.[1]
}

/** How many agents one process remembers (see AgentRegistry.knownOwner and Verified). */
const KNOWN_AGENTS = 10_000

/**
 * An agent this process has authenticated: its owner (an agent never changes owner), and the key
 * that matched the record's hash then. A request whose key is that very secret, while the record
 * still holds that very hash, is valid without computing the HMAC again.
 */
interface Verified {
  owner: string
  keyHash: string
  secret: Buffer
}

/** Whether a bearer token is meant as an agent key (well formed or not): it is then never anything else. */
export function looksLikeAgentKey(token: string): boolean {
  return token.startsWith('ak_')
}

/**
 * The built-in agent registry. A key is shown once, when it is made; the store holds only its
 * HMAC-SHA256 under keys derived from the keyring (`deriveAll('agent-key')`, the current one first),
 * so a dump of the store can neither be used as a key nor be tested against guesses offline.
 * Deleting an agent or rotating its key stops the old key on the next request: the record is read on
 * every authentication, never cached. (What is kept is the secret that last matched a record's hash,
 * so that the same key against the same hash skips the HMAC: see `matches`.)
 */
export class AgentRegistry {
  private readonly records: OwnedRecords<AgentRecord>
  private readonly hashKeys: Buffer[]
  /** Agent id → what its last successful authentication in this process showed. */
  private readonly verified = new Map<string, Verified>()

  /** @param hashKeys `keyring.deriveAll('agent-key')`: the first hashes new keys, all verify. */
  constructor(
    store: SafeStore,
    lock: Lock,
    hashKeys: readonly string[],
    private readonly now: () => Date = () => new Date(),
  ) {
    if (hashKeys.length === 0) throw new Error('AgentRegistry: no hash key.')
    this.records = new OwnedRecords(store, lock, 'agent', true)
    this.hashKeys = hashKeys.map((key) => Buffer.from(key, 'base64url'))
  }

  async create(owner: string, name: string): Promise<{ agent: Agent; key: string }> {
    const id = randomUUID()
    const at = this.now().toISOString()
    const { key, keyHash } = this.newKey(id)
    const record: AgentRecord = { id, owner, name, keyHash, createdAt: at, updatedAt: at, keyCreatedAt: at }
    await this.records.insert(record)
    return { agent: toAgent(record), key }
  }

  async list(owner: string): Promise<Agent[]> {
    return (await this.records.list(owner)).map(toAgent)
  }

  async get(owner: string, id: string): Promise<Agent | undefined> {
    const record = await this.records.getOwned(owner, id)
    return record && toAgent(record)
  }

  /** Deletes the agent; its key stops working at once. False when the owner has no such agent. */
  async delete(owner: string, id: string): Promise<boolean> {
    this.forget(id)
    return (await this.records.remove(owner, id)) !== undefined
  }

  /** A new key for the agent, shown once; the old one stops working at once. */
  async rotateKey(owner: string, id: string): Promise<{ agent: Agent; key: string } | undefined> {
    let key = ''
    const record = await this.records.update(owner, id, (current) => {
      const fresh = this.newKey(id)
      key = fresh.key
      const at = this.now().toISOString()
      return { ...current, keyHash: fresh.keyHash, updatedAt: at, keyCreatedAt: at }
    })
    return record && { agent: toAgent(record), key }
  }

  /** The owner and agent an agent key names, or null for a malformed, unknown, deleted or rotated key. */
  async authenticate(key: string): Promise<AuthenticatedAgent | null> {
    const match = AGENT_KEY.exec(key)
    if (!match) return null
    const [, id = '', secret = ''] = match
    const record = await this.records.get(id)
    if (!record) {
      // Deleted: what this process remembers of it must not outlive it.
      this.forget(id)
      return null
    }
    if (!this.matches(id, secret, record)) return null
    return { owner: record.owner, agent: { id: record.id, name: record.name } }
  }

  /**
   * Whether `secret` is the key whose hash the record holds. The record was just read, so a rotated
   * or deleted key fails here whatever was remembered; the HMAC is skipped only for the secret that
   * matched this same hash before (compared in constant time).
   */
  private matches(id: string, secret: string, record: AgentRecord): boolean {
    const presented = Buffer.from(secret)
    const known = this.verified.get(id)
    if (known && known.keyHash === record.keyHash && known.owner === record.owner) {
      if (presented.length === known.secret.length && timingSafeEqual(presented, known.secret)) return true
    }
    const valid = this.hashKeys.some((hashKey) => sameSecret(hashOf(hashKey, id, secret), record.keyHash))
    if (!valid) {
      // The key was rotated (or this one never was valid): the remembered secret is of no more use.
      if (known && known.keyHash !== record.keyHash) this.forget(id)
      return false
    }
    this.remember(id, { owner: record.owner, keyHash: record.keyHash, secret: presented })
    return true
  }

  /**
   * The owner of the agent a key names, when this process has authenticated that agent before; a
   * hint only, so that a request's reads can start before the key is checked. It says nothing of the
   * key: {@link authenticate} reads the record on every request, and its owner is the one that counts.
   */
  knownOwner(agentId: string): string | undefined {
    return this.verified.get(agentId)?.owner
  }

  /**
   * Whether this very key matched its agent's stored hash in this process (and has not been seen
   * failing since). A hint too, like {@link knownOwner}: it lets a call's rate count start with the
   * reads, never lets a call through.
   */
  isProvenKey(key: string): boolean {
    const match = AGENT_KEY.exec(key)
    const known = match ? this.verified.get(match[1] ?? '') : undefined
    if (!known) return false
    const presented = Buffer.from(match?.[2] ?? '')
    return presented.length === known.secret.length && timingSafeEqual(presented, known.secret)
  }

  private remember(id: string, agent: Verified): void {
    this.forget(id)
    // Insertion order: the oldest entry goes first once the map is full.
    if (this.verified.size >= KNOWN_AGENTS) this.forget(this.verified.keys().next().value as string)
    this.verified.set(id, agent)
  }

  /** Drops what was remembered of an agent, its key's bytes zeroed. */
  private forget(id: string): void {
    this.verified.get(id)?.secret.fill(0)
    this.verified.delete(id)
  }

  private newKey(id: string): { key: string; keyHash: string } {
    const secret = randomBytes(32).toString('base64url')
    return { key: `ak_${id}.${secret}`, keyHash: hashOf(this.hashKeys[0] as Buffer, id, secret) }
  }
}

/** Bound to the agent id, so a hash copied onto another agent's record matches no key. */
function hashOf(hashKey: Buffer, id: string, secret: string): string {
  return createHmac('sha256', hashKey).update(`agent-key\u0000${id}\u0000${secret}`).digest('base64url')
}

function toAgent({ id, name, createdAt, updatedAt, keyCreatedAt }: AgentRecord): Agent {
  return { id, name, createdAt, updatedAt, keyCreatedAt }
}
