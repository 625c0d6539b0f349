import { createHash } from 'node:crypto'
import { ConnectionsError } from '../core/errors.js'
import type { Lock } from './lock.js'

/** A client checked out of a pool, as `pg` gives it. */
export interface PostgresLockConnection {
  query(sql: string, params: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>
  release(destroy?: boolean): void
  on?(event: 'error', listener: (error: Error) => void): unknown
  removeListener?(event: 'error', listener: (error: Error) => void): unknown
}

/** A `pg` Pool, or anything with its connect(). */
export interface PostgresLockPool {
  connect(): Promise<PostgresLockConnection>
}

export interface PostgresLockOptions {
  pool: PostgresLockPool
  /** How long to wait for a busy lock before failing with 503. Default 30 s. */
  waitMs?: number
}

/**
 * A lock for several instances on one PostgreSQL: a session-level advisory lock held on a connection
 * of its own for as long as the holder works. A holder that crashes frees it when its connection
 * closes, so no lease is needed.
 *
 * @example
 * createConnectionsRouter({ …, lock: new PostgresLock({ pool: new pg.Pool({ connectionString }) }) })
 */
export class PostgresLock implements Lock {
  private readonly waitMs: number

  constructor(private readonly options: PostgresLockOptions) {
    this.waitMs = options.waitMs ?? 30_000
  }

  async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const [high, low] = lockId(key)
    let connection: PostgresLockConnection
    try {
      connection = await this.options.pool.connect()
    } catch (cause) {
      throw unavailable(cause)
    }
    // A connection that dies while the lock is held (the server restarting) must not crash the
    // process with an unhandled 'error': the unlock below then fails and the connection is dropped.
    const ignore = () => undefined
    connection.on?.('error', ignore)
    let held = false
    try {
      await this.acquire(connection, high, low)
      held = true
      return await fn()
    } finally {
      const unlocked = held
        ? await connection.query('select pg_advisory_unlock($1, $2)', [high, low]).then(
            () => true,
            () => false,
          )
        : true
      // Pooled connections are reused: the listener goes with this use. A connection that could not
      // unlock is dropped, which unlocks too.
      connection.removeListener?.('error', ignore)
      connection.release(!unlocked)
    }
  }

  private async acquire(connection: PostgresLockConnection, high: number, low: number): Promise<void> {
    const deadline = Date.now() + this.waitMs
    let pause = 5
    for (;;) {
      let rows: Array<Record<string, unknown>>
      try {
        ;({ rows } = await connection.query('select pg_try_advisory_lock($1, $2) as taken', [high, low]))
      } catch (cause) {
        throw unavailable(cause)
      }
      if (rows[0]?.taken === true) return
      if (Date.now() > deadline) {
        throw new ConnectionsError('store_unavailable', 'A lock stayed busy too long; nothing was changed.')
      }
      await new Promise((resolve) => setTimeout(resolve, pause + Math.random() * pause))
      pause = Math.min(pause * 2, 100)
    }
  }
}

/** Advisory locks are keyed by two int4: the first eight bytes of the key's SHA-256. */
function lockId(key: string): [number, number] {
  const hash = createHash('sha256').update(key).digest()
  return [hash.readInt32BE(0), hash.readInt32BE(4)]
}

function unavailable(cause: unknown): ConnectionsError {
  return new ConnectionsError('store_unavailable', 'The lock store is unavailable; nothing was changed.', {
    cause,
  })
}
