import Keyv from 'keyv'
import { describe, expect, it, vi } from 'vitest'
import { ConnectionsError } from '../../src/core/errors.js'
import type { ConnectionRecord } from '../../src/core/model.js'
import { Recorder } from '../../src/core/recorder.js'
import { RefreshBackoff } from '../../src/core/refresh-backoff.js'
import { SecretBox } from '../../src/core/sealed.js'
import { TokenManager } from '../../src/core/tokens.js'
import { Keyring } from '../../src/crypto/keyring.js'
import { InProcessLock } from '../../src/locks/lock.js'
import { consoleLogger } from '../../src/logger.js'
import type { TokenEndpoint } from '../../src/oauth/token-client.js'
import { oauth2 } from '../../src/providers/define.js'
import { AuditLog } from '../../src/storage/audit-log.js'
import { keys } from '../../src/storage/keys.js'
import { Repository } from '../../src/storage/repository.js'
import { SafeStore } from '../../src/storage/safe-store.js'
import { connectionRecord } from '../support/fixtures.js'

const KEY = Buffer.alloc(32, 9).toString('base64url')
const CALLERS = 50

/**
 * A refresh stampede inside one process: the token manager on real parts (repository, sealed secrets,
 * audit log, backoff) over an in-memory Keyv, with a token endpoint that answers after a pause.
 */
async function setup() {
  const keyring = new Keyring([KEY])
  const store = new SafeStore(new Keyv(), 5_000)
  const lock = new InProcessLock()
  const repository = new Repository(store, lock)
  const recorder = new Recorder(
    new AuditLog(store, lock, 60_000, []),
    () => undefined,
    consoleLogger,
    () => new Date(),
  )
  const box = new SecretBox(keyring)
  const provider = oauth2({
    id: 'acme',
    name: 'Acme',
    authorizationUrl: 'https://acme.example/authorize',
    tokenUrl: 'https://acme.example/token',
    clientId: 'client',
    clientSecret: 'secret',
    scopes: ['read'],
  })
  let answer: (() => void) | undefined
  const endpoint: TokenEndpoint = {
    exchange: () => Promise.reject(new Error('not used')),
    revoke: () => Promise.resolve(),
    refresh: vi.fn(async () => {
      await new Promise<void>((resolve) => {
        answer = resolve
      })
      return { access_token: 'at_NEW', refresh_token: 'rt_NEW', token_type: 'Bearer', expires_in: 3600 }
    }),
  }
  const tokens = new TokenManager({
    repository,
    box,
    endpoint,
    recorder,
    provider: () => provider,
    toPublic: (record) => record as never,
    refreshSkewMs: 60_000,
    backoff: new RefreshBackoff(store),
    now: () => new Date(),
  })
  // Connected two minutes ago with a token that expires in 30 s: inside the skew, so expiring.
  const at = new Date(Date.now() - 120_000).toISOString()
  const { secrets: _none, ...plain } = connectionRecord({
    provider: 'acme',
    connectedAt: at,
    // Used just now: handing the token out has no use to record (which would take the lock).
    lastUsedAt: new Date().toISOString(),
    expiresAt: new Date(Date.now() + 30_000).toISOString(),
  })
  const record = box.withSecrets(plain, {
    accessToken: 'at_OLD',
    refreshToken: 'rt_OLD',
    tokenType: 'Bearer',
    idToken: null,
  })
  await store.set(keys.connection(record.id), record, 0)
  const reads = vi.spyOn(repository, 'getConnection')
  const untilAtProvider = async () => {
    await vi.waitFor(() => expect(answer).toBeDefined())
  }
  return {
    store,
    lock,
    repository,
    tokens,
    endpoint,
    record,
    reads,
    untilAtProvider,
    answer: () => answer?.(),
  }
}

