import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit'
import type { ToolState } from '../client/index.js'
import { ConnectionsElement } from './base.js'

/** A field's default as typed: JSON when it parses (numbers, booleans, lists), else the text itself. */
function parseDefault(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

const shown = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value))

/**
 * `<connection-tools connection-id="…">`: a connection's tools, each with its on/off switch, and its
 * input fields' defaults and pins (a pinned field keeps its default: the agent cannot change it).
 * `<connections-panel>` opens it under a connection; a page may also use it alone.
 */
export class ConnectionTools extends ConnectionsElement {
  static override properties: PropertyDeclarations = {
    ...ConnectionsElement.properties,
    connectionId: { attribute: 'connection-id' },
    connectionLabel: { attribute: 'connection-label' },
    tools: { state: true },
    editing: { state: true },
  }

  declare connectionId: string
  declare connectionLabel: string | undefined
  declare tools: ToolState[]
  declare editing: string | null

  constructor() {
    super()
    this.tools = []
    this.editing = null
  }

  protected override async load(): Promise<void> {
    if (this.connectionId) this.tools = await this.api.tools.list(this.connectionId)
  }

  #toggle(tool: ToolState, isEnabled: boolean): Promise<void> {
    return this.act(async () => {
      await this.api.tools.update(this.connectionId, tool.slug, { isEnabled })
      return this.t(isEnabled ? 'toolOn' : 'toolOff', { tool: tool.displayName })
    })
  }

  #saveDefaults(tool: ToolState, event: SubmitEvent): Promise<void> {
    event.preventDefault()
    const form = new FormData(event.target as HTMLFormElement)
    const inputDefaults: Record<string, unknown> = {}
    const pinnedFields: string[] = []
    for (const field of fieldsOf(tool)) {
      const text = String(form.get(`default:${field}`) ?? '').trim()
      if (text !== '') inputDefaults[field] = parseDefault(text)
      if (form.get(`pin:${field}`) === 'on') pinnedFields.push(field)
    }
    return this.act(async () => {
      await this.api.tools.update(this.connectionId, tool.slug, { inputDefaults, pinnedFields })
      this.editing = null
      return this.t('saved')
    })
  }

  override render(): TemplateResult {
    const label = this.t('toolsOf', { label: this.connectionLabel ?? this.connectionId })
    return html`<section class="tools" aria-label=${label}>
      ${this.renderState()}
      ${!this.loading && !this.error && this.tools.length === 0 ? html`<p class="muted">${this.t('noTools')}</p>` : nothing}
      <ul>
        ${this.tools.map((tool) => this.#tool(tool))}
      </ul>
    </section>`
  }

  #tool(tool: ToolState): TemplateResult {
    const switchId = `ec-tool-${tool.slug}`
    const open = this.editing === tool.slug
    return html`<li class="card tool" data-tool=${tool.slug}>
      <div class="row">
        <input
          type="checkbox"
          role="switch"
          id=${switchId}
          .checked=${tool.isEnabled}
          @change=${(e: Event) => this.#toggle(tool, (e.target as HTMLInputElement).checked)}
        />
        <label class="grow" for=${switchId}><strong>${tool.displayName}</strong> <code>${tool.slug}</code></label>
        <span class="muted">${this.t('toolCounts', { defaults: tool.defaultCount, pins: tool.pinnedCount })}</span>
        <button
          type="button"
          aria-expanded=${open ? 'true' : 'false'}
          aria-label=${`${this.t('toolDefaults')}: ${tool.displayName}`}
          @click=${() => (this.editing = open ? null : tool.slug)}
        >${this.t('toolDefaults')}</button>
      </div>
      <p class="muted">${tool.description}</p>
      ${open ? this.#defaultsForm(tool) : nothing}
    </li>`
  }

  #defaultsForm(tool: ToolState): TemplateResult {
    return html`<form @submit=${(e: SubmitEvent) => this.#saveDefaults(tool, e)}>
      ${fieldsOf(tool).map((field) => {
        const id = `ec-${tool.slug}-${field}`
        const value = tool.inputDefaults[field]
        return html`<div class="row field">
          <label for=${id}>${this.t('fieldDefault', { field })}</label>
          <input id=${id} name=${`default:${field}`} .value=${value === undefined ? '' : shown(value)} />
          <label>
            <input type="checkbox" name=${`pin:${field}`} .checked=${tool.pinnedFields.includes(field)} />
            ${this.t('fieldPinned', { field })}
          </label>
        </div>`
      })}
      <button type="submit" class="primary">${this.t('saveTool', { tool: tool.displayName })}</button>
    </form>`
  }
}

/** The tool's input fields (top-level properties of its schema). */
function fieldsOf(tool: ToolState): string[] {
  const properties = tool.inputSchema.properties
  return properties && typeof properties === 'object' ? Object.keys(properties) : []
}
