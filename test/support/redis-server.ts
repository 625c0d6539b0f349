import { type ChildProcess, spawn } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'

/**
 * A redis-server of a test's own, on a free port and in a temporary directory, so that nothing it
 * writes is left in the shared Redis and a test may kill it. `persist` fsyncs every write to an
 * append-only file, so that what was written survives a SIGKILL and a start on the same directory.
 */
export async function startRedisServer(options: { persist?: boolean } = {}): Promise<RedisServer> {
  const binary = findOnPath('redis-server', 'Redis server (apt-get install redis-server)')
  const dir = await mkdtemp(join(tmpdir(), 'express-connections-redis-'))
  const server = new RedisServer(binary, await freePort(), dir, options.persist ?? false)
  await server.start()
  return server
}

export function findOnPath(name: string, what: string): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue
    const candidate = join(dir, name)
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // not in this directory
    }
  }
  throw new Error(`${name} is not on PATH: this test starts and kills its own ${what}.`)
}

export async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** One PING over a raw socket: true once the server answers PONG (not LOADING, not refused). */
function pong(port: number): Promise<boolean> {
  return answers(port, 'PING', '+PONG')
}

/** Sends one command over a raw socket: true once the server's reply starts with `expected`. */
export function answers(port: number, command: string, expected: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(500, () => done(false))
    socket.on('error', () => done(false))
    socket.on('connect', () => socket.write(`${command}\r\n`))
    socket.on('data', (data) => done(data.toString().startsWith(expected)))
  })
}

export class RedisServer {
  private child: ChildProcess | undefined
  private output = ''

  constructor(
    private readonly binary: string,
    readonly port: number,
    private readonly dir: string,
    private readonly persist: boolean,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`
  }

  async start(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--dir', this.dir]
    args.push(...(this.persist ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']))
    const child = spawn(this.binary, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    this.child = child
    child.stdout?.on('data', (chunk: Buffer) => {
      this.output += chunk.toString()
    })
    child.stderr?.on('data', (chunk: Buffer) => {
      this.output += chunk.toString()
    })
    const deadline = Date.now() + 10_000
    while (Date.now() < deadline) {
      if (child.exitCode !== null) break
      if (await pong(this.port)) return
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    throw new Error(`redis-server did not start on port ${this.port}:\n${this.output.slice(-2000)}`)
  }

  /** SIGKILL: no shutdown, no final save; only what was fsynced to the append-only file survives. */
  async kill(): Promise<void> {
    const child = this.child
    this.child = undefined
    if (!child || child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGKILL')
    await exited
  }

  /** Kills the server and removes its directory. */
  async stop(): Promise<void> {
    await this.kill()
    await rm(this.dir, { recursive: true, force: true })
  }
}

/** Calls `seen` each time a script is sent with `client.eval` (rate-limiter-flexible's counts), then sends it. */
export function watchEvals<C extends { eval: (...args: never[]) => unknown }>(
  client: C,
  seen: () => void,
): C {
  const send = client.eval.bind(client) as (...args: unknown[]) => unknown
  return Object.assign(client, {
    eval: (...args: unknown[]) => {
      seen()
      return send(...args)
    },
  })
}
