import type { Connection, ProviderView } from 'express-connections'
import { html, type SafeHtml } from './html.js'
import { layout } from './layout.js'
import type { DemoUser } from './login.js'

export interface Banner {
  kind: 'error' | 'success'
  text: string
}

export interface SettingsView {
  user: DemoUser
  /** The catalogue with the user's status for each provider. */
  providers: ProviderView[]
  /** The user's connections (revoked ones excluded). */
  connections: Connection[]
  banner: Banner | null
  /** Provider id → the path the "Call API" button asks for through the proxy. */
  profilePaths: Readonly<Record<string, string>>
  /** Provider id → a line shown under its name. */
  notes: Readonly<Record<string, string>>
  /** `<app>/integrations/callback/`: what to register at a provider, plus its id. */
  callbackBase: string
  /** Real providers that are not configured: their names and environment variable prefixes. */
  unconfigured: ReadonlyArray<{ name: string; env: string }>
}

const STATUS_TEXT: Record<string, string> = {
  active: 'Active',
  needs_reauth: 'Needs re-auth',
  not_connected: 'Not connected',
  revoked: 'Revoked',
}

function badge(status: string): SafeHtml {
  return html`<span class="badge badge-${status}" data-status="${status}">${STATUS_TEXT[status] ?? status}</span>`
}

const when = (iso: string): string =>
  new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' })

function connectionRow(connection: Connection, profilePath: string | undefined): SafeHtml {
  const account = connection.accountEmail ?? connection.accountId
  const meta = [account === connection.label ? null : account, `connected ${when(connection.connectedAt)}`]
  const reauthClass = connection.status === 'needs_reauth' ? 'primary' : 'ghost'
  return html`<li class="connection" data-connection-id="${connection.id}">
    <div class="connection-head">
      <div class="connection-title">
        <strong class="connection-label">${connection.label}</strong>
        ${badge(connection.status)}
      </div>
      <p class="muted small">${meta.filter(Boolean).join(' · ')}</p>
      ${connection.statusReason ? html`<p class="reason small">${connection.statusReason}</p>` : null}
      <form class="relabel" hidden>
        <label class="visually-hidden" for="label-${connection.id}">Label</label>
        <input id="label-${connection.id}" name="label" value="${connection.label}" maxlength="100" required>
        <button class="button primary" type="submit">Save</button>
        <button class="button ghost" type="button" data-action="cancel-rename">Cancel</button>
      </form>
    </div>
    <div class="actions">
      ${profilePath ? html`<button class="button" type="button" data-action="call-api" data-path="${profilePath}">Call API</button>` : null}
      <button class="button ghost" type="button" data-action="rename">Rename</button>
      <button class="button ${reauthClass}" type="button" data-action="reauth">Reconnect</button>
      <button class="button danger" type="button" data-action="revoke">Revoke</button>
    </div>
    <div class="api-result" aria-live="polite" hidden></div>
  </li>`
}

interface CardProvider {
  id: string
  name: string
  scopes: string[]
  singleton: boolean
  status: string
  /** Whether the page can start a connection (OAuth providers that are configured). */
  connectable: boolean
  note?: string | undefined
}

function providerCard(
  provider: CardProvider,
  connections: Connection[],
  profilePaths: SettingsView['profilePaths'],
): SafeHtml {
  const { status } = provider
  const connected = connections.length > 0
  const connectText = !connected ? 'Connect' : provider.singleton ? 'Replace' : 'Connect another'
  const connectUrl = `/integrations/connect/${encodeURIComponent(provider.id)}?return_url=${encodeURIComponent('/settings')}`
  const connect = provider.connectable
    ? html`<a class="button ${connected ? 'ghost' : 'primary'}" href="${connectUrl}">${connectText}</a>`
    : null
  return html`<section class="card provider" data-provider="${provider.id}">
    <header class="provider-head">
      <span class="avatar" aria-hidden="true">${provider.name.slice(0, 1).toUpperCase()}</span>
      <div class="provider-title">
        <h2>${provider.name}</h2>
        <p class="muted small">${provider.scopes.length > 0 ? `Scopes: ${provider.scopes.join(', ')}` : null}</p>
      </div>
      ${badge(status)}
      ${connect}
    </header>
    ${provider.note ? html`<p class="note small muted">${provider.note}</p>` : null}
    ${connected ? html`<ul class="connections">${connections.map((c) => connectionRow(c, profilePaths[c.provider]))}</ul>` : null}
  </section>`
}

/** The connections settings screen: every provider, its status, and what can be done with each connection. */
export function settingsPage(view: SettingsView): SafeHtml {
  const known = new Set(view.providers.map((p) => p.id))
  // A connection of a provider that is no longer configured (its env vars removed) still shows.
  const orphans = view.connections.filter((c) => !known.has(c.provider))
  const cards = [
    ...view.providers.map((p) =>
      providerCard(
        {
          ...p,
          status: p.status ?? 'not_connected',
          connectable: p.kind === 'oauth2',
          note: view.notes[p.id],
        },
        view.connections.filter((c) => c.provider === p.id),
        view.profilePaths,
      ),
    ),
    ...[...new Set(orphans.map((c) => c.provider))].map((id) => {
      const mine = orphans.filter((c) => c.provider === id)
      const name = mine[0]?.providerName ?? id
      const status = mine.some((c) => c.status === 'active') ? 'active' : 'needs_reauth'
      const card = { id, name, scopes: [], singleton: false, status, connectable: false }
      return providerCard(card, mine, {})
    }),
  ]
  const banner = view.banner
  const body = html`<div class="page-head">
      <h1>Connections</h1>
      <p class="muted">Connect your accounts so that this app, and the agents acting for you, can use them.</p>
    </div>
    <div id="banner" class="banner ${banner ? `banner-${banner.kind}` : ''}" role="status" ${banner ? null : html`hidden`}>${banner?.text}</div>
    <div class="providers">${cards}</div>
    ${unconfiguredHint(view.unconfigured, view.callbackBase)}`
  return layout({ title: 'Connections', body, user: view.user, script: true })
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
