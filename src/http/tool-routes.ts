import type { Request, Router } from 'express'
import { z } from 'zod'
import { ConnectionsError, notFound } from '../core/errors.js'
import type { ConnectionRecord } from '../core/model.js'
import type { ToolCaller } from '../tools/runner.js'
import { invalidInput, settingsProblems } from '../tools/settings.js'
import { toolView } from '../tools/states.js'
import type { ToolsSummary } from '../tools/sync-status.js'
import { answerPending } from './agent-gate.js'
import { requireCaller } from './caller.js'
import { type Action, actorOf, type HttpContext, parse, requireAllowed } from './context.js'
import { handle } from './handle.js'
import { toolConnectionParams, toolParams, toolRunBody, toolSettingsBody } from './tool-schemas.js'

const approvalHeader = z.uuid({ error: 'x-approval-id must be an approval id (a UUID)' }).optional()

/**
 * A connection's tools: listed (owners all; an agent the enabled ones its policy admits, on
 * connections it is bound to), set up (owners only), synced (owners only) and run (Model B, through
 * the policy and approvals for an agent).
 */
export function mountToolRoutes(router: Router, ctx: HttpContext): void {
  const { runner, states } = ctx.agents.tools

  router.get(
    '/connections/:id/tools',
    handle(async (req, res) => {
      const { id } = parse(toolConnectionParams, req.params)
      const caller = await toolCaller(ctx, req, 'read')
      const found = await runner.connectionFor(caller, id)
      const audience = caller.agent ? 'agent' : 'owner'
      const tools = await runner.visibleTools(caller, found)
      res.json({ data: tools.map((tool) => toolView(found.record, tool, audience)) })
    }),
  )

  router.patch(
    '/connections/:id/tools/:slug',
    handle(async (req, res) => {
      const { id, slug } = parse(toolParams, req.params)
      const record = await ownersConnection(ctx, req, id)
      const patch = parse(toolSettingsBody, req.body)
      const changed = await states.update(record, slug, patch, (definition, next) => {
        const problems = settingsProblems(ctx.agents.tools.validator, definition, next)
        if (problems.length > 0) throw invalidInput('These tool settings do not fit the tool.', problems)
      })
      if (!changed) throw notFound(`The tool "${slug}"`)
      res.json({ data: toolView(record, changed, 'owner') })
    }),
  )

  router.post(
    '/connections/:id/tools/sync',
    handle(async (req, res) => {
      const { id } = parse(toolConnectionParams, req.params)
      const record = await ownersConnection(ctx, req, id)
      const tools = await states.sync(record)
      res.json({ data: tools.map((tool) => toolView(record, tool, 'owner')) })
    }),
  )

  router.post(
    '/connections/:id/tools/:slug/run',
    handle(async (req, res) => {
      const { id, slug } = parse(toolParams, req.params)
      const { input } = parse(toolRunBody, req.body ?? {})
      const approvalId = parse(approvalHeader, req.get('x-approval-id'))
      const caller = await toolCaller(ctx, req, 'tool')
      const result = await runner.run(caller, id, slug, input ?? {}, approvalId)
      if (result.outcome === 'pending') return answerPending(res, result.approval)
      res.set('cache-control', 'no-store').json({ data: { output: result.output } })
    }),
  )
}

/**
 * The caller as the runner sees it; `action` is what the host's `authorize` is asked for a person
 * (listing: `read`; running: `tool`). An agent is always asked about `tool`, once its policy was found.
 */
export async function toolCaller(ctx: HttpContext, req: Request, action: Action): Promise<ToolCaller> {
  const { owner, agent } = await requireCaller(ctx, req)
  return {
    owner,
    agent,
    actor: async () => (agent && ctx.agents.registry ? `agent:${agent.id}` : actorOf(ctx, req, owner)),
    allow: (record: ConnectionRecord) =>
      requireAllowed(ctx, {
        req,
        owner,
        action: agent ? 'tool' : action,
        agent,
        get connection() {
          return ctx.providers.toPublic(record)
        },
      }),
  }
}

/** For what only the owner does with a connection's tools (set them up, sync them): an agent gets 403. */
async function ownersConnection(ctx: HttpContext, req: Request, ref: string): Promise<ConnectionRecord> {
  const caller = await toolCaller(ctx, req, 'update')
  if (caller.agent)
    throw new ConnectionsError('forbidden', 'Agents cannot manage agents, policies, tools or approvals.')
  return (await ctx.agents.tools.runner.connectionFor(caller, ref)).record
}

/** `GET /connections` rows and `GET /connections/:id` with their tools' status (one read per owner). */
export async function withToolsStatus<T extends { id: string; provider: string }>(
  ctx: HttpContext,
  owner: string,
  connections: T[],
): Promise<Array<T & ToolsSummary>> {
  const summaries = await ctx.agents.tools.states.summaries(
    owner,
    connections.map((c) => ({ id: c.id, provider: c.provider, owner })),
  )
  return connections.map((connection) => ({
    ...connection,
    ...(summaries.get(connection.id) ?? { toolsStatus: 'pending', toolsSyncedAt: null }),
  }))
}
