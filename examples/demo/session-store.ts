import session from 'express-session'
import type Keyv from 'keyv'

type Callback = (err?: unknown, session?: session.SessionData | null) => void

const DAY_MS = 24 * 60 * 60 * 1000

/** express-session's store on a Keyv instance, so that a restart of the demo keeps you signed in. */
export class KeyvSessionStore extends session.Store {
  constructor(private readonly keyv: Keyv) {
    super()
  }

  override get(sid: string, callback: Callback): void {
    this.keyv.get<session.SessionData>(sid).then(
      (data) => callback(null, data ?? null),
      (error: unknown) => callback(error),
    )
  }

  override set(sid: string, data: session.SessionData, callback?: (err?: unknown) => void): void {
    const expires = data.cookie.expires ? new Date(data.cookie.expires).getTime() - Date.now() : DAY_MS
    this.keyv.set(sid, data, Math.max(expires, 1000)).then(
      () => callback?.(),
      (error: unknown) => callback?.(error),
    )
  }

  override destroy(sid: string, callback?: (err?: unknown) => void): void {
    this.keyv.delete(sid).then(
      () => callback?.(),
      (error: unknown) => callback?.(error),
    )
  }
}
