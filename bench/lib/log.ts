const started = Date.now()

/** A progress line, prefixed with the time since the run started. */
export function log(message: string): void {
  const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(6)
  process.stdout.write(`${seconds}s ${message}\n`)
}
