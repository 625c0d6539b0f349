import type { Request } from 'express'
import { ConnectionsError } from '../core/errors.js'
import type { Provider } from '../providers/types.js'
import { type Action, allowedConnection, type HttpContext, requireOwner } from './context.js'
import { connectionId, providerId } from './schemas.js'

/**
 * `allowedConnection` for the routes an agent calls by provider (`/connections/telegram/token`): the
 * `:id` may also be the id of a singleton provider, which names the owner's one connection of it. A
 * provider that allows several connections per owner is refused (404) rather than guessed.
 */
export async function allowedConnectionOrSingleton(ctx: HttpContext, req: Request, action: Action) {
  const ref = String(req.params.id ?? '')
  if (connectionId.safeParse(ref).success || !providerId.safeParse(ref).success) {
    return allowedConnection(ctx, req, action)
  }
  const owner = await requireOwner(ctx, req)
  await ctx.providers.ensure(owner, [ref])
  const provider = providerOrUndefined(ctx, ref, owner)
  // Not a provider either: the usual answer for a malformed connection id.
  if (!provider) return allowedConnection(ctx, req, action)
  if (!provider.singleton) {
    throw new ConnectionsError(
      'not_found',
      `"${ref}" allows several connections per owner, so it does not name one: use the connection's id (GET /connections?provider=${ref} lists them).`,
    )
  }
  const record = await ctx.access.resolve(owner, ref)
  return allowedConnection(ctx, req, action, { owner, id: record.id })
}

function providerOrUndefined(ctx: HttpContext, id: string, owner: string): Provider | undefined {
  try {
    return ctx.providers.require(id, owner)
  } catch (error) {
    if (error instanceof ConnectionsError && error.code === 'not_found') return undefined
    throw error
  }
}
