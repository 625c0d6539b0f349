import { html, type TemplateResult } from 'lit'

export function statusBadge(status: string, text: string): TemplateResult {
  return html`<span class="badge" data-status=${status}>${text}</span>`
}
