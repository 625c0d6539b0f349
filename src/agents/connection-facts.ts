import type { ConnectionRecord } from '../core/model.js'
import type { ConnectionFacts } from '../policy/model.js'
import type { Provider } from '../providers/types.js'

/**
 * What a policy decision knows of a connection: its preset's facts (family, read-only scopes, declared
 * reads) and the record's (granted scopes, the Microsoft tenant). The agent never supplies any of it.
 */
export function connectionFacts(
  provider: Provider,
  record: Pick<ConnectionRecord, 'provider' | 'grantedScopes' | 'metadata'>,
): ConnectionFacts {
  const tenantId = record.metadata.tenantId
  return {
    providerId: record.provider,
    family: provider.family,
    grantedScopes: record.grantedScopes,
    readOnlyScopes: provider.readOnlyScopes,
    reads: provider.reads,
    readsOnlyDeclared: provider.readsOnlyDeclared,
    tenantId: typeof tenantId === 'string' ? tenantId : null,
  }
}
