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
 * in-process lock lets one holder per key at a time ask PostgreSQL. A free lock is taken on one
 * connection of this instance's own, checked out of the pool while any lock is held there and given
 * back when none is, so nested locks never exhaust the pool. A busy lock is waited for in PostgreSQL's
 * own queue (`pg_advisory_lock` under `lock_timeout`) on a connection of its own, which then holds
 * it: waiters are served in the order they asked, across instances, and woken by the release itself.
 * So the pool needs one connection per key being waited for (one waiter per key and instance) besides
 * the shared one. A holder that crashes frees its locks when its connection closes: no lease is needed.
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
      const id = lockId(key)
      const unlock = (await this.takeIfFree(id)) ?? (await this.waitFor(id, Date.now() + this.waitMs))
      try {
        return await fn()
      } finally {
        await unlock()
      }
    })
  }

  /** Takes the lock on the shared session if no one holds or awaits it; undefined otherwise. */
  private async takeIfFree([high, low]: LockId): Promise<Unlock | undefined> {
    const session = this.enter()
    let held = false
    try {
      const connection = await session.connection
      let rows: Array<Record<string, unknown>>
      try {
        ;({ rows } = await connection.query('select pg_try_advisory_lock($1, $2) as taken', [high, low]))
      } catch (cause) {
        // The lock may have been granted with the answer lost: the connection must not go back to the pool.
        session.broken = true
        throw unavailable(cause)
      }
      held = rows[0]?.taken === true
    } finally {
      if (!held) this.leave(session)
    }
    if (!held) return undefined
    return async () => {
      const connection = await session.connection
      await connection.query('select pg_advisory_unlock($1, $2)', [high, low]).catch(() => {
        // A connection that cannot unlock is dropped, which unlocks everything it held.
        session.broken = true
      })
      this.leave(session)
    }
  }

  /** Waits in PostgreSQL's queue for the lock on a pooled connection of its own, which then holds it. */
  private async waitFor([high, low]: LockId, deadline: number): Promise<Unlock> {
    const connection = await checkOut(this.options.pool, deadline)
    let broken = false
    const onError = () => {
      broken = true
    }
    connection.on?.('error', onError)
    const giveBack = () => {
      connection.removeListener?.('error', onError)
      connection.release(broken)
    }
    const timeout = Math.max(1, Math.ceil(deadline - Date.now()))
    try {
      // One implicit transaction: SET LOCAL ends with it, and the session-level lock outlives it. No
      // parameters, so no prepared statement: the values are integers built here.
      await connection.query(
        `set local lock_timeout = ${timeout}; select pg_advisory_lock(${high}, ${low})`,
        [],
      )
    } catch (cause) {
      if (codeOf(cause) === LOCK_NOT_AVAILABLE || codeOf(cause) === DEADLOCK_DETECTED) {
        giveBack()
        throw busy()
      }
      // The lock may have been granted with the answer lost: dropping the connection frees it.
      broken = true
      giveBack()
      throw unavailable(cause)
    }
    return async () => {
      await connection.query('select pg_advisory_unlock($1, $2)', [high, low]).catch(() => {
        broken = true
      })
      giveBack()
    }
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
}

/** One pooled connection holding this instance's advisory locks, shared by its current holders. */
interface Session {
  connection: Promise<PostgresLockConnection>
  users: number
  broken: boolean
  onError: () => void
}

/** Advisory locks are keyed by two int4: the first eight bytes of the key's SHA-256. */
function lockId(key: string): LockId {
  const hash = createHash('sha256').update(key).digest()
  return [hash.readInt32BE(0), hash.readInt32BE(4)]
}

function unavailable(cause: unknown): ConnectionsError {
  return new ConnectionsError('store_unavailable', 'The lock store is unavailable; nothing was changed.', {
    cause,
  })
}

type LockId = [number, number]
type Unlock = () => Promise<void>

const LOCK_NOT_AVAILABLE = '55P03'
const DEADLOCK_DETECTED = '40P01'

function codeOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined
}

/** A connection from the pool, or 503 once the wait is over (one that comes later goes back). */
async function checkOut(pool: PostgresLockPool, deadline: number): Promise<PostgresLockConnection> {
  const connecting = pool.connect()
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), Math.max(0, deadline - Date.now()))
  })
  try {
    const connection = await Promise.race([connecting, late])
    if (connection) return connection
  } catch (cause) {
    throw unavailable(cause)
  } finally {
    clearTimeout(timer)
  }
  connecting.then(
    (connection) => connection.release(),
    () => undefined,
  )
  throw busy()
}

function busy(): ConnectionsError {
  return new ConnectionsError('store_unavailable', 'A lock stayed busy too long; nothing was changed.')
}
