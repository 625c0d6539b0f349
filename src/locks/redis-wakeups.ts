/**
 * A second connection to Redis, subscribed to the lock's wake-up channel: node-redis's `duplicate()`
 * gives one. Subscribed connections answer nothing else, so the lock's own client is never taken.
 */
export interface RedisLockSubscriber {
  connect(): Promise<unknown>
  subscribe(channel: string, listener: (message: string) => void): Promise<unknown>
  readonly isOpen?: boolean
  readonly isReady?: boolean
  on?(event: 'error', listener: (error: Error) => void): unknown
  /** node-redis: lets the process exit while only this connection is open. */
  unref?(): void
  close?(): Promise<unknown>
  quit?(): Promise<unknown>
}

/** One waiter's doorbell: a wake-up rung while it was asking Redis is not lost. */
export class Doorbell {
  private rung = false
  private answer: (() => void) | undefined

  /** Forget earlier rings: call before asking Redis, so a ring during the ask still counts. */
  arm(): void {
    this.rung = false
  }

  ring(): void {
    this.rung = true
    this.answer?.()
  }

  /** Resolves when rung (at once if rung since `arm`), or after `ms`. */
  wait(ms: number): Promise<void> {
    if (this.rung) return Promise.resolve()
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer)
        this.answer = undefined
        resolve()
      }
      const timer = setTimeout(done, ms)
      this.answer = done
    })
  }
}

interface Subscription {
  subscriber: RedisLockSubscriber
  subscribed: boolean
  ready: Promise<boolean>
}

/** Closed after this long without waiters: a lock that is rarely contended keeps no extra connection. */
const IDLE_CLOSE_MS = 10_000
/**
 * After a subscription failed (say an ACL forbids SUBSCRIBE), waiters poll this long before another
 * try, rather than open a connection at every poll.
 */
const RETRY_AFTER_FAILURE_MS = 5_000

/**
 * The waiters of one process and the one connection that wakes them. A release publishes the token of
 * the waiter at the head of the queue; only that waiter asks Redis again. Opened lazily, at the first
 * wait, and closed when no one has waited for a while.
 */
export class RedisWakeups {
  private readonly doorbells = new Map<string, Doorbell>()
  private subscription: Subscription | undefined
  private idle: NodeJS.Timeout | undefined
  private failedAt = Number.NEGATIVE_INFINITY

  constructor(
    private readonly client: { duplicate?(): RedisLockSubscriber },
    readonly channel: string,
  ) {}

  /** Whether a wake-up published now reaches this process. */
  get live(): boolean {
    const current = this.subscription
    return current?.subscribed === true && current.subscriber.isReady !== false
  }

  register(token: string): Doorbell {
    if (this.idle) clearTimeout(this.idle)
    this.idle = undefined
    const doorbell = new Doorbell()
    this.doorbells.set(token, doorbell)
    return doorbell
  }

  unregister(token: string): void {
    this.doorbells.delete(token)
    if (this.doorbells.size > 0 || !this.subscription) return
    this.idle = setTimeout(() => {
      if (this.doorbells.size === 0 && this.subscription) this.close(this.subscription)
    }, IDLE_CLOSE_MS)
    this.idle.unref()
  }

  /**
   * Subscribes if not yet done (or again, after the connection was closed for good); false when the
   * client cannot open a second connection or it is not ready within `ms` (it keeps trying).
   */
  async start(ms: number): Promise<boolean> {
    if (this.subscription?.subscriber.isOpen === false) this.close(this.subscription)
    if (!this.subscription && Date.now() - this.failedAt < RETRY_AFTER_FAILURE_MS) return false
    this.subscription ??= this.subscribe()
    if (!this.subscription) return false
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms)
    })
    try {
      return (await Promise.race([this.subscription.ready, late])) && this.live
    } finally {
      clearTimeout(timer)
    }
  }

  private subscribe(): Subscription | undefined {
    let subscriber: RedisLockSubscriber | undefined
    try {
      subscriber = this.client.duplicate?.()
    } catch {
      this.failedAt = Date.now()
      return undefined
    }
    if (!subscriber) return undefined
    // Its errors show on the lock's own client too; a lost wake-up is caught by the waiters' slow poll.
    subscriber.on?.('error', () => undefined)
    const subscription: Subscription = { subscriber, subscribed: false, ready: Promise.resolve(false) }
    subscription.ready = subscriber
      .connect()
      .then(() => subscriber.subscribe(this.channel, (token) => this.doorbells.get(token)?.ring()))
      .then(
        () => {
          subscriber.unref?.()
          subscription.subscribed = true
          return true
        },
        () => {
          this.failedAt = Date.now()
          this.close(subscription)
          return false
        },
      )
    return subscription
  }

  private close(subscription: Subscription): void {
    if (this.subscription === subscription) this.subscription = undefined
    subscription.subscribed = false
    const { subscriber } = subscription
    try {
      ;(subscriber.close?.() ?? subscriber.quit?.())?.catch(() => undefined)
    } catch {
      // Already closed.
    }
  }
}