describe('a refresh stampede in one process', () => {
  it(`refreshes once for ${CALLERS} callers, and reads the record once after the refresh for all of them`, async () => {
    const { tokens, endpoint, record, reads, untilAtProvider, answer } = await setup()
    const vended = Promise.all(Array.from({ length: CALLERS }, () => tokens.accessToken(record, 'server')))
    await untilAtProvider()
    const readsBefore = reads.mock.calls.length
    answer()
    const results = await vended
    expect(endpoint.refresh).toHaveBeenCalledTimes(1)
    expect(new Set(results.map((r) => r.token.accessToken))).toEqual(new Set(['at_NEW']))
    // One read for all the callers after the refresh settled, not one each.
    expect(reads.mock.calls.length - readsBefore).toBe(1)
  })

  it('hands out no token once a revoke that finished after the refresh has been read', async () => {
    const { store, repository, tokens, endpoint, record, untilAtProvider, answer } = await setup()
    // The revoke takes the connection's lock as soon as the refresh lets go of it, and completes
    // before the callers read the record again.
    const update = repository.updateConnection.bind(repository)
    vi.spyOn(repository, 'updateConnection').mockImplementationOnce(async (...args) => {
      const written = await update(...args)
      const revoked: ConnectionRecord = { ...written, status: 'revoked', secrets: null }
      await store.set(keys.connection(record.id), revoked, 0)
      return written
    })
    const vended = Promise.allSettled(
      Array.from({ length: CALLERS }, () => tokens.accessToken(record, 'server')),
    )
    await untilAtProvider()
    answer()
    const results = await vended
    expect(endpoint.refresh).toHaveBeenCalledTimes(1)
    for (const result of results) {
      expect(result.status).toBe('rejected')
      const reason = (result as PromiseRejectedResult).reason as unknown
      expect(reason).toBeInstanceOf(ConnectionsError)
      expect((reason as ConnectionsError).code).toBe('conflict')
    }
  })
})

describe('a refresh while the token endpoint backs off', () => {
  it("answers at once, without waiting for the connection's lock or calling the provider", async () => {
    const { store, lock, tokens, endpoint, record } = await setup()
    await new RefreshBackoff(store).failed(
      record.id,
      'https://acme.example/token',
      new ConnectionsError('provider_error', 'Acme is down.'),
    )
    let release: (() => void) | undefined
    const held = new Promise<void>((resolve) => {
      release = resolve
    })
    const holding = lock.withLock(keys.connectionLock(record.id), () => held)
    try {
      // The lock is held throughout: the answer cannot have waited for it.
      const { token } = await tokens.accessToken(record, 'server')
      expect(token.accessToken).toBe('at_OLD')
      expect(token.refreshError?.code).toBe('provider_error')
      expect(endpoint.refresh).not.toHaveBeenCalled()
    } finally {
      release?.()
      await holding
    }
  })
})

describe('the audit entry a hand-out waits for', () => {
  it("is written to the owner's and the connection's streams side by side, each in its own order", async () => {
    const keyv = new Keyv()
    const get = keyv.get.bind(keyv)
    let reading = 0
    let most = 0
    // Reads of a stream's head (the first step of writing to it) that are under way at once.
    Object.assign(keyv, {
      get: async (key: string) => {
        if (!key.endsWith(':head')) return get(key)
        reading += 1
        most = Math.max(most, reading)
        await new Promise((resolve) => setTimeout(resolve, 5))
        reading -= 1
        return get(key)
      },
    })
    const store = new SafeStore(keyv, 5_000)
    const audit = new AuditLog(store, new InProcessLock(), 60_000, [])
    const record = connectionRecord()
    const entry = {
      action: 'token' as const,
      actor: 'server',
      at: new Date().toISOString(),
      outcome: 'success' as const,
    }
    await audit.append(record.owner, { ...entry, connectionId: record.id, provider: 'acme' })
    await audit.append(record.owner, { ...entry, connectionId: record.id, provider: 'acme', actor: 'agent' })
    expect(most).toBe(2)
    const owner = await audit.page(record.owner, { limit: 10 })
    const connection = await audit.page(record.owner, { connectionId: record.id, limit: 10 })
    expect(owner.entries.map((e) => e.actor)).toEqual(['agent', 'server'])
    expect(connection.entries.map((e) => e.id)).toEqual(owner.entries.map((e) => e.id))
  })
})
