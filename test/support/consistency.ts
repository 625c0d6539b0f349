import { isDeepStrictEqual } from 'node:util'
import type { ConnectionRecord, ConnectionSecrets, PendingFlow } from '../../src/core/model.js'
import { Keyring } from '../../src/crypto/keyring.js'
import type { ConnectionsRouter } from '../../src/router.js'
import type { StoredCustomProvider } from '../../src/storage/custom-providers.js'
import { ownerKey } from '../../src/storage/keys.js'
import { TEST_KEY } from './app.js'

/** Keyv's namespace in front of every key the router writes (the test apps use Keyv's default). */
const PREFIX = 'keyv:'

export interface StoredConnection {
  record: ConnectionRecord
  /** The record's secrets opened with the test key; null when the record has none (revoked). */
  secrets: ConnectionSecrets | null
}

export interface StoredProvider {
  record: StoredCustomProvider
  /** The client secret opened with the test key. */
  secret: string
}

/** What an owner has in the store, as their indexes list it. */
export interface OwnerState {
  /** In index order. */
  connections: StoredConnection[]
  /** In index order. */
  customProviders: StoredProvider[]
}

export interface StoreState {
  owners: Record<string, OwnerState>
  /** Every pending flow in the store (not part of any owner's state: a callback consumes one). */
  flows: PendingFlow[]
}

/** The store's content as the router reads it: a Keyv key → its value, expired entries left out. */
export function readKeyv(data: ReadonlyMap<string, unknown>): Map<string, unknown> {
  const values = new Map<string, unknown>()
  const now = Date.now()
  for (const [key, raw] of data) {
    if (!key.startsWith(PREFIX)) continue
    const entry = (typeof raw === 'string' ? JSON.parse(raw) : raw) as {
      value: unknown
      expires?: number | null
    }
    if (typeof entry.expires === 'number' && entry.expires <= now) continue
    values.set(key.slice(PREFIX.length), entry.value)
  }
  return values
}

const keyring = new Keyring([TEST_KEY])

function openSecrets(record: ConnectionRecord): ConnectionSecrets {
  return JSON.parse(keyring.decrypt(record.secrets ?? '', `connection:${record.id}`)) as ConnectionSecrets
}

/**
 * Reads the owners' state from a raw store dump and lists every broken invariant:
 * - an owner index names each id once, and each id has a record of that owner (nothing dangling);
 * - every connection record in the store is in its owner's index (no orphan);
 * - a revoked record has no secrets, any other record has secrets that open, with an access token;
 * - custom-provider indexes point at records whose client secret opens;
 * - every audit stream's head points at entries that exist.
 */
