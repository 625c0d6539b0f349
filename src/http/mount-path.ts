import type { Request } from 'express'
import { ConnectionsError } from '../core/errors.js'

/** What a `mountPath` function is given: whose link it builds, and the request when there is one. */
export interface MountPathContext {
  owner: string
  /** The request that starts the flow; null for `connections.start` and `.reauth` (server code). */
  req: Request | null
}

/**
 * Where the router is mounted, as the provider knows it (the redirect URI registered there): a path,
 * or a function of the owner for a parameterised mount such as `/orgs/:orgId/integrations`.
 */
export type MountPath = string | ((context: MountPathContext) => string | Promise<string>)

/** A path like /integrations or /orgs/42/integrations: no trailing slash, no query. */
export const MOUNT_PATH = /^(\/[^/?#]+)*$/

/**
 * The mount path of one flow's links. The option wins. Without it a request's own path is used for
 * that request only: Express matches mounts case-insensitively and a parameterised mount has one
 * path per owner, so one request's spelling must never become every later link's.
 */
export async function mountPathFor(
  option: MountPath | null,
  owner: string,
  req: Request | null,
): Promise<string> {
  if (typeof option === 'string') return option
  if (option) {
    const path = await option({ owner, req })
    if (typeof path !== 'string' || !MOUNT_PATH.test(path)) {
      throw new ConnectionsError(
        'internal_error',
        'mountPath must return a path like /orgs/42/integrations (no trailing slash).',
      )
    }
    return path
  }
  if (req) return req.baseUrl
  throw new ConnectionsError(
    'internal_error',
    'Starting a flow from server code needs the mountPath option (where the router is mounted, e.g. ' +
      "'/integrations', or a function of the owner for a mount with route parameters).",
  )
}
