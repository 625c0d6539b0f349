/**
 * #3 in one process: `router.connections.list(owner)` for an owner with 10 connections, in a store of
 * 10 owners and in a store of `owners` owners (10 connections each), on SQLite or Redis, alternating
 * rounds between the two stores. The measured owner's connections are made through the router's
 * `POST /connections`; the other owners are seeded directly: records built with the package's own
 * key layout and sealing (src/, for seeding only), serialized by the store's Keyv and bulk-written
 * under the keys Keyv uses (checked byte for byte against a `keyv.set`).
 */
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import express from 'express'
import type Keyv from 'keyv'
import { SecretBox } from '../../src/core/sealed.js'
import { Keyring } from '../../src/crypto/keyring.js'
import { keys } from '../../src/storage/keys.js'
import { progress, readConfig, runMain } from '../lib/child.js'
import { alternate, quantile } from '../lib/harness.js'
import { connectApiKey } from '../lib/oauth-flow.js'
import { loadPackage, type Package } from '../lib/package.js'
import { checkBulkMatchesKeyv, type OpenStore, openStore, serializeForKeyv } from '../lib/stores.js'
import { identify, listen } from '../servers/common.js'

export interface ListConfig {
  backend: 'sqlite' | 'redis'
  /** Owners in the big store (the small one has 10). */
  owners: number
  rounds: number
  callsPerRound: number
  runDir: string
  runId: string
  encryptionKey: string
  redisUrl: string
  /** Redis logical databases for the small and the big store, so each is a keyspace of its own. */
  redisDbs: [number, number]
}

export interface ListRound {
  p50: number
  p99: number
}

export interface ListResult {
  small: ListRound[]
  big: ListRound[]
  keys: { small: number; big: number }
  seedSeconds: number
}

const PER_OWNER = 10
const OWNER = 'list-owner'
const PROVIDER = 'bench'
const config = readConfig<ListConfig>()
const box = new SecretBox(new Keyring([config.encryptionKey]))

function redisUrl(db: number): string {
  const url = new URL(config.redisUrl)
  url.pathname = `/${db}`
  return url.toString()
}

function routerOn(pkg: Package, keyv: Keyv) {
  return pkg.createConnectionsRouter({
    store: keyv,
    encryptionKey: config.encryptionKey,
    providers: [
      pkg.providers.apiKey({
        id: PROVIDER,
        name: 'Bench API',
        validate: async (k) => ({ accountId: k.slice(-12) }),
      }),
    ],
  })
}

/** One owner's records and index, as `connectWithCredentials` builds them (same fields, same order). */
function ownerEntries(owner: string): Array<[string, unknown]> {
  const now = new Date().toISOString()
  const entries: Array<[string, unknown]> = []
  const ids: string[] = []
  for (let i = 0; i < PER_OWNER; i++) {
    const id = randomUUID()
    const apiKey = `bench_key_${id.replaceAll('-', '')}`
    ids.push(id)
    entries.push([
      keys.connection(id),
      box.withSecrets(
        {
          version: 1,
          id,
          owner,
          provider: PROVIDER,
          label: 'Bench API',
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
          apiBaseUrl: null,
        },
        { accessToken: apiKey, tokenType: 'Bearer', refreshToken: null, idToken: null },
      ),
    ])
  }
  entries.push([keys.ownerIndex(owner), ids])
  return entries
}

/**
 * Seeds `count` owners through the backend's bulk path (SQLite transactions of multi-row INSERTs,
 * Redis MSET), with each value serialized by the store's own Keyv: the bytes `keyv.set` would write,
 * which {@link checkBulkMatchesKeyv} verifies first.
 */
