import { z } from 'zod'
import { policy, policyInput, policyRules, providerConstraints } from '../policy/schema.js'

/** `POST /policies`: the agent, the connection and the rules (each rule has its default). */
export const policyBody = policyInput

/** `PUT /policies/:id`: the rules, replaced whole (an absent rule takes its default). */
export const policyRulesBody = policyRules

/** `PUT /policies/:id/provider-constraints`. */
export const providerConstraintsBody = providerConstraints

export const policyParams = z.object({ id: z.uuid({ error: 'must be a policy id (a UUID)' }) })

export const policyQuery = z.strictObject({
  connectionId: z.uuid({ error: 'must be a connection id (a UUID)' }).optional(),
  agentId: z.string().min(1).max(200).optional(),
})

export const policyResource = policy
