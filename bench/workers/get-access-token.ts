/**
 * #2 in one process: `router.connections.getAccessToken(owner, id)` (built package) against the
 * hand-written vend (lib/baseline.ts), one call at a time, in alternating timed rounds, on the memory
 * and SQLite stores. Also counts the store calls one vend makes, in-process and over HTTP.
 */
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import express from 'express'
import Keyv from 'keyv'
import { baselineRecord, recordKey, vend } from '../lib/baseline.js'
import { progress, readConfig, runMain } from '../lib/child.js'
import { countingStore, perCall } from '../lib/counting.js'
import { alternate } from '../lib/harness.js'
import { connectApiKey } from '../lib/oauth-flow.js'
import { loadPackage, type Package } from '../lib/package.js'
import { openStore, type StoreKind } from '../lib/stores.js'
import { identify, listen } from '../servers/common.js'

export interface GetAccessTokenConfig {
  stores: StoreKind[]
  rounds: number
  roundMs: number
  warmupMs: number
  runDir: string
  runId: string
  encryptionKey: string
  sqliteWal: boolean
}

export interface GetAccessTokenResult {
  stores: Array<{ kind: StoreKind; subject: number[]; baseline: number[] }>
  /** Store calls per operation, measured on a memory store. */
  storeCalls: { getAccessToken: string; httpToken: string; baseline: string }
}

const OWNER = 'bench-user'
const config = readConfig<GetAccessTokenConfig>()

function routerOn(pkg: Package, keyv: Keyv) {
  return pkg.createConnectionsRouter({
    store: keyv,
    encryptionKey: config.encryptionKey,
    providers: [
      pkg.providers.apiKey({ id: 'bench', validate: async (key) => ({ accountId: key.slice(-12) }) }),
    ],
    authorize: () => true,
  })
}

/** Mounts a router, connects one API key through `POST /connections`, returns the id and the mount. */
async function withConnection(router: ReturnType<typeof routerOn>) {
  const app = express()
  app.use(identify)
  app.use('/integrations', router)
  const server = await listen(app)
  const mount = `http://127.0.0.1:${server.port}/integrations`
  const id = await connectApiKey(mount, OWNER, `bench_key_${randomBytes(8).toString('hex')}`)
  return { id, mount, close: () => server.close() }
}

/** Operations per second, one call at a time, for `ms`. */
async function rate(op: () => Promise<unknown>, ms: number): Promise<number> {
  let calls = 0
  const start = performance.now()
  const end = start + ms
  while (performance.now() < end) {
    await op()
    calls += 1
  }
  return calls / ((performance.now() - start) / 1000)
}

async function storeCalls(pkg: Package): Promise<GetAccessTokenResult['storeCalls']> {
  const calls = 50
  const counts: Record<string, number> = {}
  const router = routerOn(pkg, countingStore(new Keyv(), counts))
  const { id, mount, close } = await withConnection(router)
  const measure = async (op: () => Promise<unknown>) => {
    for (const key of Object.keys(counts)) delete counts[key]
    for (let i = 0; i < calls; i++) await op()
    return perCall(counts, calls)
  }
  const getAccessToken = await measure(() => router.connections.getAccessToken(OWNER, id))
  const httpToken = await measure(() =>
    fetch(`${mount}/connections/${id}/token`, { headers: { 'x-user': OWNER } }).then((r) => r.arrayBuffer()),
  )
  await close()
  const baselineCounts: Record<string, number> = {}
  const keyv = countingStore(new Keyv(), baselineCounts)
  const aesKey = Buffer.from(config.encryptionKey, 'base64')
  const record = baselineRecord(aesKey, OWNER, 'bench', 'bench_key_000000000001')
  await keyv.set(recordKey(record.id), record)
  delete baselineCounts.set
  for (let i = 0; i < calls; i++) await vend(keyv, aesKey, OWNER, record.id)
  return { getAccessToken, httpToken, baseline: perCall(baselineCounts, calls) }
}

async function onStore(pkg: Package, kind: StoreKind) {
  const spec = (role: string) => ({
    kind,
    namespace: `bench-${config.runId}-gat-${role}`,
    file: join(config.runDir, `gat-${role}.sqlite`),
    wal: config.sqliteWal,
  })
  const subjectStore = await openStore(spec('subject'))
  const baselineStore = await openStore(spec('baseline'))
  try {
    const router = routerOn(pkg, subjectStore.keyv)
    const { id, close } = await withConnection(router)
    const aesKey = Buffer.from(config.encryptionKey, 'base64')
    const record = baselineRecord(aesKey, OWNER, 'bench', 'bench_key_000000000002')
    await baselineStore.keyv.set(recordKey(record.id), record)
    const subject = () => router.connections.getAccessToken(OWNER, id)
    const baseline = () => vend(baselineStore.keyv, aesKey, OWNER, record.id)
    const [s, b] = [await subject(), await baseline()]
    if (!s.accessToken || b?.accessToken !== 'bench_key_000000000002')
      throw new Error('a vend returned no token')
    await rate(baseline, config.warmupMs)
    await rate(subject, config.warmupMs)
    const rounds = await alternate(
      config.rounds,
      () => rate(baseline, config.roundMs),
      () => rate(subject, config.roundMs),
      (round, bOps, sOps) =>
        progress(
          `#2 ${kind} round ${round + 1}/${config.rounds}: baseline ${bOps.toFixed(0)} ops/s, getAccessToken ${sOps.toFixed(0)} ops/s`,
        ),
    )
    await close()
    return { kind, ...rounds }
  } finally {
    await subjectStore.close()
    await baselineStore.close()
  }
}

runMain(async (): Promise<GetAccessTokenResult> => {
  const pkg = await loadPackage()
  const stores = []
  for (const kind of config.stores) stores.push(await onStore(pkg, kind))
  return { stores, storeCalls: await storeCalls(pkg) }
})
