import { describe, expect, it } from 'vitest'
import { sleep } from '../support/as-client.js'
import { connect } from '../support/flows.js'
import type { TokenEndpointFault } from '../support/oauth-server.js'
import { useOAuthSuite } from '../support/suite.js'

/**
 * A token endpoint that keeps refusing a refresh with one OAuth error other than `invalid_grant`, the
 * way @jmondi/oauth2-server answers the refresh of a grant revoked at the server (400
 * `{"error":"invalid_request","error_description":…}`): the test server's switch gives that answer.
 */

let fault: TokenEndpointFault | undefined
// Tokens live 1 s, so a test has an expired one by waiting a little over a second.
const suite = useOAuthSuite({ accessTokenTtl: 1, tokenEndpointFault: () => fault })

const quiet = { warn: () => undefined, error: () => undefined }
const jmondiRevokedGrant: TokenEndpointFault = {
  status: 400,
  body: { error: 'invalid_request', error_description: 'Cannot verify the refresh token' },
}

describe('a refresh refused again and again with the same OAuth error', () => {
  it('ends in needs_reauth with the reason after three refusals, and emits refresh_failed', async () => {
    const app = await suite.appWith({
      authorize: () => true,
      logger: { warn: () => undefined, error: () => undefined },
    })
    const id = await connect(app, 'ana')
    await sleep(1100)
    fault = jmondiRevokedGrant
    try {
      const statuses: number[] = []
      const before = suite.oauth.faults.answered
      // Between refusals the connection backs off (about 1 s, then 2 s); each request in between
      // answers at once without asking the server.
      const deadline = Date.now() + 15_000
      while (Date.now() < deadline) {
        const response = await fetch(`${app.mount}/connections/${id}/token`, { headers: { 'x-user': 'ana' } })
        statuses.push(response.status)
        if (response.status !== 502) break
        await sleep(200)
      }
      expect(statuses.at(-1)).toBe(409)
      expect(new Set(statuses.slice(0, -1))).toEqual(new Set([502]))
      expect(suite.oauth.faults.answered - before).toBe(3)
      const connection = await app.router.connections.get('ana', id)
      expect(connection.status).toBe('needs_reauth')
      expect(connection.statusReason).toMatch(/3 times in a row \(invalid_request\)/)
      expect(app.events.filter((e) => e.type === 'connection.refresh_failed')).toHaveLength(1)
      // Re-authorized, the connection starts afresh: its refusals are forgotten.
      expect([...app.raw.keys()].filter((key) => key.includes('refresh-backoff:connection:'))).toEqual([])
    } finally {
      fault = undefined
    }
  }, 30_000)

  it.each([
    ['invalid_client, which says this app is misconfigured', 401, 'invalid_client'],
    ['slow_down with a 429, which is about the rate', 429, 'slow_down'],
    ['temporarily_unavailable, which says the server is busy', 400, 'temporarily_unavailable'],
  ])(
    'never ends a connection for %s',
    async (_name, status, error) => {
      const app = await suite.appWith({ authorize: () => true, logger: quiet })
      const id = await connect(app, 'ana')
      await sleep(1100)
      fault = { status, body: { error } }
      try {
        const before = suite.oauth.faults.answered
        while (suite.oauth.faults.answered - before < 3) {
          const response = await fetch(`${app.mount}/connections/${id}/token`, {
            headers: { 'x-user': 'ana' },
          })
          expect(response.status).toBe(502)
          await sleep(200)
        }
        expect((await app.router.connections.get('ana', id)).status).toBe('active')
      } finally {
        fault = undefined
      }
    },
    30_000,
  )
})
