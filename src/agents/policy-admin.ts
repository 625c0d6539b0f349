import type { ConnectionAccess } from '../core/access.js'
import { ConnectionsError, notFound } from '../core/errors.js'
import type { ConnectionRecord, FlowGrant } from '../core/model.js'
import type { ProviderRegistry } from '../core/provider-registry.js'
import type { Recorder } from '../core/recorder.js'
import type { ExecutionModel, Policy, ProviderConstraints } from '../policy/model.js'
import { policyRules, providerConstraints } from '../policy/schema.js'
import type { PolicyInput, PolicyRulesInput, PolicyStore } from './policies.js'
import type { AgentRegistry } from './registry.js'

export interface PolicyAdminDeps {
  policies: PolicyStore
  access: ConnectionAccess
  providers: ProviderRegistry
  /** The built-in registry; null when the host gives `getAgent` (its agent ids are taken as given). */
  registry: AgentRegistry | null
  recorder: Recorder
  now: () => Date
}

type PolicyChange = 'created' | 'updated' | 'deleted'

/**
 * The owner's operations on policies, for HTTP and server code alike: each checks what the store
 * cannot — the connection is the owner's and not revoked, the agent is the owner's, and constraints
 * name the connection's own provider family.
 */
export class PolicyAdmin {
  constructor(private readonly deps: PolicyAdminDeps) {}

  list(owner: string, filter: { connectionId?: string; agentId?: string } = {}): Promise<Policy[]> {
    return this.deps.policies.list(owner, filter)
  }

  async get(owner: string, id: string): Promise<Policy> {
    const policy = await this.deps.policies.get(owner, id)
    if (!policy) throw notFound('The policy')
    return policy
  }

  async create(owner: string, input: PolicyInput, actor: string): Promise<Policy> {
    const record = await this.usableConnection(owner, input.connectionId)
    const agent = await this.agent(owner, input.agentId, input.agentName)
    if (input.providerConstraints) this.checkFamily(owner, record, input.providerConstraints)
    return this.recorded(owner, actor, 'created', await this.deps.policies.create(owner, input, agent))
  }

  async update(owner: string, id: string, rules: PolicyRulesInput, actor: string): Promise<Policy> {
    const current = await this.get(owner, id)
    if (rules.providerConstraints) await this.checkFamilyOf(owner, current, rules.providerConstraints)
    return this.recorded(owner, actor, 'updated', await this.deps.policies.update(owner, id, rules))
  }

  async replaceConstraints(
    owner: string,
    id: string,
    constraints: ProviderConstraints,
    actor: string,
  ): Promise<Policy> {
    const current = await this.get(owner, id)
    await this.checkFamilyOf(owner, current, constraints)
    const policy = await this.deps.policies.replaceConstraints(owner, id, constraints)
    return this.recorded(owner, actor, 'updated', policy)
  }

  async remove(owner: string, id: string, actor: string): Promise<void> {
    const policy = await this.get(owner, id)
    await this.deps.policies.remove(owner, id)
    await this.recorded(owner, actor, 'deleted', policy)
  }

  /** An agent is deleted: its policies go with it, each audited. */
  async removeForAgent(owner: string, agentId: string, actor: string): Promise<void> {
    for (const policy of await this.deps.policies.list(owner, { agentId })) {
      await this.deps.policies.remove(owner, policy.id).catch(ignoreNotFound)
      await this.recorded(owner, actor, 'deleted', policy)
    }
  }

  /** The agent a flow may name: the owner's (404 otherwise), or with `getAgent` any id, named by itself. */
  async grantFor(owner: string, agentId: string, allowedModels: ExecutionModel[]): Promise<FlowGrant> {
    // Server code's start is typed, not parsed: checked here, before the flow, not when it completes.
    const models = policyRules.shape.allowedModels.safeParse(allowedModels)
    if (!models.success) {
      throw new ConnectionsError(
        'invalid_request',
        'Invalid request: allowedModels must be a subset of A, B.',
        {
          details: [{ path: ['allowedModels'], message: 'a non-empty subset of ["A", "B"]' }],
        },
      )
    }
    const agent = await this.agent(owner, agentId, agentId)
    return { agentId: agent.id, agentName: agent.name, allowedModels: models.data }
  }

