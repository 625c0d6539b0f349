import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit'
import type { Connection, Provider } from '../client/index.js'
import { ConnectionsElement } from './base.js'
import { statusBadge } from './parts.js'

/**
 * `<connections-panel>`: the providers with their status, and the user's connections with connect,
 * reconnect, rename, revoke and their tools (`<connection-tools>`). After a connect or reconnect the
 * router sends the browser back to `return-url` (default: this page) and the panel reports the outcome.
 */
export class ConnectionsPanel extends ConnectionsElement {
  static override properties: PropertyDeclarations = {
    ...ConnectionsElement.properties,
    returnUrl: { attribute: 'return-url' },
    providers: { state: true },
    connections: { state: true },
    renaming: { state: true },
    confirming: { state: true },
    toolsOpen: { state: true },
  }

  declare returnUrl: string | undefined
  declare providers: Provider[]
  declare connections: Connection[]
  declare renaming: string | null
  declare confirming: string | null
  declare toolsOpen: string | null
  #connectedId: string | null = null

  constructor() {
    super()
    this.providers = []
    this.connections = []
    this.renaming = null
    this.confirming = null
    this.toolsOpen = null
  }

  override connectedCallback(): void {
    this.notice = this.#flowOutcome()
    super.connectedCallback()
  }

  protected override async load(): Promise<void> {
    const [providers, connections] = await Promise.all([
      this.api.providers.list(),
      this.api.connections.list(),
    ])
    this.providers = providers
    this.connections = connections.filter((c) => c.status !== 'revoked')
    const connected = this.connections.find((c) => c.id === this.#connectedId)
    this.#connectedId = null
    if (connected)
      this.notice = {
        text: this.t('connected', { provider: connected.providerName, label: connected.label }),
        error: false,
      }
  }

  /** What the router added to the return URL (`connection_id`, or `error` + `error_description`), taken off it. */
  #flowOutcome(): ConnectionsElement['notice'] {
    const url = new URL(location.href)
    const error = url.searchParams.get('error')
    const description = url.searchParams.get('error_description')
    const connected = url.searchParams.get('connection_id')
    if (!error && !connected) return null
    for (const name of ['error', 'error_description', 'connection_id']) url.searchParams.delete(name)
    history.replaceState(history.state, '', url)
    if (error) return { text: this.t('connectFailed', { message: description ?? error }), error: true }
    this.#connectedId = connected
    return null
  }

