import { z } from 'zod'

export const agentBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
})

export const agentParams = z.object({ id: z.uuid() })
