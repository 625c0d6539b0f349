import type { Router } from 'express'
import type { AgentRegistry } from '../agents/registry.js'
import { notFound } from '../core/errors.js'
import { agentBody, agentParams } from './agent-schemas.js'
import { requireOwnerCaller } from './caller.js'
import { actorOf, type HttpContext, parse } from './context.js'
import { handle } from './handle.js'

/**
 * The built-in agent registry, for owners only (an agent key gets a 403). A key is in the answer of
 * the create and rotate calls only: never listed, never logged. Not mounted when the host gives
 * `getAgent` (its agents are its own): `/agents` is then a 404.
 */
export function mountAgentRoutes(router: Router, ctx: HttpContext, registry: AgentRegistry): void {
  router.post(
    '/agents',
    handle(async (req, res) => {
      const owner = await requireOwnerCaller(ctx, req, 'agents')
      const { name } = parse(agentBody, req.body)
      const created = await registry.create(owner, name)
      res.status(201).set('cache-control', 'no-store').json({ data: created })
    }),
  )

  router.get(
    '/agents',
    handle(async (req, res) => {
      const owner = await requireOwnerCaller(ctx, req, 'agents')
      res.json({ data: await registry.list(owner) })
    }),
  )

  router.delete(
    '/agents/:id',
    handle(async (req, res) => {
      const owner = await requireOwnerCaller(ctx, req, 'agents')
      const { id } = parse(agentParams, req.params)
      if (!(await registry.delete(owner, id))) throw notFound('The agent')
      // The key already fails; its policies go too, so none is left to apply to a reused id.
      await ctx.agents.policyAdmin.removeForAgent(owner, id, await actorOf(ctx, req, owner))
      res.json({ data: { deleted: id } })
    }),
  )

  router.post(
    '/agents/:id/rotate-key',
    handle(async (req, res) => {
      const owner = await requireOwnerCaller(ctx, req, 'agents')
      const { id } = parse(agentParams, req.params)
      const rotated = await registry.rotateKey(owner, id)
      if (!rotated) throw notFound('The agent')
      res.set('cache-control', 'no-store').json({ data: rotated })
    }),
  )
}
