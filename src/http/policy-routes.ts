import type { Router } from 'express'
import type { PolicyAdmin } from '../agents/policy-admin.js'
import type { Policy } from '../policy/model.js'
import { requireOwnerCaller } from './caller.js'
import { actorOf, type HttpContext, parse } from './context.js'
import { handle } from './handle.js'
import {
  policyBody,
  policyParams,
  policyQuery,
  policyRulesBody,
  providerConstraintsBody,
} from './policy-schemas.js'

export function policyAdminOf(ctx: HttpContext): PolicyAdmin {
  return ctx.agents.policyAdmin
}

/**
 * Connection rows with their `policies`: one read of the owner's policies for the whole list, not
 * one per row.
 */
export async function withPolicies<T extends { id: string }>(
  ctx: HttpContext,
  owner: string,
  connections: T[],
): Promise<Array<T & { policies: Policy[] }>> {
  const all = await ctx.agents.policies.list(owner)
  return connections.map((connection) => ({
    ...connection,
    policies: all.filter((p) => p.connectionId === connection.id),
  }))
}

/** Policies, for owners only (an agent key gets a 403): which agent may do what with which connection. */
export function mountPolicyRoutes(router: Router, ctx: HttpContext): void {
  const admin = ctx.agents.policyAdmin

  router.get(
    '/policies',
    handle(async (req, res) => {
      const owner = await requireOwnerCaller(ctx, req, 'policies')
      res.json({ data: await admin.list(owner, parse(policyQuery, req.query)) })
    }),
  )

  router.post(
    '/policies',
    handle(async (req, res) => {
      const owner = await requireOwnerCaller(ctx, req, 'policies')
      const input = parse(policyBody, req.body)
      res.status(201).json({ data: await admin.create(owner, input, await actorOf(ctx, req, owner)) })
    }),
  )

  router.get(
    '/policies/:id',
    handle(async (req, res) => {
      const owner = await requireOwnerCaller(ctx, req, 'policies')
      res.json({ data: await admin.get(owner, parse(policyParams, req.params).id) })
    }),
  )

  router.put(
    '/policies/:id',
    handle(async (req, res) => {
      const owner = await requireOwnerCaller(ctx, req, 'policies')
      const { id } = parse(policyParams, req.params)
      const rules = parse(policyRulesBody, req.body)
      res.json({ data: await admin.update(owner, id, rules, await actorOf(ctx, req, owner)) })
    }),
  )

  router.put(
    '/policies/:id/provider-constraints',
    handle(async (req, res) => {
      const owner = await requireOwnerCaller(ctx, req, 'policies')
      const { id } = parse(policyParams, req.params)
      const constraints = parse(providerConstraintsBody, req.body)
      const actor = await actorOf(ctx, req, owner)
      res.json({ data: await admin.replaceConstraints(owner, id, constraints, actor) })
    }),
  )

  router.delete(
    '/policies/:id',
    handle(async (req, res) => {
      const owner = await requireOwnerCaller(ctx, req, 'policies')
      const { id } = parse(policyParams, req.params)
      await admin.remove(owner, id, await actorOf(ctx, req, owner))
      res.json({ data: { deleted: id } })
    }),
  )
}
