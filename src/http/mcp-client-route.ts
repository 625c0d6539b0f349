import type { Router } from 'express'
import { ConnectionsError } from '../core/errors.js'
import type { McpAuthorizer } from '../mcp/authorization.js'
import type { HttpContext } from './context.js'
import { parse } from './context.js'
import { handle } from './handle.js'
import { providerParams } from './schemas.js'

/**
 * The client ID metadata document of each MCP provider the router registers for itself: its URL is
 * the client_id, fetched by the MCP server's authorization server (so public, no owner, no session).
 * The path is part of every such client_id: it must never change (connections would stop refreshing).
 */
export function mountMcpClientRoute(router: Router, ctx: HttpContext, authorizer: McpAuthorizer): void {
  router.get(
    '/client-metadata/:provider',
    handle(async (req, res) => {
      const { provider: id } = parse(providerParams, req.params)
      const provider = ctx.providers.isBuiltIn(id) ? ctx.providers.get(id, undefined) : undefined
      const document = provider?.kind === 'oauth2' ? authorizer.clientDocument(provider) : null
      if (!document) throw new ConnectionsError('not_found', 'No such client.')
      res.set('cache-control', 'public, max-age=300').json(document)
    }),
  )
}
