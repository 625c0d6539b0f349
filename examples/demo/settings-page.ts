import type { UiScript } from 'express-connections'
import { html, type SafeHtml } from './html.js'
import { layout } from './layout.js'
import type { DemoUser } from './login.js'

export interface SettingsView {
  user: DemoUser
  /** The elements' script the router serves (`ui: true`): its hashed path and integrity. */
  ui: UiScript
  /** `<app>/integrations/callback/`: what to register at a provider, plus its id. */
  callbackBase: string
  /** Real providers that are not configured: their names and environment variable prefixes. */
  unconfigured: ReadonlyArray<{ name: string; env: string }>
}

/**
 * The connections settings screen: the host's own chrome around `<connections-panel>`, which does
 * the rest (providers, connect, rename, reconnect, revoke, tools) against the router's API.
 */
export function settingsPage(view: SettingsView): SafeHtml {
  const body = html`<div class="page-head">
      <p class="muted">Connect your accounts so that this app, and the agents acting for you, can use them.
        Local OAuth is bundled with the demo: a real OAuth server on this machine (any name, any password).</p>
    </div>
    <connections-panel></connections-panel>
    ${unconfiguredHint(view.unconfigured, view.callbackBase)}`
  return layout({
    title: 'Connections',
    body,
    user: view.user,
    script: { src: `/integrations/${view.ui.path}`, integrity: view.ui.integrity },
  })
}

function unconfiguredHint(unconfigured: SettingsView['unconfigured'], callbackBase: string): SafeHtml | null {
  const [first] = unconfigured
  if (!first) return null
  const id = first.env.toLowerCase()
  return html`<aside class="hint small muted">
    <p><strong>More providers.</strong> ${unconfigured.map((p) => p.name).join(', ')} appear here once their
      OAuth app's client id and secret are set: <code>${first.env}_CLIENT_ID</code> and
      <code>${first.env}_CLIENT_SECRET</code>, and so on.</p>
    <p>Register <code>${callbackBase}${id}</code> as the app's redirect URI.
      See <code>examples/demo/README.md</code>.</p>
  </aside>`
}
