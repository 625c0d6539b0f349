import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit'
import type { Agent, Approval, Connection } from '../client/index.js'
import { ConnectionsElement } from './base.js'

const MAX_INTERVAL_MS = 60_000

/**
 * `<approvals-inbox>`: the calls agents wait on, with what each asks, to approve or deny. It stays
 * current by polling (`interval` ms, default 5000; doubled after each failure up to a minute; paused
 * while the tab is hidden; stopped when the element leaves the page), and at once when the page
 * dispatches `connections-approval-requested` on `document` (from a push channel of its own).
 */
export class ApprovalsInbox extends ConnectionsElement {
  static override properties: PropertyDeclarations = {
    ...ConnectionsElement.properties,
    interval: { type: Number },
    approvals: { state: true },
  }

  declare interval: number
  declare approvals: Approval[]
  #agents = new Map<string, string>()
  #connections = new Map<string, string>()
  #timer: ReturnType<typeof setTimeout> | undefined
  #delay = 0
  #onSignal = () => void this.#poll()

  constructor() {
    super()
    this.interval = 5000
    this.approvals = []
  }

  override connectedCallback(): void {
    super.connectedCallback()
    document.addEventListener('connections-approval-requested', this.#onSignal)
    document.addEventListener('visibilitychange', this.#onSignal)
    this.#delay = this.interval
    this.#schedule()
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback()
    clearTimeout(this.#timer)
    this.#timer = undefined
    document.removeEventListener('connections-approval-requested', this.#onSignal)
    document.removeEventListener('visibilitychange', this.#onSignal)
  }

  #schedule(): void {
    clearTimeout(this.#timer)
    if (!this.isConnected) return
    this.#timer = setTimeout(() => void this.#poll(), this.#delay)
  }

  async #poll(): Promise<void> {
    if (!this.isConnected) return
    if (document.visibilityState === 'hidden') return this.#schedule()
    await this.reload()
    // Backs off while the router does not answer; back to the interval once it does.
    this.#delay = this.error ? Math.min(this.#delay * 2, MAX_INTERVAL_MS) : this.interval
    this.#schedule()
  }

  protected override async load(): Promise<void> {
    const approvals = await this.api.approvals.list({ status: 'pending' })
    const unknownAgent = approvals.some((a) => !this.#agents.has(a.agentId))
    const unknownConnection = approvals.some((a) => !this.#connections.has(a.connectionId))
    const [agents, connections] = await Promise.all([
      unknownAgent ? this.api.agents.list().catch((): Agent[] => []) : [],
      unknownConnection ? this.api.connections.list().catch((): Connection[] => []) : [],
    ])
    for (const agent of agents) this.#agents.set(agent.id, agent.name)
    for (const c of connections) this.#connections.set(c.id, `${c.providerName}: ${c.label}`)
    this.approvals = approvals
  }

  #decide(approval: Approval, decision: 'approve' | 'deny'): Promise<void> {
    return this.act(async () => {
      const decided = await this.api.approvals[decision](approval.id)
      this.dispatchEvent(
        new CustomEvent('approval-decided', { detail: { approval: decided }, bubbles: true, composed: true }),
      )
      return this.t(decision === 'approve' ? 'approved' : 'denied', { summary: approval.request.summary })
    })
  }

  override render(): TemplateResult {
    const empty = !this.loading && !this.error && this.approvals.length === 0
    return html`<section aria-labelledby="ec-inbox-title">
      <h2 id="ec-inbox-title">${this.t('inboxTitle')}</h2>
      ${this.renderState()}
      ${empty ? html`<p class="muted">${this.t('noApprovals')}</p>` : nothing}
      <ul aria-live="polite">
        ${this.approvals.map((approval) => this.#approval(approval))}
      </ul>
    </section>`
  }

  #approval(approval: Approval): TemplateResult {
    const agent = this.#agents.get(approval.agentId) ?? approval.agentId
    const connection = this.#connections.get(approval.connectionId) ?? approval.connectionId
    const headingId = `ec-approval-${approval.id}`
    const target = approval.request.tool ?? approval.request.path ?? ''
    return html`<li class="card approval" data-approval-id=${approval.id} aria-labelledby=${headingId}>
      <h3 id=${headingId}>${this.t('approvalFor', { agent, connection })}</h3>
      <p><code>${approval.request.method} ${target}</code></p>
      <p class="summary">${approval.request.summary}</p>
      <p class="muted">${this.t('approvalReason', { reason: approval.reason })}</p>
      <p class="muted">
        ${this.t('approvalExpires', { time: new Date(approval.expiresAt).toLocaleTimeString() })}
      </p>
      <div class="row">
        <button type="button" class="primary" aria-describedby=${headingId} @click=${() => this.#decide(approval, 'approve')}>
          ${this.t('approve')}
        </button>
        <button type="button" class="danger" aria-describedby=${headingId} @click=${() => this.#decide(approval, 'deny')}>
          ${this.t('deny')}
        </button>
      </div>
    </li>`
  }
}
