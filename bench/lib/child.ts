/**
 * The child side of the protocol between the runner and the processes it starts (servers under load,
 * in-process workers): configuration comes in BENCH_CONFIG (JSON), and the child answers on stdout
 * with one `BENCH_READY {…}` line once it listens and, for workers, one `BENCH_RESULT {…}` line.
 * Anything else it prints is progress, shown by the runner.
 */

export function readConfig<T>(): T {
  const raw = process.env.BENCH_CONFIG
  if (!raw) throw new Error('BENCH_CONFIG is not set: this file is started by bench/run.ts')
  return JSON.parse(raw) as T
}

export function ready(info: Record<string, unknown>): void {
  process.stdout.write(`BENCH_READY ${JSON.stringify(info)}\n`)
}

export function result(value: unknown): void {
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(value)}\n`)
}

export function progress(message: string): void {
  process.stdout.write(`${message}\n`)
}

/**
 * Runs `cleanup` on SIGTERM/SIGINT, then exits normally: a normal exit is what makes `--cpu-prof`
 * write its profile.
 */
export function onStop(cleanup: () => Promise<void>): void {
  let stopping = false
  const stop = () => {
    if (stopping) return
    stopping = true
    cleanup()
      .catch((error: unknown) => process.stderr.write(`cleanup failed: ${String(error)}\n`))
      .finally(() => process.exit(0))
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}

/** Runs a worker's main function and reports its result, or fails the process with the error. */
export function runMain(main: () => Promise<unknown>): void {
  main().then(
    (value) => {
      result(value)
      process.exit(0)
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
      process.exit(1)
    },
  )
}
