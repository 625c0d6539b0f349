import { randomBytes, randomUUID } from 'node:crypto'
import KeyvPostgres from '@keyv/postgres'
import KeyvRedis from '@keyv/redis'
import express from 'express'
import Keyv from 'keyv'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { createConnectionsRouter, providers } from '../../src/index.js'
import { InProcessLock } from '../../src/locks/lock.js'
import { Repository } from '../../src/storage/repository.js'
import { SafeStore } from '../../src/storage/safe-store.js'
import { redisOptions, tcpProxy } from '../support/backends.js'
import { connectionRecord } from '../support/fixtures.js'

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

describe('storage regressions found by the conformance suite', () => {
  it('a @keyv/redis adapter left at its default throwOnErrors still fails loudly, never reads as empty', async () => {
    // No adapter option: @keyv/redis catches its own errors unless told not to, and Keyv's flag
    // does not reach it. Connected first, then the server goes away.
    const proxy = await tcpProxy(REDIS_URL)
    const store = new KeyvRedis(redisOptions.connect(proxy.url))
    store.on('error', () => undefined)
    const keyv = new Keyv({ store, namespace: `reg-${randomUUID()}` })
    const repository = new Repository(new SafeStore(keyv, 3_000), new InProcessLock())
    try {
      expect(await repository.listConnections('ana')).toEqual([])
      await proxy.cut()
      await expect(repository.listConnections('ana')).rejects.toMatchObject({ code: 'store_unavailable' })
    } finally {
      await store.disconnect(true).catch(() => undefined)
      await proxy.cut()
    }
  })

  it('a fractional auditRetentionDays still writes the audit trail on Redis (whole-millisecond TTL)', async () => {
    const store = new KeyvRedis(redisOptions.connect(REDIS_URL), redisOptions.adapter)
    const keyv = new Keyv({ store, namespace: `reg-${randomUUID()}` })
    const app = express()
    app.use((req, _res, next) => {
      Object.assign(req, { user: { id: 'ana' } })
      next()
    })
    const router = createConnectionsRouter({
      store: keyv,
      encryptionKey: randomBytes(32).toString('base64'),
      auditRetentionDays: 0.7,
      providers: [providers.apiKey({ id: 'vendor', validate: async () => ({ accountId: 'acct-1' }) })],
    })
    app.use('/i', router)
    try {
      const created = await request(app)
        .post('/i/connections')
        .send({ provider: 'vendor', credentials: { apiKey: 'k-12345678' } })
      expect(created.status).toBe(201)
      const token = await router.connections.getAccessToken('ana', created.body.data.id)
      expect(token.accessToken).toBe('k-12345678')
      const trail = await router.connections.audit('ana')
      expect(trail.entries.map((e) => e.action)).toEqual(['token', 'created'])
    } finally {
      await keyv.clear()
      await store.disconnect()
    }
  })

  it('long and non-ASCII owner ids fit Postgres keys (owners are hashed in keys)', async () => {
    const table = `reg_${randomBytes(6).toString('hex')}`
    const store = new KeyvPostgres({ uri: DATABASE_URL, table })
    const keyv = new Keyv({ store })
    const repository = new Repository(new SafeStore(keyv, 5_000), new InProcessLock())
    try {
      for (const owner of ['o'.repeat(300), 'ü'.repeat(60)]) {
        const id = randomUUID()
        const record = connectionRecord({ id, owner, label: 'x', accountId: null })
        await repository.upsertConnection(
          owner,
          () => false,
          () => record,
        )
        expect((await repository.listConnections(owner)).map((r) => r.id)).toEqual([id])
      }
    } finally {
      await keyv.clear()
      await store.query(`DROP TABLE IF EXISTS ${table}`)
      await store.disconnect()
    }
  })
})
