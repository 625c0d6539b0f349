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
type VerifyCallback = (err: Error | null, ok?: string | false, info?: unknown) => void

/**
 * passport-oauth2's state store, on the Keyv store instead of the session: the session store keys by
 * host, so two providers or two tabs overwrite each other's verifier (NOTES.md).
 *
 * passport-oauth2 chooses how to call these by counting parameters (`store.length === 5` passes the
 * PKCE verifier, `verify.length === 4` passes meta): keep every parameter, no defaults, no rest.
 */
export class KeyvStateStore {
  constructor(private readonly hooks: FlowHooks) {}

  store(req: Request, verifier: string, _state: unknown, _meta: unknown, callback: StoreCallback): void {
    const state = randomBytes(32).toString('base64url')
    this.hooks.open(req, state, verifier).then(
      () => callback(null, state),
      (error: Error) => callback(error),
    )
  }

  verify(req: Request, state: string, _meta: unknown, callback: VerifyCallback): void {
    this.hooks.take(req, state).then(
      (result) =>
        'refused' in result ? callback(null, false, result.refused) : callback(null, result.verifier),
      (error: Error) => callback(error),
    )
  }
}
