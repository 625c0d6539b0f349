import type { Router } from 'express'
import { approvalListQuery, approvalParams } from './agent-schemas.js'
import { requireOwnerCaller } from './caller.js'
import { actorOf, type HttpContext, parse } from './context.js'
import { handle } from './handle.js'

/**
 * Step-up approvals, for owners only (an agent key gets a 403: an agent never approves its own call).
 * Listing marks the approvals past `expiresAt` as expired; approve and deny act on pending ones only.
 */
export function mountApprovalRoutes(router: Router, ctx: HttpContext): void {
  router.get(
    '/approvals',
    handle(async (req, res) => {
      const owner = await requireOwnerCaller(ctx, req, 'approvals')
      const { status } = parse(approvalListQuery, req.query)
      res.json({ data: await ctx.agents.approvals.list(owner, new Date(), status) })
    }),
  )

  for (const [verb, decision] of [
    ['approve', 'approved'],
    ['deny', 'denied'],
  ] as const) {
    router.post(
      `/approvals/:id/${verb}`,
      handle(async (req, res) => {
        const owner = await requireOwnerCaller(ctx, req, 'approvals')
        const { id } = parse(approvalParams, req.params)
        const actor = await actorOf(ctx, req, owner)
        res.json({ data: await ctx.agents.gate.settle(owner, id, decision, actor) })
      }),
    )
  }
}
