import { randomBytes, randomUUID } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import type session from 'express-session'
import type Keyv from 'keyv'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { AuditEntry } from '../../src/core/audit.js'
import { ConnectionsError } from '../../src/core/errors.js'
import { KeyRotation, type ReencryptProgress } from '../../src/core/key-rotation.js'
import type { ConnectionRecord, ConnectionSecrets, PendingFlow } from '../../src/core/model.js'
import { SecretBox } from '../../src/core/sealed.js'
import { Keyring } from '../../src/crypto/keyring.js'
import { KeyvSessionStore } from '../../src/http/session.js'
import { InProcessLock } from '../../src/locks/lock.js'
import { AuditLog } from '../../src/storage/audit-log.js'
import { type CustomProviderInput, CustomProviderStore } from '../../src/storage/custom-providers.js'
import { keys, ownerKey } from '../../src/storage/keys.js'
import { MissingRecordError, Repository } from '../../src/storage/repository.js'
import { SafeStore } from '../../src/storage/safe-store.js'
import { ToolSettingsSeal } from '../../src/tools/settings-seal.js'
import { type BackendHandle, backends } from '../support/backends.js'
import { connectionRecord } from '../support/fixtures.js'

/**
 * One storage conformance suite, run on Keyv with every supported adapter: what the router stores
 * must behave the same on memory, SQLite, Redis, PostgreSQL, a hand-written adapter, keyv-file,
 * MySQL (MariaDB), memcached, keyv 6 and a custom serializer (test/support/backends.ts). Each test has
 * its own namespace and removes it.
 */

const OLD_KEY = randomBytes(32).toString('base64')
const keyring = new Keyring([OLD_KEY])
const box = new SecretBox(keyring)
const DAY_MS = 24 * 60 * 60 * 1000
/** Short TTLs for the expiry checks, and how long to wait for them to pass. */
const SHORT_TTL_MS = 250
const PAST_SHORT_TTL_MS = 450

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function secrets(marker = 'token'): ConnectionSecrets {
  return {
    accessToken: `access-${marker}`,
    refreshToken: `refresh-${marker}`,
    tokenType: 'Bearer',
    idToken: `id-${marker}`,
  }
}

function newRecord(
  owner: string,
  overrides: Partial<ConnectionRecord> = {},
  marker?: string,
): ConnectionRecord {
  const record = connectionRecord({
    owner,
    provider: 'github',
    label: 'GitHub',
    accountId: `acct-${randomUUID()}`,
    grantedScopes: ['repo'],
    ...overrides,
  })
  // Sealed for the record as it is stored (its owner, provider and API base are bound).
  return overrides.secrets === undefined ? box.withSecrets(record, secrets(marker)) : record
}

function newFlow(owner: string, verifier = randomBytes(32).toString('base64url')): PendingFlow {
  const now = Date.now()
  const id = randomUUID()
  return {
    id,
    owner,
    provider: 'github',
    scopes: ['repo'],
    label: null,
    returnUrl: null,
    metadata: {},
    sessionId: null,
    allowSessionless: false,
    reauthConnectionId: null,
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + 10 * 60 * 1000).toISOString(),
    verifier: keyring.encrypt(verifier, `flow:${id}`),
  }
}

function auditEntry(connectionId: string, n: number): Omit<AuditEntry, 'id'> {
  return {
    action: 'token',
    connectionId,
    provider: 'github',
    actor: 'server',
    at: new Date().toISOString(),
    outcome: 'success',
    detail: `entry ${n}`,
  }
}

function customProvider(slug: string, clientSecret: string): CustomProviderInput {
  return {
    slug,
    name: `Custom ${slug}`,
    authorizationUrl: 'https://auth.example.com/authorize',
    tokenUrl: 'https://auth.example.com/token',
    userInfoUrl: null,
    revocationUrl: null,
    apiBaseUrl: 'https://api.example.com',
    scopes: ['read'],
    tokenAuth: 'client_secret_post',
    clientId: `client-${slug}`,
    clientSecret,
  }
}

/** express-session's callback API, as a promise. */
function callback<T>(call: (done: (err?: unknown, value?: T) => void) => void): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    call((err, value) => (err ? reject(err) : resolve(value)))
  })
}

function sessionData(expires: Date | null, extra: Record<string, unknown> = {}): session.SessionData {
  const cookie = {
    originalMaxAge: expires ? expires.getTime() - Date.now() : null,
    expires,
    httpOnly: true,
    path: '/',
    sameSite: 'lax',
  } as session.Cookie
  return { cookie, ...extra } as session.SessionData
}

/** Records every key written through a Keyv, for the raw read-back. */
function recordWrites(keyv: Keyv): Set<string> {
  const written = new Set<string>()
  const holder = keyv as unknown as { set: (key: string, ...rest: unknown[]) => unknown }
  const original = holder.set.bind(keyv)
  holder.set = (key: string, ...rest: unknown[]) => {
    written.add(key)
    return original(key, ...rest)
  }
  return written
}

