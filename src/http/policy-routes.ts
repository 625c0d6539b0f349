import type { Router } from 'express'
import { PolicyAdmin } from '../agents/policy-admin.js'
import type { Policy } from '../policy/model.js'
import { requireOwnerCaller } from './caller.js'
import { type HttpContext, parse } from './context.js'
import { handle } from './handle.js'
import {
  policyBody,
  policyParams,
  policyQuery,
  policyRulesBody,
  providerConstraintsBody,
} from './policy-schemas.js'

export function policyAdminOf(ctx: HttpContext): PolicyAdmin {
  return new PolicyAdmin({
    policies: ctx.agents.policies,
    access: ctx.access,
    providers: ctx.providers,
    registry: ctx.agents.registry,
  })
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
  const admin = policyAdminOf(ctx)

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
      res.status(201).json({ data: await admin.create(owner, parse(policyBody, req.body)) })
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
      res.json({ data: await admin.update(owner, id, parse(policyRulesBody, req.body)) })
    }),
  )

  router.put(
    '/policies/:id/provider-constraints',
    handle(async (req, res) => {
      const owner = await requireOwnerCaller(ctx, req, 'policies')
      const { id } = parse(policyParams, req.params)
      res.json({ data: await admin.replaceConstraints(owner, id, parse(providerConstraintsBody, req.body)) })
    }),
  )

  router.delete(
    '/policies/:id',
    handle(async (req, res) => {
      const owner = await requireOwnerCaller(ctx, req, 'policies')
      const { id } = parse(policyParams, req.params)
      await admin.remove(owner, id)
      res.json({ data: { deleted: id } })
    }),
  )
}
