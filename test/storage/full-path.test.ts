import { randomUUID } from 'node:crypto'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { localProvider } from '../support/app.js'
import { isActive, sleep } from '../support/as-client.js'
import { backends } from '../support/backends.js'
import { connect } from '../support/flows.js'
import { useOAuthSuite } from '../support/suite.js'

/**
 * The whole life of a connection through the router on each backend of the conformance suite, against
 * oidc-provider: connect, refresh, proxy, revoke, and the audit trail at its default 90-day retention.
 */

// Access tokens live 2 s: a second later one is in its refresh window.
const suite = useOAuthSuite({ accessTokenTtl: 2 })

describe.each(backends)('$name', (backend) => {
  it('the full path: connect → refresh → proxy → revoke, and the audit trail of it', async () => {
    const handle = await backend.create(`path-${backend.name}-${randomUUID()}`)
    try {
      const app = await suite.appWith({
        keyv: handle.keyv,
        authorize: () => true,
        providers: [localProvider(suite.oauth, { apiBaseUrl: suite.oauth.issuer })],
      })
      const id = await connect(app, 'ana')
      const first = await app.router.connections.getAccessToken('ana', id)

      await sleep(1100)
      const refreshes = suite.oauth.grants.refreshToken
      const refreshed = await app.router.connections.getAccessToken('ana', id)
      expect(suite.oauth.grants.refreshToken).toBe(refreshes + 1)
      expect(refreshed.accessToken).not.toBe(first.accessToken)

      const userinfo = new URL(suite.oauth.userInfoUrl).pathname
      const me = await request(app.url)
        .get(`/integrations/connections/${id}/proxy${userinfo}`)
        .set('x-user', 'ana')
      expect(me.status).toBe(200)
      expect(me.body).toMatchObject({ sub: 'ana' })

      const revoked = await request(app.url)
        .post(`/integrations/connections/${id}/revoke`)
        .set('x-user', 'ana')
      expect(revoked.status).toBe(200)
      expect(await isActive(suite.oauth, refreshed.accessToken)).toBe(false)

      const { entries } = await app.router.connections.audit('ana', { connectionId: id })
      expect(entries.map((e) => [e.action, e.outcome])).toEqual([
        ['revoked', 'success'],
        ['proxy', 'success'],
        ['refreshed', 'success'],
        // One token entry per actor and minute (tokenAuditIntervalMs).
        ['token', 'success'],
        ['created', 'success'],
      ])
      expect(entries[0]?.detail).toBe('revoked at the provider')
    } finally {
      await handle.close()
    }
  })
})
