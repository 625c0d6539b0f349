import request from 'supertest'
import { expect } from 'vitest'
import { type PolicyInput, PolicyStore } from '../../src/agents/policies.js'
import { InProcessLock } from '../../src/locks/lock.js'
import type { Policy } from '../../src/policy/index.js'
import { SafeStore } from '../../src/storage/safe-store.js'
import type { TestApp } from './app.js'

export const owner = { 'x-user': 'ana' }
export const bearer = (key: string) => ({ authorization: `Bearer ${key}` })

export interface TestAgent {
  agent: { id: string; name: string }
  key: string
}

/** An agent of `as` (Ana by default), made over HTTP: its key is in this answer only. */
export async function createAgent(app: TestApp, name = 'Support bot', as = owner): Promise<TestAgent> {
  const res = await request(app.url).post('/integrations/agents').set(as).send({ name })
  expect(res.status).toBe(201)
  return res.body.data
}

/**
 * Binds `agent` to a connection with the policy store the router reads (the same Keyv store),
 * as `POST /policies` will: rules not given take their defaults.
 */
export async function bindPolicy(
  app: TestApp,
  agent: TestAgent,
  connectionId: string,
  rules: Omit<PolicyInput, 'connectionId' | 'agentId'> = {},
  ownerId = 'ana',
): Promise<Policy> {
  const policies = new PolicyStore(new SafeStore(app.store, 5000), new InProcessLock())
  return policies.create(ownerId, { ...rules, connectionId, agentId: agent.agent.id }, agent.agent)
}