/** Whether SafeStore reads many keys in one call here: @keyv/memcache's getMany reads a failure as missing. */
function readsManyAtOnce(handle: BackendHandle): boolean {
  const adapter = (handle.keyv as { store?: { getMany?: unknown; constructor: { name: string } } }).store
  return typeof adapter?.getMany === 'function' && adapter.constructor.name !== 'KeyvMemcache'
}

async function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  try {
    return { value: await promise }
  } catch (error) {
    return { error }
  }
}

describe.each(backends)('$name', (backend) => {
  describe('conformance', () => {
    let handle: BackendHandle
    /** What afterEach closes: unset when create() failed (an unreachable service fails the test). */
    let opened: BackendHandle | undefined
    let store: SafeStore
    let lock: InProcessLock
    let repository: Repository

    beforeEach(async () => {
      handle = await backend.create(`conf-${backend.name}-${randomUUID()}`)
      opened = handle
      store = new SafeStore(handle.keyv, 5_000)
      lock = new InProcessLock()
      repository = new Repository(store, lock)
    })

    afterEach(async () => {
      const closing = opened
      opened = undefined
      await closing?.close()
    })

    it('SafeStore switches the Keyv to throwOnErrors: an adapter failure is store_unavailable, not "not found"', async () => {
      // keyv 6 has no such switch: it throws by itself while nobody listens for its 'error' event.
      if ('throwOnErrors' in handle.keyv) expect(handle.keyv.throwOnErrors).toBe(true)
      const adapter = handle.keyv.store as Record<string, unknown>
      const own = Object.hasOwn(adapter, 'get')
      const original = adapter.get
      adapter.get = () => Promise.reject(new Error('adapter down'))
      try {
        await expect(store.get('anything')).rejects.toMatchObject({ code: 'store_unavailable' })
      } finally {
        if (own) adapter.get = original
        else delete adapter.get
      }
    })

    it('repository: upsert creates, get reads back, upsert again replaces instead of adding', async () => {
      const owner = `ana-${randomUUID()}`
      const record = newRecord(owner)
      const first = await repository.upsertConnection(
        owner,
        (r) => r.accountId === record.accountId,
        (existing) => existing ?? record,
      )
      expect(first).toEqual({ record, created: true })
      expect(await repository.getConnection(record.id)).toEqual(record)

      const again = await repository.upsertConnection(
        owner,
        (r) => r.accountId === record.accountId,
        (existing) => ({ ...(existing ?? record), label: 'GitHub (work)' }),
      )
      expect(again.created).toBe(false)
      expect(again.record).toEqual({ ...record, label: 'GitHub (work)' })
      expect(await repository.getConnection(record.id)).toEqual(again.record)
      expect(await repository.listIds(owner)).toEqual([record.id])
      expect(await repository.getConnection(randomUUID())).toBeUndefined()
    })

    it('repository: updateConnection is a read-modify-write under the lock (20 concurrent, none lost)', async () => {
      const owner = `ana-${randomUUID()}`
      const { record } = await repository.upsertConnection(
        owner,
        () => false,
        () => newRecord(owner, { metadata: { n: 0 } }),
      )
      await Promise.all(
        Array.from({ length: 20 }, () =>
          repository.updateConnection(record.id, async (current) => {
            await sleep(1)
            return { ...current, metadata: { n: Number(current.metadata.n) + 1 } }
          }),
        ),
      )
      expect((await repository.getConnection(record.id))?.metadata).toEqual({ n: 20 })
    })

    it('repository: a refused change writes nothing; an unchanged one skips the write; a missing id throws', async () => {
      const owner = `ana-${randomUUID()}`
      const { record } = await repository.upsertConnection(
        owner,
        () => false,
        () => newRecord(owner),
      )
      const written = recordWrites(handle.keyv)
      await expect(
        repository.updateConnection(record.id, () => {
          throw new Error('refused')
        }),
      ).rejects.toThrow('refused')
      expect(await repository.updateConnection(record.id, (current) => current)).toEqual(record)
      expect([...written]).toEqual([])
      expect(await repository.getConnection(record.id)).toEqual(record)
      await expect(repository.updateConnection(randomUUID(), (current) => current)).rejects.toBeInstanceOf(
        MissingRecordError,
      )
    })

    it('repository: listing reads the owner index and one key per connection (all in one call where the adapter reads many), never a scan', async () => {
      const ana = `ana-${randomUUID()}`
      const bob = `bob-${randomUUID()}`
      const created: string[] = []
      for (let i = 0; i < 5; i++) {
        const { record } = await repository.upsertConnection(
          ana,
          () => false,
          () => newRecord(ana),
        )
        created.push(record.id)
      }
      await repository.upsertConnection(
        bob,
        () => false,
        () => newRecord(bob),
      )

      const reads: string[] = []
      let calls = 0
      const originalGet = handle.keyv.get.bind(handle.keyv)
      const originalGetMany = handle.keyv.getMany.bind(handle.keyv)
      const holder = handle.keyv as unknown as {
        get: (key: string) => Promise<unknown>
        getMany: (keys: string[]) => Promise<unknown[]>
      }
      holder.get = (key: string) => {
        reads.push(key)
        calls += 1
        return originalGet(key)
      }
      holder.getMany = (many: string[]) => {
        reads.push(...many)
        calls += 1
        return originalGetMany(many)
      }
      const scans = handle.watchScans()
      try {
        const listed = await repository.listConnections(ana)
        expect(listed.map((r) => r.id)).toEqual(created)
        expect(reads).toEqual([keys.ownerIndex(ana), ...created.map((id) => keys.connection(id))])
        expect(calls).toBe(readsManyAtOnce(handle) ? 2 : 1 + created.length)
        expect(await repository.listConnections(`nobody-${randomUUID()}`)).toEqual([])
        // An upsert looks for its match through the same index.
        await repository.upsertConnection(
          ana,
          () => false,
          () => newRecord(ana),
        )
      } finally {
        holder.get = originalGet
        holder.getMany = originalGetMany
        expect(scans.stop()).toEqual([])
      }
    })

    it('SafeStore: reads asked in one tick go in one store call where the adapter reads many, each with its own value', async () => {
      await store.set('batch:a', { n: 1 })
      await store.set('batch:b', 'two')
      const holder = handle.keyv as unknown as {
        get: (key: string) => Promise<unknown>
        getMany: (keys: string[]) => Promise<unknown[]>
      }
      const [originalGet, originalGetMany] = [holder.get.bind(holder), holder.getMany.bind(holder)]
      const calls: string[][] = []
      holder.get = (key) => {
        calls.push([key])
        return originalGet(key)
      }
      holder.getMany = (many) => {
        calls.push([...many])
        return originalGetMany(many)
      }
      try {
        const together = await Promise.all([
          store.get('batch:a'),
          store.get('batch:missing'),
          store.get('batch:b'),
          store.get('batch:a'),
        ])
        expect(together).toEqual([{ n: 1 }, undefined, 'two', { n: 1 }])
        const readsMany = readsManyAtOnce(handle)
        expect(calls).toEqual(
          readsMany
            ? [['batch:a', 'batch:missing', 'batch:b', 'batch:a']]
            : [['batch:a'], ['batch:missing'], ['batch:b'], ['batch:a']],
        )
        calls.length = 0
        // A read of the next tick is a call of its own, and a lone read stays a plain get.
        expect(await store.get('batch:b')).toBe('two')
        expect(calls).toEqual([['batch:b']])
        if (readsMany) {
          holder.getMany = () => Promise.reject(new Error('adapter down'))
          const failed = await Promise.allSettled([store.get('batch:a'), store.get('batch:b')])
          expect(failed.map((one) => one.status === 'rejected' && one.reason.code)).toEqual([
            'store_unavailable',
            'store_unavailable',
          ])
        }
      } finally {
        holder.get = originalGet
        holder.getMany = originalGetMany
      }
    })

    it('repository: 50 concurrent upserts for one owner all end up in the index', async () => {
      const owner = `ana-${randomUUID()}`
      const results = await Promise.all(
        Array.from({ length: 50 }, () =>
          repository.upsertConnection(
            owner,
            () => false,
            () => newRecord(owner),
          ),
        ),
      )
      expect(results.every((r) => r.created)).toBe(true)
      const ids = results.map((r) => r.record.id)
      const indexed = await repository.listIds(owner)
      expect(indexed).toHaveLength(50)
      expect(new Set(indexed)).toEqual(new Set(ids))
      const listed = await repository.listConnections(owner)
      expect(new Set(listed.map((r) => r.id))).toEqual(new Set(ids))
    })

    it('repository: 50 concurrent upserts of the same account make one connection', async () => {
      const owner = `ana-${randomUUID()}`
      const accountId = `acct-${randomUUID()}`
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          repository.upsertConnection(
            owner,
            (r) => r.accountId === accountId,
            (existing) => ({ ...(existing ?? newRecord(owner, { accountId })), label: `attempt ${i}` }),
          ),
        ),
      )
      expect(results.filter((r) => r.created)).toHaveLength(1)
      const listed = await repository.listConnections(owner)
      expect(listed).toHaveLength(1)
      expect(new Set(results.map((r) => r.record.id))).toEqual(new Set([listed[0]?.id]))
    })

    it('flows: a flow is there until its ttl passes, then gone', async () => {
      const state = randomBytes(32).toString('base64url')
      const flow = newFlow('ana')
      await repository.putFlow(state, flow, SHORT_TTL_MS)
      expect(await repository.peekFlow(state)).toEqual(flow)
      await sleep(PAST_SHORT_TTL_MS)
      expect(await repository.peekFlow(state)).toBeUndefined()
      expect(await repository.takeFlow(state)).toBeUndefined()
    })

    it('flows: takeFlow deletes it, a second take gets nothing, of 10 concurrent takes exactly one wins', async () => {
      const state = randomBytes(32).toString('base64url')
      const flow = newFlow('ana')
      await repository.putFlow(state, flow, 60_000)
      expect(await repository.takeFlow(state)).toEqual(flow)
      expect(await repository.takeFlow(state)).toBeUndefined()
      expect(await repository.peekFlow(state)).toBeUndefined()

      const raced = randomBytes(32).toString('base64url')
      await repository.putFlow(raced, flow, 60_000)
      const takes = await Promise.all(Array.from({ length: 10 }, () => repository.takeFlow(raced)))
      expect(takes.filter((t) => t !== undefined)).toEqual([flow])
    })

    it('audit: pages newest first with limit and cursor, one stream per owner and per connection', async () => {
      const audit = new AuditLog(store, lock, 90 * DAY_MS)
      const owner = `ana-${randomUUID()}`
      const [c1, c2] = [randomUUID(), randomUUID()]
      const appended: AuditEntry[] = []
      for (let n = 1; n <= 5; n++) appended.push(await audit.append(owner, auditEntry(n % 2 ? c1 : c2, n)))
      const newestFirst = [...appended].reverse()

      const pages: AuditEntry[][] = []
      let cursor: string | undefined
      do {
        const page = await audit.page(owner, { limit: 2, ...(cursor ? { cursor } : {}) })
        pages.push(page.entries)
        cursor = page.nextCursor ?? undefined
      } while (cursor)
      expect(pages.map((p) => p.length)).toEqual([2, 2, 1])
      expect(pages.flat()).toEqual(newestFirst)

      const whole = await audit.page(owner, { limit: 100 })
      expect(whole).toEqual({ entries: newestFirst, nextCursor: null })
      expect((await audit.page(owner, { connectionId: c1, limit: 100 })).entries).toEqual(
        newestFirst.filter((e) => e.connectionId === c1),
      )
      const c2Page = await audit.page(owner, { connectionId: c2, limit: 1 })
      expect(c2Page.entries).toEqual([appended[3]])
      expect(
        (await audit.page(owner, { connectionId: c2, limit: 5, cursor: c2Page.nextCursor ?? '' })).entries,
      ).toEqual([appended[1]])
      expect(await audit.page(`bob-${randomUUID()}`, { limit: 10 })).toEqual({
        entries: [],
        nextCursor: null,
      })
    })

    it('audit: 10 concurrent appends to one stream keep every entry', async () => {
      const audit = new AuditLog(store, lock, 90 * DAY_MS)
      const owner = `ana-${randomUUID()}`
      const connectionId = randomUUID()
      const appended = await Promise.all(
        Array.from({ length: 10 }, (_, n) => audit.append(owner, auditEntry(connectionId, n))),
      )
      const page = await audit.page(owner, { limit: 100 })
      expect(new Set(page.entries.map((e) => e.id))).toEqual(new Set(appended.map((e) => e.id)))
      expect(page.entries).toHaveLength(10)
    })

    it('audit: entries expire after the retention period, the counter stays', async () => {
      const audit = new AuditLog(store, lock, SHORT_TTL_MS)
      const owner = `ana-${randomUUID()}`
      const connectionId = randomUUID()
      await audit.append(owner, auditEntry(connectionId, 1))
      await audit.append(owner, auditEntry(connectionId, 2))
      expect((await audit.page(owner, { limit: 10 })).entries).toHaveLength(2)
      await sleep(PAST_SHORT_TTL_MS)
      expect((await audit.page(owner, { limit: 10 })).entries).toEqual([])
      const third = await audit.append(owner, auditEntry(connectionId, 3))
      expect(await audit.page(owner, { limit: 1 })).toEqual({ entries: [third], nextCursor: '2' })
      expect(await handle.keyv.get(keys.auditHead(`connection:${connectionId}`))).toBe(3)
    })

    it('a TTL longer than the adapter can hold is kept with its expiry in the value, and is gone once it passes', async () => {
      // As for memcached's 30 days (detected for @keyv/memcache), with a limit short enough to wait out.
      const limited = new SafeStore(handle.keyv, 5_000, SHORT_TTL_MS / 5)
      await limited.set('long-lived', { n: 1 }, SHORT_TTL_MS)
      await limited.set('within-the-limit', { n: 2 }, SHORT_TTL_MS / 10)
      expect(await limited.get('long-lived')).toEqual({ n: 1 })
      await sleep(PAST_SHORT_TTL_MS)
      expect(await limited.get('long-lived')).toBeUndefined()
      expect(await limited.get('within-the-limit')).toBeUndefined()
      // The expired value was deleted on that read, not only hidden.
      expect(await handle.keyv.get('long-lived')).toBeUndefined()
    })

    it('audit: two instances taking turns on one stream keep one intact chain (a stale remembered seq is read again)', async () => {
      const macKeys = keyring.deriveAll('audit-trail')
      const [one, two] = [
        new AuditLog(store, lock, 90 * DAY_MS, macKeys),
        new AuditLog(store, lock, 90 * DAY_MS, macKeys),
      ]
      const owner = `ana-${randomUUID()}`
      const connectionId = randomUUID()
      // one, one, two, one (its remembered seq is 2, the head 3), two, two.
      for (const [n, log] of [one, one, two, one, two, two].entries())
        await log.append(owner, auditEntry(connectionId, n + 1))
      const verified = await one.verify(owner, { connectionId })
      expect(verified).toMatchObject({ checked: 6, intact: true, problems: [] })
      expect((await two.verify(owner)).intact).toBe(true)
      expect((await one.page(owner, { limit: 10 })).entries).toHaveLength(6)
    })

    it('audit: the chain detects an edited or removed entry, and survives entries expiring at the old end', async () => {
      const macKeys = keyring.deriveAll('audit-trail')
      const audit = new AuditLog(store, lock, 90 * DAY_MS, macKeys)
      const owner = `ana-${randomUUID()}`
      const connectionId = randomUUID()
      const stream = `connection:${connectionId}`
      const appended: AuditEntry[] = []
      for (let n = 1; n <= 5; n++) appended.push(await audit.append(owner, auditEntry(connectionId, n)))
      // The MAC is stored with the entry, and never comes back from a page.
      expect((await audit.page(owner, { limit: 10 })).entries).toEqual([...appended].reverse())
      expect(await store.get(keys.auditEntry(stream, 1))).toHaveProperty('chain.mac')
      const head = { seq: 5, mac: expect.stringMatching(/^[\w-]{43}$/) as string }
      const intact = { checked: 5, intact: true, problems: [], head }
      expect(await audit.verify(owner)).toEqual(intact)
      expect(await audit.verify(owner, { connectionId })).toEqual(intact)
      // After a key rotation (new key first, the old one kept), the old chain still verifies.
      const rotatedKey = Buffer.from('CANARY audit-trail rotation key!').toString('base64')
      const rotated = new Keyring([rotatedKey, OLD_KEY]).deriveAll('audit-trail')
      expect(await new AuditLog(store, lock, 90 * DAY_MS, rotated).verify(owner)).toEqual(intact)
      // Not with an unrelated key.
      const stranger = new AuditLog(store, lock, 90 * DAY_MS, [rotated[0] as string])
      expect((await stranger.verify(owner)).intact).toBe(false)

      const third = await store.get<AuditEntry>(keys.auditEntry(stream, 3))
      await store.set(keys.auditEntry(stream, 3), { ...third, outcome: 'failure' })
      expect(await audit.verify(owner, { connectionId })).toEqual({
        checked: 5,
        intact: false,
        problems: [{ seq: 3, problem: 'modified' }],
        head,
      })
      await store.delete(keys.auditEntry(stream, 2))
      expect(await audit.verify(owner, { connectionId })).toEqual({
        checked: 4,
        intact: false,
        problems: [
          { seq: 3, problem: 'modified' },
          { seq: 2, problem: 'missing' },
        ],
        head,
      })
      // Authentic entries swapped between positions.
      const ownerStream = `owner:${ownerKey(owner)}`
      const [fourth, fifth] = await Promise.all([
        store.get(keys.auditEntry(ownerStream, 4)),
        store.get(keys.auditEntry(ownerStream, 5)),
      ])
      await store.set(keys.auditEntry(ownerStream, 4), fifth)
      await store.set(keys.auditEntry(ownerStream, 5), fourth)
      expect((await audit.verify(owner)).problems).toEqual([
        { seq: 5, problem: 'reordered' },
        { seq: 4, problem: 'reordered' },
      ])

      // Entries that expire at the old end are no problem: the chain starts at the oldest one left.
      const short = new AuditLog(store, lock, SHORT_TTL_MS, macKeys)
      const expiring = `ana-${randomUUID()}`
      await short.append(expiring, auditEntry(connectionId, 1))
      await short.append(expiring, auditEntry(connectionId, 2))
      await sleep(PAST_SHORT_TTL_MS)
      await short.append(expiring, auditEntry(connectionId, 3))
      await short.append(expiring, auditEntry(connectionId, 4))
      expect(await short.verify(expiring)).toEqual({
        checked: 2,
        intact: true,
        problems: [],
        head: { ...head, seq: 4 },
      })
    })

    it('custom providers: put, list (secret opened), update, remove; the stored secret is sealed', async () => {
      const providers = new CustomProviderStore(store, lock, keyring)
      const owner = `ana-${randomUUID()}`
      const plaintext = `client-secret-${randomUUID()}`
      const t1 = new Date('2026-01-01T00:00:00Z')
      const t2 = new Date('2026-01-02T00:00:00Z')
      await providers.put(owner, customProvider('acme', plaintext), t1)
      await providers.put(owner, customProvider('zeta', 'other-secret'), t1)

      const raw = (await handle.keyv.get(keys.customProvider(owner, 'acme'))) as { clientSecret: string }
      expect(raw.clientSecret).not.toBe(plaintext)
      expect(JSON.stringify(raw)).not.toContain(plaintext)

      const listed = await providers.list(owner)
      expect(listed.map((p) => [p.slug, p.secret])).toEqual([
        ['acme', plaintext],
        ['zeta', 'other-secret'],
      ])
      expect(await providers.list(`bob-${randomUUID()}`)).toEqual([])

      const updated = await providers.put(owner, { ...customProvider('acme', 'rotated'), name: 'Acme 2' }, t2)
      expect(updated).toMatchObject({
        createdAt: t1.toISOString(),
        updatedAt: t2.toISOString(),
        name: 'Acme 2',
      })
      expect((await providers.list(owner)).map((p) => [p.slug, p.secret])).toEqual([
        ['acme', 'rotated'],
        ['zeta', 'other-secret'],
      ])

      expect(await providers.remove(owner, 'acme')).toBe(true)
      expect(await providers.remove(owner, 'acme')).toBe(false)
      expect((await providers.list(owner)).map((p) => p.slug)).toEqual(['zeta'])
      expect(await handle.keyv.get(keys.customProvider(owner, 'acme'))).toBeUndefined()
    })

    it('key rotation: the sweep seals every secret again with the new key, owner by owner, and is idempotent', async () => {
      const [ana, bob, cyd] = ['ana', 'bob', 'cyd'].map((name) => `${name}-${randomUUID()}`) as [
        string,
        string,
        string,
      ]
      const add = async (owner: string, overrides: Partial<ConnectionRecord> = {}, marker?: string) =>
        (
          await repository.upsertConnection(
            owner,
            () => false,
            () => newRecord(owner, overrides, marker),
          )
        ).record.id
      const anas = [await add(ana, {}, 'ana-0'), await add(ana, {}, 'ana-1'), await add(ana, {}, 'ana-2')]
      const bobs = [await add(bob, {}, 'bob-0'), await add(bob, {}, 'bob-1')]
      await new CustomProviderStore(store, lock, keyring).put(
        bob,
        customProvider('sso', 'sso-secret'),
        new Date(),
      )
      await add(cyd, { status: 'revoked', secrets: null })
      // Sealed with a key that is in no ring: reported, left as it is, the sweep goes on.
      const foreignId = randomUUID()
      const foreign = new SecretBox(new Keyring([randomBytes(32).toString('base64')])).seal(
        { id: foreignId, owner: cyd, provider: 'github', apiBaseUrl: null },
        secrets(),
      )
      await add(cyd, { id: foreignId, secrets: foreign })

      const newKey = randomBytes(32).toString('base64')
      // Migrating (acceptUnboundSecrets): blobs sealed before secrets were bound to their record
      // (v1, the record id alone) open, and the sweep upgrades them.
      const rotated = new Keyring([newKey, OLD_KEY], { openUnbound: true })
      // Such a blob, already with the new key: upgraded all the same.
      const legacyId = randomUUID()
      const legacy = rotated.encrypt(JSON.stringify(secrets('cyd-v1')), `connection:${legacyId}`)
      expect(legacy.startsWith(`v1.${rotated.currentKeyId}.`)).toBe(true)
      await add(cyd, { id: legacyId, secrets: legacy })
      const sweep = () =>
        new KeyRotation({
          repository: new Repository(store, lock),
          customProviders: new CustomProviderStore(store, lock, rotated),
          box: new SecretBox(rotated),
          keyId: rotated.currentKeyId,
          toolSettings: new ToolSettingsSeal(store, lock, rotated),
        })
      const progress: ReencryptProgress[] = []
      const scans = handle.watchScans()
      const report = await sweep().reencrypt({
        owners: [ana, bob, cyd, `nobody-${randomUUID()}`],
        onProgress: (p) => progress.push(p),
      })
      expect(scans.stop()).toEqual([])
      expect(report).toEqual({
        owners: 4,
        checked: 8,
        reencrypted: 7,
        failed: 1,
        keyId: rotated.currentKeyId,
        failures: [{ kind: 'connection', id: foreignId }],
      })
      expect(progress.map((p) => [p.owners, p.reencrypted])).toEqual([
        [1, 3],
        [2, 6],
        [3, 7],
        [4, 7],
      ])

      // The old key can go: everything but the foreign blob opens with the new key alone.
      const newOnly = new Keyring([newKey])
      for (const [id, marker] of [
        ...anas.map((id, i) => [id, `ana-${i}`]),
        ...bobs.map((id, i) => [id, `bob-${i}`]),
        [legacyId, 'cyd-v1'],
      ]) {
        const record = (await repository.getConnection(id ?? '')) as ConnectionRecord
        expect(new SecretBox(newOnly).open(record)).toEqual(secrets(marker))
      }
      const [sso] = await new CustomProviderStore(store, lock, newOnly).list(bob)
      expect(sso?.secret).toBe('sso-secret')
      const oldKeyId = keyring.currentKeyId
      // Nothing left under the old key, nor unbound (v1).
      expect(
        (await handle.dump()).filter(
          ([, value]) => value.includes(`.${oldKeyId}.`) || value.includes('"v1.'),
        ),
      ).toEqual([])
      const upgraded = (await repository.getConnection(legacyId)) as ConnectionRecord
      expect(upgraded.secrets?.startsWith(`v2.${rotated.currentKeyId}.`)).toBe(true)
      expect(await repository.getConnection(foreignId)).toMatchObject({ secrets: foreign })

      // Nothing left to do the second time.
      expect(await sweep().reencrypt({ owners: [ana, bob, cyd] })).toMatchObject({
        checked: 8,
        reencrypted: 0,
        failed: 1,
      })
    })

    it('sessions: set/get/destroy through the express-session Store API; ttl from the cookie, else the fallback', async () => {
      const sessions = new KeyvSessionStore(store, 60_000)
      const shortFallback = new KeyvSessionStore(store, SHORT_TTL_MS)
      const [kept, destroyed, byCookie, byFallback] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()]
      const long = sessionData(new Date(Date.now() + 60_000), { flows: ['a'] })

      await callback((done) => sessions.set(kept, long, done))
      await callback((done) => sessions.set(destroyed, long, done))
      await callback((done) => sessions.set(byCookie, sessionData(new Date(Date.now() + SHORT_TTL_MS)), done))
      await callback((done) => shortFallback.set(byFallback, sessionData(null), done))

      const read = await callback<session.SessionData | null>((done) => sessions.get(kept, done))
      expect(JSON.parse(JSON.stringify(read))).toEqual(JSON.parse(JSON.stringify(long)))
      expect(await callback((done) => sessions.get(byCookie, done))).not.toBeNull()
      expect(await callback((done) => sessions.get(byFallback, done))).not.toBeNull()

      await callback((done) => sessions.destroy(destroyed, done))
      expect(await callback((done) => sessions.get(destroyed, done))).toBeNull()
      expect(await callback((done) => sessions.get(randomUUID(), done))).toBeNull()

      await sleep(PAST_SHORT_TTL_MS)
      expect(await callback((done) => sessions.get(byCookie, done))).toBeNull()
      expect(await callback((done) => sessions.get(byFallback, done))).toBeNull()
      expect(await callback((done) => sessions.get(kept, done))).not.toBeNull()
    })

    it("a host Keyv's default ttl expires none of the permanent keys (records, indexes, counters)", async () => {
      handle.keyv.ttl = 100
      const owner = `ana-${randomUUID()}`
      const audit = new AuditLog(store, lock, 90 * DAY_MS)
      const providers = new CustomProviderStore(store, lock, keyring)
      const { record } = await repository.upsertConnection(
        owner,
        () => false,
        () => newRecord(owner),
      )
      await repository.updateConnection(record.id, (current) => ({ ...current, label: 'relabelled' }))
      const entry = await audit.append(owner, auditEntry(record.id, 1))
      await providers.put(owner, customProvider('acme', 'secret'), new Date())
      await sleep(300)
      expect((await repository.listConnections(owner)).map((r) => r.label)).toEqual(['relabelled'])
      expect((await audit.page(owner, { limit: 10 })).entries).toEqual([entry])
      expect((await providers.list(owner)).map((p) => p.slug)).toEqual(['acme'])
    })

    it('a raw dump of everything written holds no plaintext secret and no state value', async () => {
      const marker = `PLAINTEXT-MARKER-${randomUUID()}`
      const written = recordWrites(handle.keyv)
      const owner = `ana-${randomUUID()}`
      const { record } = await repository.upsertConnection(
        owner,
        () => false,
        () => newRecord(owner, {}, marker),
      )
      await repository.updateConnection(record.id, (current) => ({
        ...current,
        secrets: box.seal(current, secrets(`${marker}-refreshed`)),
      }))
      const state = `${marker}-state-${randomBytes(16).toString('base64url')}`
      await repository.putFlow(state, newFlow(owner, `${marker}-verifier`), 60_000)
      await new CustomProviderStore(store, lock, keyring).put(
        owner,
        customProvider('acme', `${marker}-client-secret`),
        new Date(),
      )
      await new AuditLog(store, lock, 90 * DAY_MS).append(owner, auditEntry(record.id, 1))
      const sessions = new KeyvSessionStore(store, 60_000)
      await callback((done) => sessions.set(randomUUID(), sessionData(new Date(Date.now() + 60_000)), done))

      // The secrets are there, sealed: the check below is not passing on an empty store.
      const stored = (await handle.keyv.get(keys.connection(record.id))) as ConnectionRecord
      expect(box.open(stored)?.accessToken).toBe(`access-${marker}-refreshed`)

      // Every key written, read back through Keyv (value and expiry as stored).
      expect(written.size).toBeGreaterThanOrEqual(8)
      for (const key of written) {
        expect(key).not.toContain(marker)
        const value = await handle.keyv.get(key, { raw: true })
        expect(value, key).toBeDefined()
        expect(JSON.stringify(value), key).not.toContain(marker)
      }

      // And the backend's own rows under the namespace, as an operator's dump would show them.
      const dump = await handle.dump()
      expect(dump.length).toBe(written.size)
      for (const [key, value] of dump) {
        expect(key).not.toContain(marker)
        expect(value, key).not.toContain(marker)
      }
    })
  })

  for (const scenario of backend.failures) {
    describe(`store down: ${scenario.how}`, () => {
      it('every storage call ends in store_unavailable, without hanging', async () => {
        const down = await scenario.create(`conf-${backend.name}-${randomUUID()}`)
        try {
          // Where the adapter fails by itself, SafeStore's timer must not be what ends the call.
          const timeoutMs = down.failsWithinMs === undefined ? 300 : 15_000
          const budgetMs = (down.failsWithinMs ?? timeoutMs) + 1_000
          const safe = new SafeStore(down.keyv, timeoutMs)
          const lock = new InProcessLock()
          const repository = new Repository(safe, lock)
          const audit = new AuditLog(safe, lock, DAY_MS)
          const providers = new CustomProviderStore(safe, lock, keyring)
          const sessions = new KeyvSessionStore(safe, 60_000)
          const owner = `ana-${randomUUID()}`
          const record = newRecord(owner)

          const calls: Record<string, () => Promise<unknown>> = {
            getConnection: () => repository.getConnection(record.id),
            upsertConnection: () =>
              repository.upsertConnection(
                owner,
                () => false,
                () => record,
              ),
            updateConnection: () => repository.updateConnection(record.id, (c) => c),
            listConnections: () => repository.listConnections(owner),
            putFlow: () => repository.putFlow('state', newFlow(owner), 60_000),
            takeFlow: () => repository.takeFlow('state'),
            'audit.append': () => audit.append(owner, auditEntry(record.id, 1)),
            'audit.page': () => audit.page(owner, { limit: 10 }),
            'customProviders.put': () => providers.put(owner, customProvider('acme', 's'), new Date()),
            'customProviders.list': () => providers.list(owner),
            'session.get': () => callback((done) => sessions.get('sid', done)),
            'session.set': () =>
              callback((done) => sessions.set('sid', sessionData(new Date(Date.now() + 60_000)), done)),
            'session.destroy': () => callback((done) => sessions.destroy('sid', done)),
          }

          const timed = async ([name, call]: [string, () => Promise<unknown>]) => {
            const started = performance.now()
            const outcome = await settle(call())
            return { name, outcome, elapsed: performance.now() - started }
          }
          // One call on its own (a lone request during the outage), then all the others at once.
          const [first, ...rest] = Object.entries(calls) as Array<[string, () => Promise<unknown>]>
          const results = [await timed(first as [string, () => Promise<unknown>])]
          results.push(...(await Promise.all(rest.map(timed))))
          for (const { name, outcome, elapsed } of results) {
            expect(outcome.error, name).toBeInstanceOf(ConnectionsError)
            expect((outcome.error as ConnectionsError).code, name).toBe('store_unavailable')
            expect(elapsed, name).toBeLessThan(budgetMs)
          }

          if (down.restore) {
            await down.restore()
            // The client is back once its reconnect backoff has run (a few hundred ms).
            await vi.waitFor(() => repository.getConnection(record.id), { timeout: 3_000, interval: 100 })
            expect(
              await repository.upsertConnection(
                owner,
                () => false,
                () => record,
              ),
            ).toEqual({
              record,
              created: true,
            })
            expect(await repository.listConnections(owner)).toEqual([record])
          }
        } finally {
          await down.close()
        }
      }, 60_000)
    })
  }
})
