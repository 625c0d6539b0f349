/**
 * express-connections/elements: web components over the typed client, built with lit (a peer
 * dependency here, so an app's bundler keeps one copy; the router's `/ui.js` has lit inside).
 * Call `defineConnectionsElements()` once, then use the tags in any page.
 */
import { AgentPolicies } from './agent-policies.js'
import { ApprovalsInbox } from './approvals-inbox.js'
import { ConnectionTools } from './connection-tools.js'
import { ConnectionsPanel } from './connections-panel.js'

export { AgentPolicies } from './agent-policies.js'
export { ApprovalsInbox } from './approvals-inbox.js'
export { ConnectionsElement } from './base.js'
export { ConnectionTools } from './connection-tools.js'
export { ConnectionsPanel } from './connections-panel.js'
export { defaultStrings, type StringKey, type Strings } from './strings.js'
export { themeStyles } from './theme.js'

const elements: Record<string, CustomElementConstructor> = {
  'connections-panel': ConnectionsPanel,
  'connection-tools': ConnectionTools,
  'approvals-inbox': ApprovalsInbox,
  'agent-policies': AgentPolicies,
}

/** Registers the tags (once; a tag another script already defined is left alone). */
export function defineConnectionsElements(registry: CustomElementRegistry = customElements): void {
  for (const [tag, element] of Object.entries(elements)) {
    if (!registry.get(tag)) registry.define(tag, element)
  }
}
