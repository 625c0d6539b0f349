import type { Router } from 'express'
import {
  actorOf,
  allowedConnection,
  type HttpContext,
  parse,
  requireAllowed,
  requireOwner,
  resolveOwner,
} from './context.js'
import { handle } from './handle.js'
import { withPolicies } from './policy-routes.js'
import { rateLimited } from './rate-limit.js'
import { auditQuery, credentialsBody, labelBody, listQuery, revokeBody } from './schemas.js'
import { mountTelegramRoute } from './telegram-route.js'
import type { TokenRoute } from './token-route.js'
import { withToolsStatus } from './tool-routes.js'

/** The provider catalogue and the caller's connections: read, relabel, vend a token, revoke, audit. */
export function mountConnectionRoutes(router: Router, ctx: HttpContext, token: TokenRoute): void {
  router.get(
    '/providers',
    handle(async (req, res) => {
      const owner = await resolveOwner(ctx, req)
      if (owner !== undefined) await requireAllowed(ctx, { req, owner, action: 'list' })
      res.json({ data: await ctx.service.catalog(owner) })
    }),
  )

  router.get(
    '/connections',
    handle(async (req, res) => {
      const owner = await requireOwner(ctx, req)
      const query = parse(listQuery, req.query)
      await requireAllowed(ctx, { req, owner, action: 'list' })
      const connections = await withPolicies(ctx, owner, await ctx.service.list(owner, query))
      res.json({ data: await withToolsStatus(ctx, owner, connections) })
    }),
  )

  router.post(
    '/connections',
    rateLimited(ctx, 'credentials'),
    handle(async (req, res) => {
      const owner = await requireOwner(ctx, req)
      const body = parse(credentialsBody, req.body)
      await requireAllowed(ctx, { req, owner, action: 'connect' })
      const connection = await ctx.service.connectWithCredentials(owner, body, await actorOf(ctx, req, owner))
      res.status(201).json({ data: connection })
    }),
  )

  mountTelegramRoute(router, ctx)

  router.get(
    '/connections/:id',
    handle(async (req, res) => {
      const { owner, connection } = await allowedConnection(ctx, req, 'read')
      const [withItsPolicies] = await withToolsStatus(
        ctx,
        owner,
        await withPolicies(ctx, owner, [connection]),
      )
      res.json({ data: withItsPolicies })
    }),
  )

  router.put(
    '/connections/:id/label',
    handle(async (req, res) => {
      const { owner, id, actor } = await allowedConnection(ctx, req, 'update')
      const { label } = parse(labelBody, req.body)
      res.json({ data: await ctx.service.updateLabel(owner, id, label, await actor()) })
    }),
  )

  token.mount(router)

  router.post(
    '/connections/:id/revoke',
    handle(async (req, res) => {
      const { owner, id, actor } = await allowedConnection(ctx, req, 'revoke')
      const options = parse(revokeBody, req.body ?? {})
      res.json({ data: await ctx.service.revoke(owner, id, await actor(), options) })
    }),
  )

  router.get(
    '/audit',
    handle(async (req, res) => {
      const owner = await requireOwner(ctx, req)
      const query = parse(auditQuery, req.query)
      await requireAllowed(ctx, { req, owner, action: 'list' })
      const page = await ctx.service.auditTrail(owner, query)
      res.json({ data: page.entries, nextCursor: page.nextCursor })
    }),
  )
}
