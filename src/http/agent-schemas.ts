import { z } from 'zod'

export const agentBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
})

export const agentParams = z.object({ id: z.uuid() })

export const agentResource = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  keyCreatedAt: z.string(),
})

/** The only answers that carry an agent key: creating an agent and rotating its key. */
export const agentWithKey = z.object({
  agent: agentResource,
  key: z.string().describe('ak_<agent id>.<secret>: shown once, send it as Authorization: Bearer'),
})

export const approvalParams = z.object({ id: z.uuid() })

export const approvalListQuery = z.strictObject({
  status: z.enum(['pending', 'approved', 'denied', 'used', 'expired']).optional(),
})

export const approvalResource = z.object({
  id: z.string(),
  status: z.enum(['pending', 'approved', 'denied', 'used', 'expired']),
  agentId: z.string(),
  connectionId: z.string(),
  policyId: z.string(),
  reason: z.string(),
  request: z.object({
    method: z.string(),
    path: z.string().optional(),
    tool: z.string().optional(),
    summary: z.string(),
  }),
  createdAt: z.string(),
  expiresAt: z.string(),
  decidedAt: z.string().optional(),
  usedAt: z.string().optional(),
})
