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
