import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import KeyvPostgres from '@keyv/postgres'
import KeyvRedis from '@keyv/redis'
import Keyv from 'keyv'
import { afterAll, beforeAll } from 'vitest'
import { DATABASE_URL, REDIS_URL, redisOptions } from './backends.js'
import type { InstanceConfig } from './instance.js'
import { clientSettings } from './oauth-server.js'
import type { OAuthSuite } from './suite.js'

export interface Cluster {
  /** The load balancer's URL: what browsers and clients talk to. */
  url: string
  /** `url` plus the mount path, as TestApp has it. */
  mount: string
  /** Requests each instance answered, in start order. */
  served: number[]
  /** What the instances wrote on stderr (their logger). */
  logs: string[]
  stop(): Promise<void>
}

const entry = fileURLToPath(new URL('./instance.ts', import.meta.url))

/**
 * `count` app instances as child processes behind a round-robin load balancer: every request goes to
 * the next instance in turn, so a flow started on one is finished on another. `script` is another
 * instance to run (it reads INSTANCE_CONFIG and prints `{"port": …}` the same way).
 */
export async function startCluster(
  count: number,
  config: Omit<InstanceConfig, 'baseUrl'> | Record<string, unknown>,
  script = entry,
): Promise<Cluster> {
  const balancer = await startBalancer()
  const children: ChildProcess[] = []
  const logs: string[] = []
  try {
    for (let i = 0; i < count; i++) {
      const child = spawn(process.execPath, ['--import', 'tsx', script], {
        env: { ...process.env, INSTANCE_CONFIG: JSON.stringify({ ...config, baseUrl: balancer.url }) },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      children.push(child)
      child.stderr?.on('data', (chunk: Buffer) => logs.push(`[${i}] ${chunk.toString()}`))
      balancer.targets.push(await portOf(child, logs))
    }
  } catch (error) {
    await stopAll(children)
    await balancer.close()
    throw error
  }
  return {
    url: balancer.url,
    mount: `${balancer.url}/integrations`,
    served: balancer.served,
    logs,
    async stop() {
      await balancer.close()
      await stopAll(children)
    },
  }
}

function portOf(child: ChildProcess, logs: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => fail(new Error('an instance did not start within 20 s')), 20_000)
    const fail = (error: Error) => {
      clearTimeout(timer)
      reject(new Error(`${error.message}\n${logs.join('')}`))
    }
    child.once('exit', (code) => fail(new Error(`an instance exited with code ${code} before listening`)))
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const line = out.split('\n').find((l) => l.startsWith('{'))
      if (!line) return
      clearTimeout(timer)
      child.removeAllListeners('exit')
      resolve((JSON.parse(line) as { port: number }).port)
    })
  })
}

async function stopAll(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve()
          const force = setTimeout(() => child.kill('SIGKILL'), 5_000)
          child.once('exit', () => {
            clearTimeout(force)
            resolve()
          })
          child.kill('SIGTERM')
        }),
    ),
  )
}

async function startBalancer() {
  const targets: number[] = []
  const served: number[] = []
  // Idle sockets are dropped before the instances' keep-alive timeout (5 s) closes them under a reuse.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256, timeout: 4_000 })
  let next = 0
  const forward = (req: http.IncomingMessage, res: http.ServerResponse, retries: number) => {
    const index = next++ % targets.length
    served[index] = (served[index] ?? 0) + 1
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port: targets[index],
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      },
    )
    upstream.on('error', () => {
      if (res.headersSent) return res.end()
      // A reused keep-alive socket can be reset under load before the request reached the instance:
      // like a real balancer, send a request without a body once more (to the next instance).
      if (retries > 0 && (req.method === 'GET' || req.method === 'HEAD'))
        return forward(req, res, retries - 1)
      res.writeHead(502)
      res.end()
    })
    if (req.method === 'GET' || req.method === 'HEAD') upstream.end()
    else req.pipe(upstream)
  }
  const server = http.createServer((req, res) => forward(req, res, 1))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    targets,
    served,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** The test's own view of a store the instances share, and how to remove what the test left in it. */
export interface SharedStore {
  keyv: Keyv
  close(): Promise<void>
}

/** The shared backends a cluster runs on: Redis (store and RedisLock) and PostgreSQL (store and PostgresLock). */
export const sharedBackends: Array<{
  name: 'redis' | 'postgres'
  url: string
  open(namespace: string): Promise<SharedStore>
}> = [
  {
    name: 'redis',
    url: REDIS_URL,
    async open(namespace) {
      const keyv = new Keyv({
        store: new KeyvRedis(redisOptions.connect(REDIS_URL), redisOptions.adapter),
        namespace,
        throwOnErrors: true,
      })
      return { keyv, close: async () => keyv.clear().finally(() => keyv.disconnect()) }
    },
  },
  {
    name: 'postgres',
    url: DATABASE_URL,
    async open(table) {
      const store = new KeyvPostgres({ uri: DATABASE_URL, table })
      const keyv = new Keyv({ store, namespace: table, throwOnErrors: true })
      // The table exists before the instances start, so they never race to create it.
      await keyv.get('warm-up')
      return {
        keyv,
        async close() {
          try {
            await store.query(`DROP TABLE IF EXISTS public.${table}`)
          } finally {
            await store.disconnect()
          }
        },
      }
    },
  },
]

/** A cluster for one `describe`: started before its tests on `backend`, stopped and cleared after. */
export interface ClusterHandle {
  readonly cluster: Cluster
  /** The test's own view of the store the instances share. */
  readonly shared: SharedStore
}

/**
 * Two instances on `backend` behind the balancer, with the suite's authorization server (its redirect
 * URI set to the cluster's callback) and a fresh namespace, for the tests of the calling `describe`.
 */
export function useCluster(
  backend: (typeof sharedBackends)[number],
  suite: OAuthSuite,
  extra: Partial<Pick<InstanceConfig, 'providerTimeoutMs' | 'sharedRateCounts'>> = {},
): ClusterHandle {
  let cluster: Cluster | undefined
  let shared: SharedStore | undefined
  beforeAll(async () => {
    const namespace = `cluster_${randomBytes(6).toString('hex')}`
    shared = await backend.open(namespace)
    cluster = await startCluster(2, {
      backend: backend.name,
      url: backend.url,
      namespace,
      encryptionKey: randomBytes(32).toString('base64'),
      oauth: clientSettings(suite.oauth),
      ...extra,
    })
    suite.oauth.setRedirectUris([`${cluster.mount}/callback/local`])
  }, 60_000)
  afterAll(async () => {
    await cluster?.stop()
    await shared?.close()
  })
  return {
    get cluster() {
      if (!cluster) throw new Error('The cluster starts in beforeAll: use it inside a test.')
      return cluster
    },
    get shared() {
      if (!shared) throw new Error('The cluster starts in beforeAll: use it inside a test.')
      return shared
    },
  }
}
