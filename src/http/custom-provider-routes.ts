import type { Router } from 'express'
import { type HttpContext, parse, requireAllowed, requireOwner } from './context.js'
import { handle } from './handle.js'
import { customProviderBody, customProviderInput, slugParams } from './schemas.js'

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
      const body = parse(customProviderBody, req.body)
      await requireAllowed(ctx, { req, owner, action: 'admin' })
      const provider = await ctx.customProviders.register(owner, customProviderInput(body))
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
