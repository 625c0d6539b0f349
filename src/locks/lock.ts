/**
 * Mutual exclusion by key. Index updates and (later) refreshes run under it. The in-process lock is
 * enough for one process; several instances behind a load balancer need a shared one (Redis,
 * Postgres), which implements this same interface.
 *
 * @example
 * await lock.withLock('owner:ana', () => updateIndex())
 */
export interface Lock {
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>
}

/** Serialises callers per key inside this process: each waits for the previous holder to settle. */
export class InProcessLock implements Lock {
  private readonly tails = new Map<string, Promise<unknown>>()

  async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve()
    const run = previous.then(fn, fn)
    const tail = run.catch(() => undefined)
    this.tails.set(key, tail)
    try {
      return await run
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key)
    }
  }
}
