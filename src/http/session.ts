import type { Request, RequestHandler } from 'express'
import session from 'express-session'
import { keys } from '../storage/keys.js'
import type { SafeStore } from '../storage/safe-store.js'

type Callback = (err?: unknown, value?: session.SessionData | null) => void

/**
 * express-session's store on the same Keyv store, so a flow started on one instance ends on another.
 * No `touch`: a session only carries flow bindings, which expire sooner than it does, so reading it
 * never needs a write.
 */
export class KeyvSessionStore extends session.Store {
  constructor(
    private readonly store: SafeStore,
    private readonly fallbackTtlMs: number,
  ) {
    super()
  }

  override get(sid: string, callback: Callback): void {
    this.store.get<session.SessionData>(keys.session(sid)).then(
      (value) => callback(null, value ?? null),
      (error: unknown) => callback(error),
    )
  }

  override set(sid: string, data: session.SessionData, callback?: (err?: unknown) => void): void {
    this.store.set(keys.session(sid), data, this.ttl(data)).then(
      () => callback?.(),
      (error: unknown) => callback?.(error),
    )
  }

  override destroy(sid: string, callback?: (err?: unknown) => void): void {
    this.store.delete(keys.session(sid)).then(
      () => callback?.(),
      (error: unknown) => callback?.(error),
    )
  }

  private ttl(data: session.SessionData): number {
    const expires = data.cookie?.expires ? new Date(data.cookie.expires).getTime() - Date.now() : Number.NaN
    return Number.isFinite(expires) && expires > 0 ? expires : this.fallbackTtlMs
  }
}

export interface RouterSessionOptions {
  /** Cookie name. Default `connections.sid`. */
  name?: string
  /** How long a flow's browser binding lives. Default 30 minutes. */
  maxAgeMs?: number
}

export interface RouterSession {
  middleware: RequestHandler
  /** Whether this request's session is the router's own (not a host session that was already there). */
  owns(req: Request): boolean
}

/**
 * The router's own session: only the OAuth flow binding lives in it. Its cookie is HttpOnly,
 * SameSite=Lax (the provider's redirect back is a top-level GET), Secure over HTTPS, and is scoped to
 * the mount path when a flow binds it. Where the host already has a session on the request, that one
 * is used as it is (express-session would step aside anyway) and its cookie is left alone.
 */
export function createRouterSession(
  store: SafeStore,
  secrets: string[],
  options: RouterSessionOptions | false,
): RouterSession {
  const owned = new WeakSet<Request>()
  if (options === false) {
    return { middleware: (_req, _res, next) => next(), owns: () => false }
  }
  const maxAge = options.maxAgeMs ?? 30 * 60 * 1000
  const routerSession = session({
    name: options.name ?? 'connections.sid',
    secret: secrets,
    store: new KeyvSessionStore(store, maxAge),
    resave: false,
    saveUninitialized: false,
    unset: 'destroy',
    cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto', maxAge },
  })
  return {
    middleware: (req, res, next) => {
      if (req.session) return next()
      owned.add(req)
      routerSession(req, res, next)
    },
    owns: (req) => owned.has(req),
  }
}
