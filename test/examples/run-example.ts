/**
 * Starts an example as its README command does — `node` for JavaScript, `node --import tsx` for
 * TypeScript — in a temporary working directory (so whatever it writes under `.data/` lands there),
 * waits until it prints that it listens, and stops it, with every process it started, afterwards.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const root = join(import.meta.dirname, '..', '..')
/** tsx's loader by absolute URL: `--import tsx` would resolve it from the (temporary) cwd. */
export const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href

export interface RunningExample {
  child: ChildProcess
  /** Everything it printed so far, stdout and stderr interleaved. */
  output(): string
  /** The match of `ready` in the output: group 1 is the URL where the example printed one. */
  ready: RegExpExecArray
  /** Resolves with the exit code (null when a signal ended it). */
  exited: Promise<number | null>
  stop(): Promise<void>
}

export interface RunOptions {
  /** Printed once the example listens. */
  ready: RegExp
  cwd: string
  env?: Record<string, string>
  /** Node flags before the file (default: tsx's loader for .ts files). */
  nodeArgs?: string[]
  /** Arguments after the file. */
  args?: string[]
}

/** The stop function of every example still running, with its process. */
const running = new Map<() => Promise<void>, ChildProcess>()
const dirs: string[] = []

// A worker that dies without its afterAll still takes the examples down with it.
process.on('exit', () => {
  for (const child of running.values()) signalGroup(child, 'SIGKILL')
})

export async function runExample(file: string, options: RunOptions): Promise<RunningExample> {
  const nodeArgs = options.nodeArgs ?? (file.endsWith('.ts') ? ['--import', tsx] : [])
  // Its own process group, so that stopping it reaches the processes it started too.
  const child = spawn(process.execPath, [...nodeArgs, join(root, file), ...(options.args ?? [])], {
    cwd: options.cwd,
    env: { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tsconfig.json'), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  let output = ''
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      signalGroup(child, 'SIGTERM')
      const force = setTimeout(() => signalGroup(child, 'SIGKILL'), 3_000)
      await exited
      clearTimeout(force)
    }
    signalGroup(child, 'SIGKILL') // anything it left behind in its group
    running.delete(stop)
  }
  running.set(stop, child)
  const ready = await new Promise<RegExpExecArray>((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer)
      reject(new Error(`${file} ${why}. It printed:\n${output}`))
    }
    const timer = setTimeout(() => fail('did not print that it listens within 15 s'), 15_000)
    const read = (chunk: Buffer) => {
      output += chunk.toString()
      const match = options.ready.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(match)
      }
    }
    child.stdout?.on('data', read)
    child.stderr?.on('data', read)
    child.once('exit', (code) => fail(`exited (code ${code}) before it listened`))
  }).catch(async (error: unknown) => {
    await stop()
    throw error
  })
  return { child, output: () => output, ready, exited, stop }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return
  try {
    process.kill(-child.pid, signal)
  } catch {
    // the group is gone already
  }
}

/** A fresh temporary directory, removed by `cleanUp`. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'express-connections-example-'))
  dirs.push(dir)
  return dir
}

/** Stops every example still running and removes the temporary directories. */
export async function cleanUp(): Promise<void> {
  await Promise.all([...running.keys()].map((stop) => stop()))
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
}

/** A port free right now: for the examples that cannot listen on 0 and say where. */

export { freePort } from '../support/redis-server.js'

export interface JsonResponse<T = unknown> {
  status: number
  headers: Headers
  body: T
}

/** A request, its answer's body parsed when it is JSON. Redirects are not followed. */
export async function request<T = unknown>(url: string, init: RequestInit = {}): Promise<JsonResponse<T>> {
  const response = await fetch(url, { redirect: 'manual', ...init })
  const text = await response.text()
  const isJson = response.headers.get('content-type')?.includes('json')
  return { status: response.status, headers: response.headers, body: (isJson ? JSON.parse(text) : text) as T }
}

export function postJson<T = unknown>(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<JsonResponse<T>> {
  return request<T>(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
}

/** A 32-byte key, as CONNECTIONS_KEY takes it. */
export function newKey(): string {
  return randomBytes(32).toString('base64')
}
