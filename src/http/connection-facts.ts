import type { ConnectionRecord } from '../core/model.js'
import type { ConnectionFacts, ProviderFamily } from '../policy/index.js'
import type { HttpContext } from './context.js'

// A stop-gap until presets declare `family`, `readOnlyScopes` and `reads` (the policies work replaces it).
const FAMILY: Readonly<Record<string, ProviderFamily>> = {
  telegram: 'telegram',
  slack: 'slack',
  microsoft: 'teams',
  sharepoint: 'teams',
}

/** What the decision needs to know of a connection and its provider. */
export function connectionFactsOf(_ctx: HttpContext, record: ConnectionRecord): ConnectionFacts {
  const family = FAMILY[record.provider] ?? null
  const tenantId = record.metadata.tenantId
  return {
    providerId: record.provider,
    family,
    grantedScopes: record.grantedScopes,
    readOnlyScopes: [],
    reads: [],
    // Slack's Web API and Telegram's Bot API run writes by GET too.
    readsOnlyDeclared: family === 'slack' || family === 'telegram',
    tenantId: typeof tenantId === 'string' ? tenantId : null,
  }
}