async function seed(store: OpenStore, label: string, prefix: string, count: number): Promise<string> {
  const bulk = store.bulk
  if (!bulk) throw new Error('no bulk writer for this store')
  const [probeKey, probeValue] = ownerEntries(`${prefix}-probe`)[0] ?? []
  await checkBulkMatchesKeyv(store, String(probeKey), probeValue)
  const batch = 1000
  const started = performance.now()
  let lastReport = started
  for (let first = 0; first < count; first += batch) {
    const owners = Array.from({ length: Math.min(batch, count - first) }, (_, i) => `${prefix}-${first + i}`)
    const entries = await Promise.all(
      owners
        .flatMap(ownerEntries)
        .map(
          async ([key, value]): Promise<[string, string]> => [
            bulk.rawKey(key),
            await serializeForKeyv(store.keyv, value),
          ],
        ),
    )
    await bulk.write(entries)
    const done = first + owners.length
    if (performance.now() - lastReport > 5000 || done === count) {
      lastReport = performance.now()
      const seconds = (lastReport - started) / 1000
      progress(
        `#3 ${config.backend} ${label}: ${done.toLocaleString('en-US')}/${count.toLocaleString('en-US')} owners seeded ` +
          `(${(done * (PER_OWNER + 1)).toLocaleString('en-US')} keys), ${seconds.toFixed(0)} s`,
      )
    }
  }
  return `${prefix}-0`
}

async function listRound(router: ReturnType<typeof routerOn>, calls: number): Promise<ListRound> {
  const latencies: number[] = []
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now()
    const listed = await router.connections.list(OWNER)
    latencies.push(performance.now() - t0)
    if (listed.length !== PER_OWNER) throw new Error(`listed ${listed.length} connections, not ${PER_OWNER}`)
  }
  latencies.sort((a, b) => a - b)
  return { p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) }
}

runMain(async (): Promise<ListResult> => {
  const pkg = await loadPackage()
  const spec = (size: 'small' | 'big', db: number) =>
    config.backend === 'sqlite'
      ? {
          kind: 'sqlite' as const,
          namespace: `bench-${config.runId}-list`,
          file: join(config.runDir, `list-${size}.sqlite`),
        }
      : { kind: 'redis' as const, namespace: `bench-${config.runId}-list-${size}`, url: redisUrl(db) }
  const [smallDb, bigDb] = config.redisDbs
  const small = await openStore(spec('small', smallDb))
  const big = await openStore(spec('big', bigDb))
  try {
    const routers = { small: routerOn(pkg, small.keyv), big: routerOn(pkg, big.keyv) }
    for (const [size, router] of Object.entries(routers)) {
      const app = express()
      app.use(identify)
      app.use('/integrations', router)
      const server = await listen(app)
      for (let i = 0; i < PER_OWNER; i++) {
        await connectApiKey(
          `http://127.0.0.1:${server.port}/integrations`,
          OWNER,
          `bench_key_${size}_${i}_${randomUUID()}`,
        )
      }
      await server.close()
    }
    const seedStart = performance.now()
    const smallSample = await seed(small, 'small store', 'filler', 9)
    const bigSample = await seed(big, 'big store', 'filler', config.owners - 1)
    const seedSeconds = (performance.now() - seedStart) / 1000
    // The seeded records are what the router reads: list them and vend a token from each store.
    for (const [router, owner] of [
      [routers.small, smallSample],
      [routers.big, bigSample],
    ] as const) {
      const listed = await router.connections.list(owner)
      const token = await router.connections.getAccessToken(owner, listed[0]?.id ?? '')
      if (listed.length !== PER_OWNER || !token.accessToken.startsWith('bench_key_')) {
        throw new Error('the seeded records do not read back through the router')
      }
    }
    const counted = { small: (await small.bulk?.count()) ?? 0, big: (await big.bulk?.count()) ?? 0 }
    progress(
      `#3 ${config.backend}: small store ${counted.small} keys, big store ${counted.big} keys; measuring`,
    )
    await listRound(routers.small, config.callsPerRound)
    await listRound(routers.big, config.callsPerRound)
    const rounds = await alternate(
      config.rounds,
      () => listRound(routers.small, config.callsPerRound),
      () => listRound(routers.big, config.callsPerRound),
      (round, s, b) =>
        progress(
          `#3 ${config.backend} round ${round + 1}/${config.rounds}: p50 small ${s.p50.toFixed(3)} ms, big ${b.p50.toFixed(3)} ms`,
        ),
    )
    return { small: rounds.baseline, big: rounds.subject, keys: counted, seedSeconds }
  } finally {
    progress(`#3 ${config.backend}: deleting the stores`)
    await small.close()
    await big.close()
  }
})
