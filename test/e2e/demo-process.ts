import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export interface DemoProcess {
  /** The URL the demo printed for people to open. */
  url: string
  /** Everything the demo printed so far, stdout and stderr. */
  output(): string
  stop(): Promise<void>
}

const root = fileURLToPath(new URL('../..', import.meta.url))

/** The environment minus anything that would change what the demo shows: real providers, a key. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/_CLIENT_(ID|SECRET)$|^CONNECTIONS_KEY$/.test(name)),
  )
  return { ...env, ...extra }
}

/**
 * `npm run demo` as a child process (`node --import tsx examples/demo/server.ts`), on free ports
 * (PORT=0, OAUTH_PORT=0) and with its data in `dataDir`. Resolves once it prints its URL.
 */
export function startDemoProcess(dataDir: string, timeoutMs = 30_000): Promise<DemoProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/demo/server.ts'], {
    cwd: root,
    env: cleanEnv({ PORT: '0', OAUTH_PORT: '0', DATA_DIR: dataDir }),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearInterval(poll)
      clearTimeout(timer)
      child.kill('SIGKILL')
      reject(new Error(`The demo ${why}. It printed:\n${output}`))
    }
    const timer = setTimeout(() => fail(`did not print its URL within ${timeoutMs} ms`), timeoutMs)
    child.once('exit', (code) => fail(`exited with code ${code} before printing its URL`))
    const poll = setInterval(() => {
      const url = /Open (http:\/\/localhost:\d+)/.exec(output)?.[1]
      if (!url) return
      clearInterval(poll)
      clearTimeout(timer)
      child.removeAllListeners('exit')
      resolve({ url, output: () => output, stop: () => stop(child) })
    }, 50)
  })
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000)
    child.once('exit', () => {
      clearTimeout(kill)
      resolve()
    })
    child.kill('SIGTERM')
  })
}
