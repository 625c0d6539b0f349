import { type ChildProcess, spawn } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import type { Pinning } from './cpus.js'
import { log } from './log.js'

const benchDir = fileURLToPath(new URL('..', import.meta.url))

/** An absolute path inside bench/, for the files started as children. */
export function benchFile(relative: string): string {
  return join(benchDir, relative)
}

/** Settings every child inherits from the run: where the built package is, and profiling. */
export interface ChildEnvironment {
  /** The directory holding the built package's index.js (a snapshot of dist/ taken for this run). */
  packageDir: string
  /** Directory for `--cpu-prof` output; profiling is off when null. */
  cpuProfDir: string | null
  /** The CPUs children run on (lib/cpus.ts); null: wherever the scheduler puts them. */
  pinning: Pinning | null
}

let environment: ChildEnvironment | null = null
let profiles = 0

export function setChildEnvironment(env: ChildEnvironment): void {
  environment = env
}

interface StartOptions {
  /** Extra node flags (e.g. --expose-gc). */
  nodeArgs?: string[]
  /** Profile this child with --cpu-prof when the run asks for profiles. */
  profile?: boolean
}

function nodeArgsFor(name: string, options: StartOptions): string[] {
  const args = [...(options.nodeArgs ?? [])]
  if (options.profile && environment?.cpuProfDir) {
    profiles += 1
    // A directory per child: the tsx loader thread writes a profile too (Node's default names, with the
    // thread id, keep them apart); the runner reads the main thread's.
    const dir = `${String(profiles).padStart(2, '0')}-${name.replace(/[^a-z0-9-]+/gi, '-')}`
    args.push('--cpu-prof', `--cpu-prof-dir=${join(environment.cpuProfDir, dir)}`)
  }
  return [...args, '--import', 'tsx']
}

function spawnChild(name: string, entry: string, config: unknown, options: StartOptions): ChildProcess {
  if (!environment) throw new Error('setChildEnvironment() must be called first')
  const node = [process.execPath, ...nodeArgsFor(name, options), benchFile(entry)]
  const [command, ...args] = environment.pinning
    ? ['taskset', '-c', environment.pinning.servers, ...node]
    : node
  return spawn(command as string, args, {
    env: {
      ...process.env,
      BENCH_CONFIG: JSON.stringify(config),
      BENCH_PACKAGE_DIR: environment.packageDir,
      NODE_ENV: 'development',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}

/**
 * Reads a child's stdout line by line: protocol lines (`BENCH_READY`, `BENCH_RESULT`) go to
 * `onMessage`, anything else is printed as progress; stderr is kept for the error message.
 */
function watch(
  name: string,
  child: ChildProcess,
  onMessage: (kind: 'ready' | 'result', value: unknown) => void,
): { stderr: () => string } {
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-8000)
  })
  if (child.stdout) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /^BENCH_(READY|RESULT) (.*)$/.exec(line)
      if (match) onMessage(match[1] === 'READY' ? 'ready' : 'result', JSON.parse(match[2] ?? 'null'))
      else if (line.trim() !== '') log(`    [${name}] ${line}`)
    })
  }
  return { stderr: () => stderr }
}

export interface ServerHandle {
  name: string
  url: string
  info: Record<string, unknown>
  stop(): Promise<void>
}

/** Starts a server file in its own process and waits for it to listen (it prints its port). */
export function startServer(
  name: string,
  entry: string,
  config: unknown,
  options: StartOptions = {},
): Promise<ServerHandle> {
  const child = spawnChild(name, entry, config, options)
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail('did not listen within 60 s'), 60_000)
    const output = watch(name, child, (kind, value) => {
      if (kind !== 'ready') return
      clearTimeout(timer)
      child.removeListener('exit', onExit)
      const info = value as Record<string, unknown> & { port: number }
      resolve({ name, url: `http://127.0.0.1:${info.port}`, info, stop: () => stopChild(child) })
    })
    const fail = (why: string) => {
      clearTimeout(timer)
      child.kill('SIGKILL')
      reject(new Error(`${name} ${why}\n${output.stderr()}`))
    }
    const onExit = (code: number | null) => fail(`exited with code ${code} before listening`)
    child.once('exit', onExit)
  })
}

/** Runs a worker file to completion and returns what it reported. */
export function runWorker<T>(
  name: string,
  entry: string,
  config: unknown,
  options: StartOptions = {},
): Promise<T> {
  const child = spawnChild(name, entry, config, options)
  return new Promise((resolve, reject) => {
    let value: unknown
    let reported = false
    const output = watch(name, child, (kind, message) => {
      if (kind !== 'result') return
      value = message
      reported = true
    })
    child.once('exit', (code) => {
      if (code === 0 && reported) resolve(value as T)
      else reject(new Error(`${name} exited with code ${code}\n${output.stderr()}`))
    })
  })
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    const force = setTimeout(() => child.kill('SIGKILL'), 15_000)
    child.once('exit', () => {
      clearTimeout(force)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

/** Starts servers side by side; if one fails, stops the others. */
export async function startServers(
  specs: Array<{ name: string; entry: string; config: unknown; options?: StartOptions }>,
): Promise<ServerHandle[]> {
  const started = await Promise.allSettled(
    specs.map((spec) => startServer(spec.name, spec.entry, spec.config, spec.options)),
  )
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected')
  const servers = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
  if (failed) {
    await stopAll(servers)
    throw failed.reason
  }
  return servers
}

/** Stops every server given, even when some fail. */
export async function stopAll(servers: Array<ServerHandle | undefined>): Promise<void> {
  await Promise.allSettled(servers.map((server) => server?.stop()))
}
