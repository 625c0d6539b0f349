import { randomBytes } from 'node:crypto'
import type { Request } from 'express'
import type { ConnectionsError } from '../core/errors.js'

export interface FlowHooks {
  /** Persists a new flow under `state` with its PKCE verifier. */
  open(req: Request, state: string, verifier: string): Promise<void>
  /** Consumes the flow behind `state` and returns its verifier, or why this caller may not finish it. */
  take(req: Request, state: string): Promise<{ verifier: string } | { refused: ConnectionsError }>
}

type StoreCallback = (err: Error | null, state?: string) => void
type VerifyCallback = (err: Error | null, ok?: string | boolean, info?: unknown) => void

/**
 * passport-oauth2's state store, on the Keyv store instead of the session: the session store keys by
 * host, so two providers or two tabs overwrite each other's verifier (NOTES.md).
 *
 * passport-oauth2 chooses how to call these by counting parameters (`store.length === 5` passes the
 * PKCE verifier, `verify.length === 4` passes meta): keep every parameter, no defaults, no rest.
 */
export class KeyvStateStore {
  constructor(private readonly hooks: FlowHooks) {}

  store(req: Request, verifier: unknown, _state: unknown, _meta: unknown, callback: StoreCallback): void {
    const state = randomBytes(32).toString('base64url')
    // Without PKCE (a provider that refuses it) passport passes no verifier: an empty one is kept.
    this.hooks.open(req, state, typeof verifier === 'string' ? verifier : '').then(
      () => settle(callback, null, state),
      (error: Error) => settle(callback, error),
    )
  }

  verify(req: Request, state: string, _meta: unknown, callback: VerifyCallback): void {
    this.hooks.take(req, state).then(
      (result) =>
        'refused' in result
          ? settle(callback, null, false, result.refused)
          : // A string is sent as code_verifier; `true` says the state is good and there is none.
            settle(callback, null, result.verifier === '' ? true : result.verifier),
      (error: Error) => settle(callback, error),
    )
  }
}

/**
 * Calls passport back. What passport does next (building the authorization URL, say) runs inside
 * this call: if it throws, the request fails through passport's error path instead of the throw
 * becoming an unhandled rejection, which would stop the process.
 */
function settle<A extends unknown[]>(
  callback: (err: Error | null, ...rest: A) => void,
  err: Error | null,
  ...rest: A
) {
  try {
    callback(err, ...rest)
  } catch (thrown) {
    if (err) return
    try {
      ;(callback as unknown as (err: Error) => void)(
        thrown instanceof Error ? thrown : new Error(String(thrown)),
      )
    } catch {
      // passport failed twice on this request: the strategy's timeout answers it
    }
  }
}