export function inspectStore(
  data: ReadonlyMap<string, unknown>,
  owners: readonly string[],
): { state: StoreState; problems: string[] } {
  const values = readKeyv(data)
  const problems: string[] = []
  const state: StoreState = { owners: {}, flows: [] }

  for (const [key, value] of values) {
    if (key.startsWith('flow:')) state.flows.push(value as PendingFlow)
    const id = /^connection:([^:]+)$/.exec(key)?.[1]
    if (!id) continue
    const record = value as ConnectionRecord
    if (record.id !== id) problems.push(`record under ${key} has id ${record.id}`)
    const index = values.get(`owner:${ownerKey(record.owner)}:connections`)
    if (!Array.isArray(index) || !index.includes(id))
      problems.push(`orphan: connection ${id} of ${record.owner} is not in its owner's index`)
  }

  for (const owner of owners) {
    const hash = ownerKey(owner)
    const mine: OwnerState = { connections: [], customProviders: [] }
    state.owners[owner] = mine
    const index = (values.get(`owner:${hash}:connections`) ?? []) as string[]
    if (new Set(index).size !== index.length) problems.push(`${owner}'s index repeats an id: ${index}`)
    for (const id of index) {
      const record = values.get(`connection:${id}`) as ConnectionRecord | undefined
      if (!record) {
        problems.push(`dangling: ${owner}'s index names ${id}, which has no record`)
        continue
      }
      if (record.owner !== owner) problems.push(`${owner}'s index names ${id}, a record of ${record.owner}`)
      let secrets: ConnectionSecrets | null = null
      if (record.status === 'revoked') {
        if (record.secrets !== null) problems.push(`revoked connection ${id} still holds secrets`)
      } else if (record.secrets === null) {
        problems.push(`${record.status} connection ${id} has no secrets`)
      } else {
        try {
          secrets = openSecrets(record)
          if (typeof secrets.accessToken !== 'string' || secrets.accessToken === '')
            problems.push(`connection ${id}'s secrets hold no access token`)
        } catch (error) {
          problems.push(`connection ${id}'s secrets do not open: ${String(error)}`)
        }
      }
      if (record.updatedAt < record.createdAt)
        problems.push(`connection ${id} was updated before it was created`)
      mine.connections.push({ record, secrets })
      checkAuditStream(values, `connection:${id}`, problems)
    }

    const slugs = (values.get(`owner:${hash}:custom-providers`) ?? []) as string[]
    if (new Set(slugs).size !== slugs.length)
      problems.push(`${owner}'s custom providers repeat a slug: ${slugs}`)
    for (const slug of slugs) {
      const record = values.get(`custom-provider:${hash}:${slug}`) as StoredCustomProvider | undefined
      if (!record) {
        problems.push(`dangling: ${owner}'s custom-provider index names ${slug}, which has no record`)
        continue
      }
      try {
        const secret = keyring.decrypt(record.clientSecret, `custom-provider:${owner}:${slug}`)
        mine.customProviders.push({ record, secret })
      } catch (error) {
        problems.push(`custom provider ${slug}'s secret does not open: ${String(error)}`)
      }
    }
    checkAuditStream(values, `owner:${hash}`, problems)
  }
  return { state, problems }
}

/** Entries 1..head of an audit stream exist (a head ahead of its entries would page over holes). */
function checkAuditStream(values: Map<string, unknown>, stream: string, problems: string[]): void {
  const head = values.get(`audit:${stream}:head`)
  if (head === undefined) return
  if (typeof head !== 'number') {
    problems.push(`audit head of ${stream} is ${JSON.stringify(head)}`)
    return
  }
  for (let seq = 1; seq <= head; seq += 1) {
    if (!values.has(`audit:${stream}:${seq}`))
      problems.push(`audit stream ${stream} has no entry ${seq} of ${head}`)
  }
}

/**
 * What the router itself answers agrees with the store: `list` shows exactly the indexed connections
 * that are not revoked, in index order, and the custom providers are the indexed ones.
 */
export async function inspectApi(router: ConnectionsRouter, state: StoreState): Promise<string[]> {
  const problems: string[] = []
  for (const [owner, mine] of Object.entries(state.owners)) {
    const listed = (await router.connections.list(owner)).map((c) => `${c.id} ${c.label} ${c.status}`)
    const stored = mine.connections
      .filter((c) => c.record.status !== 'revoked')
      .map((c) => `${c.record.id} ${c.record.label} ${c.record.status}`)
    if (!isDeepStrictEqual(listed, stored))
      problems.push(
        `list(${owner}) shows ${JSON.stringify(listed)}, the store holds ${JSON.stringify(stored)}`,
      )
    const custom = (await router.connections.customProviders.list(owner)).map((p) => p.slug)
    const storedSlugs = mine.customProviders.map((p) => p.record.slug)
    if (!isDeepStrictEqual(custom, storedSlugs))
      problems.push(`customProviders.list(${owner}) shows ${custom}, the store holds ${storedSlugs}`)
  }
  return problems
}

/** The difference between two values as a `what: before → after` line (none when deep-equal). */
export function differences(what: string, before: unknown, after: unknown): string[] {
  if (isDeepStrictEqual(before, after)) return []
  const show = (value: unknown) => {
    const text = JSON.stringify(value) ?? 'undefined'
    return text.length > 400 ? `${text.slice(0, 400)}…` : text
  }
  return [`${what}: ${show(before)} → ${show(after)}`]
}
