import { html, LitElement, type PropertyDeclarations, type TemplateResult } from 'lit'
import { type ConnectionsClient, ConnectionsClientError, createConnectionsClient } from '../client/index.js'
import { format, type StringKey, type Strings } from './strings.js'
import { themeStyles } from './theme.js'

/**
 * What the three elements share: the client (made from `base-url`, or given as `.client`), the
 * strings (`.strings`), the theme attribute, and the loading / error state. No element keeps or
 * shows a secret: the router's answers to a signed-in user carry none.
 */
export class ConnectionsElement extends LitElement {
  /** Where the router is mounted when no `base-url` is set (ui.js sets it to where it was served from). */
  static defaultBaseUrl: string | undefined

  static override properties: PropertyDeclarations = {
    baseUrl: { attribute: 'base-url' },
    theme: { reflect: true },
    strings: { attribute: false },
    client: { attribute: false },
    loading: { state: true },
    error: { state: true },
    notice: { state: true },
  }

  static override styles = [themeStyles]

  declare baseUrl: string | undefined
  /** `light` or `dark`; unset follows `prefers-color-scheme`. */
  declare theme: 'light' | 'dark' | undefined
  declare strings: Strings | undefined
  /** A client of the page's own (its headers, its fetch); default: one for `base-url`. */
  declare client: ConnectionsClient | undefined
  declare loading: boolean
  declare error: string | null
  declare notice: { text: string; error: boolean } | null
  #client: { baseUrl: string; client: ConnectionsClient } | undefined

  constructor() {
    super()
    this.loading = true
    this.error = null
    this.notice = null
  }

  protected get api(): ConnectionsClient {
    if (this.client) return this.client
    const baseUrl = this.baseUrl ?? ConnectionsElement.defaultBaseUrl ?? ''
    if (this.#client?.baseUrl !== baseUrl)
      this.#client = { baseUrl, client: createConnectionsClient({ baseUrl }) }
    return this.#client.client
  }

  protected t(key: StringKey, values?: Record<string, string | number>): string {
    return format(this.strings, key, values)
  }

  override connectedCallback(): void {
    super.connectedCallback()
    void this.reload()
  }

  /** Loads everything again (the elements call it after each change). */
  async reload(): Promise<void> {
    try {
      await this.load()
      this.error = null
    } catch (error) {
      this.error = this.t('loadFailed', { message: messageOf(error) })
    } finally {
      this.loading = false
    }
  }

  protected async load(): Promise<void> {}

  /** Runs a user's action: shows its outcome as a notice, then reloads. */
  protected async act(action: () => Promise<string | undefined>): Promise<void> {
    try {
      const text = await action()
      this.notice = text ? { text, error: false } : null
    } catch (error) {
      this.notice = { text: this.t('actionFailed', { message: messageOf(error) }), error: true }
    }
    await this.reload()
    this.dispatchEvent(new CustomEvent('connections-change', { bubbles: true, composed: true }))
  }

  /** The loading line, the load error with a retry, and the last action's notice. */
  protected renderState(): TemplateResult {
    return html`${this.loading ? html`<p class="muted" role="status">${this.t('loading')}</p>` : null}
      ${
        this.error
          ? html`<div class="notice error" role="alert">
            <p>${this.error}</p>
            <button type="button" @click=${() => this.reload()}>${this.t('retry')}</button>
          </div>`
          : null
      }
      <div role="status" aria-live="polite">
        ${this.notice ? html`<p class="notice ${this.notice.error ? 'error' : ''}">${this.notice.text}</p>` : null}
      </div>`
  }
}

export function messageOf(error: unknown): string {
  if (error instanceof ConnectionsClientError) return error.message
  return error instanceof Error ? error.message : String(error)
}