  #returnTo(): string {
    return this.returnUrl ?? location.href
  }

  #connect(provider: Provider): void {
    location.assign(this.api.connections.connectUrl(provider.id, { return_url: this.#returnTo() }))
  }

  #reconnect(connection: Connection): Promise<void> {
    return this.act(async () => {
      const pending = await this.api.connections.reauth(connection.id, { returnUrl: this.#returnTo() })
      location.assign(pending.authorizationUrl)
      return undefined
    })
  }

  #rename(connection: Connection, event: SubmitEvent): Promise<void> {
    event.preventDefault()
    const input = (event.target as HTMLFormElement).elements.namedItem('label') as HTMLInputElement
    const label = input.value.trim()
    return this.act(async () => {
      await this.api.connections.label(connection.id, label)
      this.renaming = null
      return this.t('renamed', { label })
    })
  }

  #revoke(connection: Connection): Promise<void> {
    return this.act(async () => {
      await this.api.connections.revoke(connection.id)
      this.confirming = null
      return this.t('revoked', { label: connection.label })
    })
  }

  /** Moves focus to the first control of what a click just opened (keyboard users land in it). */
  async #focusIn(selector: string): Promise<void> {
    await this.updateComplete
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus()
  }

  override render(): TemplateResult {
    return html`<section aria-labelledby="ec-panel-title">
      <h2 id="ec-panel-title">${this.t('panelTitle')}</h2>
      ${this.renderState()}
      <ul aria-label=${this.t('providerList')}>
        ${this.providers.map((provider) => this.#provider(provider))}
      </ul>
    </section>`
  }

  #provider(provider: Provider): TemplateResult {
    const mine = this.connections.filter((c) => c.provider === provider.id)
    const status = provider.status ?? 'not_connected'
    const headingId = `ec-provider-${provider.id}`
    return html`<li class="card" data-provider=${provider.id} aria-labelledby=${headingId}>
      <div class="row">
        <h3 id=${headingId} class="grow">${provider.name}</h3>
        ${statusBadge(status, this.t(`status_${status}`))}
        ${
          provider.kind === 'oauth2' && !(provider.singleton && mine.length > 0)
            ? html`<button
                type="button"
                class=${mine.length === 0 ? 'primary' : ''}
                aria-label=${`${this.t(mine.length === 0 ? 'connect' : 'connectAnother')}: ${provider.name}`}
                @click=${() => this.#connect(provider)}
              >
                ${this.t(mine.length === 0 ? 'connect' : 'connectAnother')}
              </button>`
            : nothing
        }
      </div>
      ${mine.length > 0 ? html`<ul>${mine.map((c) => this.#connection(c))}</ul>` : nothing}
    </li>`
  }

  #connection(c: Connection): TemplateResult {
    const account = c.accountEmail ?? c.accountId
    const toolsOpen = this.toolsOpen === c.id
    return html`<li class="connection" data-connection-id=${c.id}>
      <div class="row">
        <strong class="label grow">${c.label}</strong>
        ${statusBadge(c.status, this.t(`status_${c.status}`))}
      </div>
      ${account && account !== c.label ? html`<p class="muted">${this.t('account', { account })}</p>` : nothing}
      ${c.statusReason ? html`<p class="muted reason">${c.statusReason}</p>` : nothing}
      ${this.renaming === c.id ? this.#renameForm(c) : nothing}
      ${
        this.confirming === c.id
          ? html`<div class="row" role="group" aria-label=${this.t('revoke')}>
              <p class="grow">${this.t('revokeConfirm', { label: c.label, provider: c.providerName })}</p>
              <button type="button" class="danger" data-action="revoke-yes" @click=${() => this.#revoke(c)}>
                ${this.t('revokeYes')}
              </button>
              <button type="button" @click=${() => (this.confirming = null)}>${this.t('cancel')}</button>
            </div>`
          : nothing
      }
      <div class="row actions">
        <button type="button" aria-label=${`${this.t('rename')}: ${c.label}`} @click=${() => {
          this.renaming = c.id
          void this.#focusIn('input[name="label"]')
        }}>${this.t('rename')}</button>
        <button
          type="button"
          class=${c.status === 'needs_reauth' ? 'primary' : ''}
          aria-label=${`${this.t('reconnect')}: ${c.label}`}
          @click=${() => this.#reconnect(c)}
        >${this.t('reconnect')}</button>
        <button
          type="button"
          aria-expanded=${toolsOpen ? 'true' : 'false'}
          aria-label=${`${this.t('tools')}: ${c.label}`}
          @click=${() => (this.toolsOpen = toolsOpen ? null : c.id)}
        >${this.t('tools')}</button>
        <button type="button" class="danger" aria-label=${`${this.t('revoke')}: ${c.label}`} @click=${() => {
          this.confirming = c.id
          void this.#focusIn('[data-action="revoke-yes"]')
        }}>${this.t('revoke')}</button>
      </div>
      ${
        toolsOpen
          ? html`<connection-tools
              .client=${this.api}
              .strings=${this.strings}
              theme=${this.theme ?? nothing}
              connection-id=${c.id}
              connection-label=${c.label}
            ></connection-tools>`
          : nothing
      }
    </li>`
  }

  #renameForm(c: Connection): TemplateResult {
    const id = `ec-label-${c.id}`
    return html`<form class="row" @submit=${(e: SubmitEvent) => this.#rename(c, e)}>
      <label class="visually-hidden" for=${id}>${this.t('renameLabel', { label: c.label })}</label>
      <input id=${id} name="label" .value=${c.label} maxlength="100" required @keydown=${(
        e: KeyboardEvent,
      ) => {
        if (e.key === 'Escape') this.renaming = null
      }} />
      <button type="submit" class="primary">${this.t('save')}</button>
      <button type="button" @click=${() => (this.renaming = null)}>${this.t('cancel')}</button>
    </form>`
  }
}
