import { type ChildProcess, spawn } from 'node:child_process'
import net from 'node:net'
import { answers, findOnPath, freePort } from './redis-server.js'

/**
 * A memcached of a test's own on a free port (nothing is shared, and `stop()` kills it): the one
 * @keyv/memcache backend of the storage suites. CI installs it (apt-get install memcached).
 */
export async function startMemcached(): Promise<MemcachedServer> {
  const binary = findOnPath('memcached', 'memcached (apt-get install memcached)')
  const port = await freePort()
  // -u root: memcached refuses to run as root without it (CI runs as root); -U 0: no UDP.
  // no_lru_maintainer: items stay in the LRU they were written to, so a metadump taken while the
  // machine is loaded cannot miss (or count twice) an item the maintainer moves mid-walk.
  const args = [
    '-l',
    '127.0.0.1',
    '-p',
    String(port),
    '-U',
    '0',
    '-m',
    '32',
    '-u',
    'root',
    '-o',
    'no_lru_maintainer',
  ]
  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] })
  let output = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  const deadline = Date.now() + 10_000
  while (Date.now() < deadline && child.exitCode === null) {
    if (await answers(port, 'version', 'VERSION')) return new MemcachedServer(child, port)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  child.kill('SIGKILL')
  throw new Error(`memcached did not start on port ${port}:\n${output.slice(-2000)}`)
}

export class MemcachedServer {
  constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  get address(): string {
    return `127.0.0.1:${this.port}`
  }

  /** Every key memcached holds (`lru_crawler metadump all`), for the raw dumps of the suites. */
  async keys(): Promise<string[]> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const text = await this.metadump()
      // The crawler runs one job at a time; a busy one answers BUSY and is asked again.
      if (text.startsWith('BUSY')) {
        await new Promise((resolve) => setTimeout(resolve, 20))
        continue
      }
      const keys = [...text.matchAll(/^key=(\S+)/gm)].map((match) => decodeURIComponent(match[1] as string))
      return [...new Set(keys)]
    }
    throw new Error(`memcached on port ${this.port}: the LRU crawler stayed busy`)
  }

  private metadump(): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(this.port, '127.0.0.1')
      let text = ''
      socket.on('error', reject)
      socket.on('connect', () => socket.write('lru_crawler metadump all\r\n'))
      socket.on('data', (data) => {
        text += data.toString()
        if (!text.endsWith('END\r\n') && !/^(BUSY|ERROR)[^\n]*\n$/.test(text)) return
        socket.destroy()
        if (text.startsWith('ERROR')) reject(new Error(`memcached metadump: ${text.trim()}`))
        else resolve(text)
      })
    })
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return
    const exited = new Promise((resolve) => this.child.once('exit', resolve))
    this.child.kill('SIGKILL')
    await exited
  }
}
