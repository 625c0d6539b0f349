import type { Router } from 'express'
import { ConnectionsError } from '../core/errors.js'
import type { CustomProviderInput } from '../storage/custom-providers.js'
import { type HttpContext, parse, requireAllowed, requireOwner } from './context.js'
import { handle } from './handle.js'
import { customMcpProviderBody, customProviderBody, customProviderInput, slugParams } from './schemas.js'

/**
 * Custom OAuth providers an owner (an org, a workspace) registers at runtime, behind `authorize`'s
 * `admin` action, which is refused unless the host allows it. The client secret goes in and never
 * comes out.
 */
export function mountCustomProviderRoutes(router: Router, ctx: HttpContext): void {
  router.get(
    '/custom-providers',
    handle(async (req, res) => {
      const owner = await requireOwner(ctx, req)
      await requireAllowed(ctx, { req, owner, action: 'admin' })
      res.json({ data: await ctx.customProviders.list(owner) })
    }),
  )

  router.post(
    '/custom-providers',
    handle(async (req, res) => {
      const owner = await requireOwner(ctx, req)
      const input = customRegistration(req.body)
      await requireAllowed(ctx, { req, owner, action: 'admin' })
      const provider = await ctx.customProviders.register(owner, input)
      res.status(201).json({ data: provider })
    }),
  )

  router.delete(
    '/custom-providers/:slug',
    handle(async (req, res) => {
      const owner = await requireOwner(ctx, req)
      const { slug } = parse(slugParams, req.params)
      await requireAllowed(ctx, { req, owner, action: 'admin' })
      await ctx.customProviders.remove(owner, slug)
      res.json({ data: { removed: slug } })
    }),
  )
}

/** Either registration, checked, as the custom-provider store takes it. */
export function customRegistration(body: unknown): CustomProviderInput {
  const isMcp = typeof body === 'object' && body !== null && 'mcpUrl' in body
  if (!isMcp) return customProviderInput(parse(customProviderBody, body))
  const mcp = parse(customMcpProviderBody, body)
  if (mcp.clientSecret !== undefined && mcp.clientId === undefined) {
    throw new ConnectionsError('invalid_request', 'Invalid request: clientSecret needs its clientId.', {
      details: [{ path: ['clientId'], message: 'is required with clientSecret' }],
    })
  }
  return {
    slug: mcp.slug,
    name: mcp.name,
    mcpUrl: mcp.mcpUrl,
    authorizationUrl: '',
    tokenUrl: '',
    userInfoUrl: null,
    revocationUrl: null,
    apiBaseUrl: null,
    scopes: mcp.scopes,
    tokenAuth: 'client_secret_post' as const,
    clientId: mcp.clientId ?? '',
    clientSecret: mcp.clientSecret ?? '',
    issuer: null,
    requireIss: false,
  }
}
