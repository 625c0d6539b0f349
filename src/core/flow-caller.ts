import { sameSecret } from '../crypto/compare.js'
import { ConnectionsError } from './errors.js'
import type { PendingFlow } from './model.js'

export interface CallbackCaller {
  provider: string
  sessionId: string | null
  owner: string | undefined
}

/**
 * Who may finish a flow: the browser session that started it, or, for a flow started server-side, the
 * owner who started it. A caller the host identifies as someone else is always refused, so a shared
 * link cannot plant one person's account under another owner.
 */
export function refuseForeignCaller(flow: PendingFlow, caller: CallbackCaller): ConnectionsError | null {
  if (flow.provider !== caller.provider) {
    return forbidden('This authorization was started for another provider.')
  }
  if (caller.owner !== undefined && caller.owner !== flow.owner) {
    return forbidden('This authorization was started by another user.')
  }
  if (flow.sessionId !== null) {
    if (caller.sessionId === null || !sameSecret(caller.sessionId, flow.sessionId)) {
      return forbidden('This browser did not start the authorization.')
    }
    return null
  }
  if (caller.owner === flow.owner || flow.allowSessionless) return null
  return forbidden('Sign in as the user who started this authorization to complete it.')
}

function forbidden(message: string): ConnectionsError {
  return new ConnectionsError('forbidden', message)
}
