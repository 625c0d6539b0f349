import { randomUUID } from 'node:crypto'
import type { ConnectionRecord } from '../../src/core/model.js'
import type { OAuthServer } from './oauth-server.js'

/** A connection record as the store holds one, without secrets: tests seal or set them as they need. */
export function connectionRecord(overrides: Partial<ConnectionRecord> = {}): ConnectionRecord {
  const now = new Date().toISOString()
  return {
    version: 1,
    id: randomUUID(),
    owner: 'ana',
    provider: 'acme',
    label: 'Acme',
    status: 'active',
    statusReason: null,
    accountId: 'acct-1',
    accountEmail: null,
    grantedScopes: [],
    metadata: {},
    expiresAt: null,
    connectedAt: now,
    lastRefreshedAt: null,
    lastUsedAt: null,
    createdAt: now,
    updatedAt: now,
    secrets: null,
    ...overrides,
  }
}

/** A custom provider registration pointing at the test authorization server. */
export function customProviderRegistration(oauth: OAuthServer, slug = 'acme-sso') {
  return {
    slug,
    name: 'Acme SSO',
    authorizationUrl: oauth.authorizationUrl,
    tokenUrl: oauth.tokenUrl,
    userInfoUrl: oauth.userInfoUrl,
    revocationUrl: oauth.revocationUrl,
    scopes: ['openid', 'email', 'offline_access'],
    clientId: oauth.clientId,
    clientSecret: oauth.clientSecret,
  }
}
