import { createHash } from 'node:crypto'
import { ConnectionsError } from '../core/errors.js'
import { InProcessLock, type Lock } from './lock.js'

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
 * A lock for several instances on one PostgreSQL: session-level advisory locks. Within the process an
 * in-process lock lets one holder per key at a time ask PostgreSQL, and every advisory lock this
 * instance holds lives on one connection of its own, checked out of the pool while any lock is held
 * or wanted and given back when none is. So nested locks and many waiters never exhaust the pool, and
 * a holder that crashes frees its locks when its connection closes: no lease is needed.
 *
 * @example
 * createConnectionsRouter({ …, lock: new PostgresLock({ pool: new pg.Pool({ connectionString }) }) })
 */
export class PostgresLock implements Lock {
  private readonly waitMs: number
  private readonly local = new InProcessLock()
  private current: Session | undefined

  constructor(private readonly options: PostgresLockOptions) {
    this.waitMs = options.waitMs ?? 30_000
  }

  withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.local.withLock(key, async () => {
      const [high, low] = lockId(key)
      const session = this.enter()
      let held = false
      try {
        const connection = await session.connection
        await this.acquire(session, connection, high, low)
        held = true
        return await fn()
      } finally {
        if (held) {
          const connection = await session.connection
          await connection.query('select pg_advisory_unlock($1, $2)', [high, low]).catch(() => {
            // A connection that cannot unlock is dropped, which unlocks everything it held.
            session.broken = true
          })
        }
        this.leave(session)
      }
    })
  }

  private enter(): Session {
    if (!this.current || this.current.broken) this.current = this.open()
    this.current.users += 1
    return this.current
  }

  private open(): Session {
    const session: Session = {
      users: 0,
      broken: false,
      // A connection that dies (the server restarting) must not crash the process with an unhandled
      // 'error': its holders' unlocks then fail and it is dropped.
      onError: () => {
        session.broken = true
      },
      connection: this.options.pool.connect().then(
        (connection) => {
          connection.on?.('error', session.onError)
          return connection
        },
        (cause: unknown) => {
          session.broken = true
          throw unavailable(cause)
        },
      ),
    }
    session.connection.catch(() => undefined)
    return session
  }

  /** The last user of a session gives its connection back to the pool (dropped when broken). */
  private leave(session: Session): void {
    session.users -= 1
    if (session.users > 0) return
    if (this.current === session) this.current = undefined
    session.connection.then(
      (connection) => {
        connection.removeListener?.('error', session.onError)
        connection.release(session.broken)
      },
      () => undefined,
    )
  }

  private async acquire(
    session: Session,
    connection: PostgresLockConnection,
    high: number,
    low: number,
  ): Promise<void> {
    const deadline = Date.now() + this.waitMs
    let pause = 5
    for (;;) {
      let rows: Array<Record<string, unknown>>
      try {
        ;({ rows } = await connection.query('select pg_try_advisory_lock($1, $2) as taken', [high, low]))
      } catch (cause) {
        // The lock may have been granted with the answer lost: the connection must not go back to the pool.
        session.broken = true
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

/** One pooled connection holding this instance's advisory locks, shared by its current holders. */
interface Session {
  connection: Promise<PostgresLockConnection>
  users: number
  broken: boolean
  onError: () => void
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