  /**
   * Binds the agent of a completed flow to its connection. A pair that already has a policy keeps it
   * (a second connect of a singleton lands on the same connection); an agent deleted since the flow
   * started gets none.
   */
  async bindGrant(
    owner: string,
    connectionId: string,
    grant: FlowGrant,
    actor: string,
  ): Promise<Policy | undefined> {
    if (this.deps.registry && !(await this.deps.registry.get(owner, grant.agentId))) return undefined
    if (await this.deps.policies.forPair(owner, grant.agentId, connectionId)) return undefined
    try {
      const policy = await this.deps.policies.create(
        owner,
        { connectionId, agentId: grant.agentId, allowedModels: grant.allowedModels },
        { id: grant.agentId, name: grant.agentName },
      )
      return await this.recorded(owner, actor, 'created', policy)
    } catch (error) {
      if (error instanceof ConnectionsError && error.code === 'conflict') return undefined
      throw error
    }
  }

  /** Audited in the owner's and the connection's streams, then emitted as `policy.*` (ids only, no rules). */
  private async recorded(
    owner: string,
    actor: string,
    change: PolicyChange,
    policy: Policy,
  ): Promise<Policy> {
    const { id, connectionId, agentId } = policy
    const at = this.deps.now().toISOString()
    await this.deps.recorder.note(
      owner,
      { action: `policy_${change}`, actor, connectionId, agentId, policyId: id, at },
      { type: `policy.${change}`, owner, policy: { id, connectionId, agentId }, at },
    )
    return policy
  }

  private async usableConnection(owner: string, connectionId: string): Promise<ConnectionRecord> {
    const record = await this.deps.access.getRecord(owner, connectionId)
    if (record.status === 'revoked') {
      throw new ConnectionsError('conflict', 'The connection is revoked: a policy on it would never apply.')
    }
    return record
  }

  private async agent(
    owner: string,
    agentId: string,
    agentName: string | undefined,
  ): Promise<{ id: string; name: string }> {
    const { registry } = this.deps
    if (registry) {
      const agent = await registry.get(owner, agentId)
      if (!agent) throw notFound('The agent')
      return { id: agent.id, name: agent.name }
    }
    if (!agentName) {
      throw new ConnectionsError('invalid_request', 'Invalid request: agentName is required with getAgent.', {
        details: [{ path: ['agentName'], message: 'the agent’s name, as your getAgent names it' }],
      })
    }
    return { id: agentId, name: agentName }
  }

  private async checkFamilyOf(owner: string, policy: Policy, constraints: unknown): Promise<void> {
    const record = await this.deps.access.getRecord(owner, policy.connectionId).catch(() => undefined)
    if (record) this.checkFamily(owner, record, constraints)
  }

  /** A constraint of another family would refuse every call (fail closed): say so now instead. */
  private checkFamily(owner: string, record: ConnectionRecord, constraints: unknown): void {
    const parsed = providerConstraints.safeParse(constraints)
    if (!parsed.success) return // the store's own parse reports it with its details
    const family = this.deps.providers.get(record.provider, owner)?.family ?? null
    const named = (Object.keys(parsed.data) as Array<keyof ProviderConstraints>).filter((k) => parsed.data[k])
    const foreign = named.find((name) => name !== family)
    if (foreign) {
      throw new ConnectionsError(
        'invalid_request',
        `Invalid request: ${foreign} constraints do not apply to a ${record.provider} connection.`,
        {
          details: [
            {
              path: ['providerConstraints', foreign],
              message: family ? `this connection takes ${family} constraints` : 'this connection takes none',
            },
          ],
        },
      )
    }
  }
}

function ignoreNotFound(error: unknown): void {
  if (!(error instanceof ConnectionsError && error.code === 'not_found')) throw error
}
