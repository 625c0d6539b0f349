import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit'
import type {
  Agent,
  Connection,
  Policy,
  PolicyRulesInput,
  ProviderConstraintsInput,
} from '../client/index.js'
import { ConnectionsElement } from './base.js'
import {
  allowlistText,
  LineError,
  parseAllowlist,
  parseRateLimits,
  parseTimeWindows,
  rateLimitsText,
  timeWindowsText,
} from './policy-text.js'
import type { StringKey } from './strings.js'

const MODES = ['read_only', 'read_write'] as const
const STEP_UPS = ['never', 'risk_based', 'always'] as const

/**
 * `<agent-policies agent-id="…">`: what one agent may do with each connection it is bound to —
 * execution models, mode, step-up approvals, allowlists, rate limits, time windows and provider
 * constraints. Without `agent-id` it offers the owner's agents to choose from.
 */
export class AgentPolicies extends ConnectionsElement {
  static override properties: PropertyDeclarations = {
    ...ConnectionsElement.properties,
    agentId: { attribute: 'agent-id' },
    agents: { state: true },
    policies: { state: true },
  }

  declare agentId: string | undefined
  declare agents: Agent[]
  declare policies: Policy[]
  #connections = new Map<string, Connection>()

  constructor() {
    super()
    this.agents = []
    this.policies = []
  }

  protected override async load(): Promise<void> {
    const agentId = this.agentId || undefined
    const [agents, policies, connections] = await Promise.all([
      this.api.agents.list(),
      agentId ? this.api.policies.list({ agentId }) : Promise.resolve([]),
      this.api.connections.list(),
    ])
    this.agents = agents
    this.policies = policies
    this.#connections = new Map(connections.map((c) => [c.id, c]))
  }

  #choose(event: Event): void {
    this.agentId = (event.target as HTMLSelectElement).value
    void this.reload()
  }

  #save(policy: Policy, event: SubmitEvent): Promise<void> {
    event.preventDefault()
    const form = new FormData(event.target as HTMLFormElement)
    const text = (name: string) => String(form.get(name) ?? '')
    return this.act(async () => {
      const rules: PolicyRulesInput = {
        allowedModels: (['A', 'B'] as const).filter((m) => form.get(`model-${m}`) === 'on'),
        defaultMode: text('defaultMode') as Policy['defaultMode'],
        stepUpApproval: text('stepUpApproval') as Policy['stepUpApproval'],
        allowlists: this.#parse('allowlists', () => parseAllowlist(text('allowlists'))),
        rateLimits: this.#parse('rateLimits', () => parseRateLimits(text('rateLimits'))),
        timeWindows: this.#parse('timeWindows', () => parseTimeWindows(text('timeWindows'))),
      }
      const constraints = this.#parse('providerConstraints', () =>
        JSON.parse(text('providerConstraints').trim() || '{}'),
      ) as ProviderConstraintsInput
      await this.api.policies.update(policy.id, rules)
      await this.api.policies.setProviderConstraints(policy.id, constraints)
      return this.t('saved')
    })
  }

  #parse<T>(field: StringKey, parse: () => T): T {
    try {
      return parse()
    } catch (error) {
      const line = error instanceof LineError ? error : new LineError(1, (error as Error).message)
      throw new Error(this.t('invalidLine', { line: line.line, field: this.t(field), text: line.text }))
    }
  }

  override render(): TemplateResult {
    const agentName = this.agents.find((a) => a.id === this.agentId)?.name
    return html`<section aria-labelledby="ec-policies-title">
      <h2 id="ec-policies-title">${this.t('policiesTitle')}</h2>
      ${this.renderState()}
      ${this.#agentPicker()}
      ${
        this.agentId && !this.loading && !this.error && this.policies.length === 0
          ? html`<p class="muted">${this.t('noPolicies')}</p>`
          : nothing
      }
      <ul>
        ${this.policies.map((policy) => this.#policy(policy, agentName ?? policy.agentName))}
      </ul>
    </section>`
  }

  #agentPicker(): TemplateResult | typeof nothing {
    if (!this.loading && this.agents.length === 0) return html`<p class="muted">${this.t('noAgents')}</p>`
    return html`<div class="row field">
      <label for="ec-agent">${this.t('agent')}</label>
      <select id="ec-agent" @change=${(e: Event) => this.#choose(e)}>
        <option value="" ?selected=${!this.agentId}>${this.t('chooseAgent')}</option>
        ${this.agents.map((a) => html`<option value=${a.id} ?selected=${a.id === this.agentId}>${a.name}</option>`)}
      </select>
    </div>`
  }

  #policy(policy: Policy, agent: string): TemplateResult {
    const c = this.#connections.get(policy.connectionId)
    const connection = c ? `${c.providerName}: ${c.label}` : policy.connectionId
    const id = (name: string) => `ec-${policy.id}-${name}`
    const area = (name: 'allowlists' | 'rateLimits' | 'timeWindows' | 'providerConstraints', value: string) =>
      html`<label for=${id(name)}>${this.t(name)}</label>
        <textarea id=${id(name)} name=${name} rows="3" .value=${value}></textarea>`
    return html`<li class="card policy" data-policy-id=${policy.id} data-connection-id=${policy.connectionId}>
      <form aria-labelledby=${id('title')} @submit=${(e: SubmitEvent) => this.#save(policy, e)}>
        <h3 id=${id('title')}>${this.t('policyFor', { agent, connection })}</h3>
        <fieldset>
          <legend>${this.t('models')}</legend>
          ${(['A', 'B'] as const).map(
            (m) => html`<label>
              <input type="checkbox" name=${`model-${m}`} .checked=${policy.allowedModels.includes(m)} />
              ${this.t(m === 'A' ? 'modelA' : 'modelB')}
            </label>`,
          )}
        </fieldset>
        <div class="row field">
          <label for=${id('mode')}>${this.t('mode')}</label>
          <select id=${id('mode')} name="defaultMode">
            ${MODES.map((m) => html`<option value=${m} ?selected=${policy.defaultMode === m}>${this.t(`mode_${m}`)}</option>`)}
          </select>
          <label for=${id('stepUp')}>${this.t('stepUp')}</label>
          <select id=${id('stepUp')} name="stepUpApproval">
            ${STEP_UPS.map((s) => html`<option value=${s} ?selected=${policy.stepUpApproval === s}>${this.t(`stepUp_${s}`)}</option>`)}
          </select>
        </div>
        ${area('allowlists', allowlistText(policy.allowlists))}
        ${area('rateLimits', rateLimitsText(policy.rateLimits))}
        ${area('timeWindows', timeWindowsText(policy.timeWindows))}
        ${area(
          'providerConstraints',
          Object.keys(policy.providerConstraints).length > 0
            ? JSON.stringify(policy.providerConstraints)
            : '',
        )}
        <button type="submit" class="primary">${this.t('savePolicy')}</button>
      </form>
    </li>`
  }
}
