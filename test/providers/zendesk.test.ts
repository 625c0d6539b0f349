import { afterEach, describe, expect, it } from 'vitest'
import { bindConnectionParams } from '../../src/providers/connection-params.js'
import { zendesk } from '../../src/providers/presets/zendesk.js'
import { type FakeProvider, startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake, type PresetRun } from '../support/preset-flow.js'

let fake: FakeProvider | undefined
let run: PresetRun | undefined

afterEach(async () => {
  await run?.close()
  await fake?.close()
  run = undefined
  fake = undefined
})

/** The app of one account (a fixed subdomain), pointed at the fake. */
function acmeThrough(fake: FakeProvider) {
  return zendesk({
    clientId: 'acme_connector',
    clientSecret: 'zd-secret-CANARY',
    subdomain: 'acme',
    endpoints: { ...fake.endpoints, apiBaseUrl: fake.url },
  })
}

describe('zendesk preset', () => {
  it('exchanges the code as JSON and names the account from /users/me.json', async () => {
    // https://developer.zendesk.com/api-reference/ticketing/oauth/grant_type_tokens/
    fake = await startFakeProvider({
      token: () => ({
        access_token: 'gErypPlm4dOVgGRvA1ZzMH5MQ3nLo8bo-CANARY',
        refresh_token: '31048ba4d7c601302f3173f243da835f-CANARY',
        token_type: 'bearer',
        scope: 'read',
        expires_in: 172800,
        refresh_token_expires_in: 7776000,
      }),
      // https://developer.zendesk.com/api-reference/ticketing/users/users/#show-self
      userInfo: () => ({
        user: { id: 35436, name: 'Johnny Agent', email: 'johnny@example.com', role: 'agent' },
      }),
    })
    run = await connectThroughFake(acmeThrough(fake), fake)

    expect(run.authorization.get('scope')).toBe('read')
    expect(fake.tokenRequests[0]?.headers['content-type']).toBe('application/json')
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({
      method: 'post',
      clientId: 'acme_connector',
      clientSecret: 'zd-secret-CANARY',
    })
    expect(run.connection).toMatchObject({
      provider: 'zendesk',
      accountId: '35436',
      accountEmail: 'johnny@example.com',
      grantedScopes: ['read'],
      metadata: { subdomain: 'acme' },
    })
    const lifetime = Date.parse(run.connection.expiresAt ?? '') - Date.now()
    expect(lifetime).toBeGreaterThan(172700_000)
    expect(lifetime).toBeLessThanOrEqual(172800_000)
  })

  it('asks for expiring tokens on the code exchange and on the refresh (expires_in), or older clients get tokens that never expire', async () => {
    // https://support.zendesk.com/hc/en-us/articles/9182123625370 (read 2026-12-07)
    let calls = 0
    fake = await startFakeProvider({
      token: (request) => ({
        access_token: `zd-${request.form.grant_type}-CANARY`,
        refresh_token: `zd-rt-${request.form.grant_type}-CANARY`,
        token_type: 'bearer',
        scope: 'read',
        expires_in: 1800,
        refresh_token_expires_in: 2592000,
      }),
      userInfo: () => ({ user: { id: 35436, email: 'johnny@example.com', name: 'Johnny Agent' } }),
      routes: {
        '/tickets.json': () =>
          ++calls === 1 ? { status: 401, body: { error: 'invalid_token' } } : { tickets: [] },
      },
    })
    run = await connectThroughFake(acmeThrough(fake), fake)
    const tickets = await run.app.router.connections.fetch('ana', run.connection.id, '/tickets.json')
    expect(tickets.status).toBe(200)
    expect(
      fake.tokenRequests.map((r) => [r.form.grant_type, r.form.expires_in, r.form.refresh_token_expires_in]),
    ).toEqual([
      ['authorization_code', '1800', '2592000'],
      ['refresh_token', '1800', '2592000'],
    ])
  })

  it('connects two accounts through one provider, each by its own subdomain, and refuses a subdomain outside the pattern with nothing sent', async () => {
    fake = await startFakeProvider({
      token: (request) => ({
        access_token: `zd-${request.tenant}-CANARY`,
        token_type: 'bearer',
        scope: 'read',
        expires_in: 1800,
      }),
      userInfo: (request) => ({
        user: { id: request.tenant === 'acme' ? 1 : 2, email: `agent@${request.tenant}.example` },
      }),
    })
    const template = `${fake.url}/t/{subdomain}`
    const provider = zendesk({
      clientId: 'global_connector',
      clientSecret: 'zd-secret-CANARY',
      endpoints: {
        authorizationUrl: `${template}/authorize`,
        tokenUrl: `${template}/token`,
        userInfoUrl: `${template}/userinfo`,
        apiBaseUrl: template,
      },
    })
    run = await connectThroughFake(provider, fake, { query: { subdomain: 'acme' } })
    const second = await connectThroughFake(provider, fake, { query: { subdomain: 'initech' }, app: run.app })
    expect(run.connection).toMatchObject({
      params: { subdomain: 'acme' },
      accountId: '1',
      metadata: { subdomain: 'acme' },
    })
    expect(second.connection).toMatchObject({ params: { subdomain: 'initech' }, accountId: '2' })
    expect(fake.tokenRequests.map((r) => r.tenant)).toEqual(['acme', 'initech'])
    expect(fake.userInfoRequests.map((r) => r.tenant)).toEqual(['acme', 'initech'])

    const sent = fake.requests.length
    for (const subdomain of ['evil.com/x', 'acme.zendesk.com', '-acme', 'a b', '']) {
      const response = await fetch(
        `${run.app.mount}/connect/zendesk?subdomain=${encodeURIComponent(subdomain)}`,
        {
          headers: { 'x-user': 'ana' },
          redirect: 'manual',
        },
      )
      expect(response.status, subdomain).toBe(400)
      expect(((await response.json()) as { error: { message: string } }).error.message).toContain('subdomain')
    }
    expect(fake.requests).toHaveLength(sent)
  })

  it("fills the account's URLs from the subdomain and refuses anything else", () => {
    const provider = zendesk({ clientId: 'a', clientSecret: 'b', subdomain: 'Acme-Support' })
    expect(provider.authorizationUrl).toBe('https://{subdomain}.zendesk.com/oauth/authorizations/new')
    const bound = bindConnectionParams(provider, {})
    expect(bound.authorizationUrl).toBe('https://acme-support.zendesk.com/oauth/authorizations/new')
    expect(bound.tokenUrl).toBe('https://acme-support.zendesk.com/oauth/tokens')
    expect(bound.userInfoUrl).toBe('https://acme-support.zendesk.com/api/v2/users/me.json')
    expect(bound.apiBaseUrl).toBe('https://acme-support.zendesk.com/api/v2')
    expect(bindConnectionParams(provider, { subdomain: 'globex' }).tokenUrl).toBe(
      'https://globex.zendesk.com/oauth/tokens',
    )
    for (const subdomain of ['', 'acme.zendesk.com', 'evil.com/x', '-acme', 'a b']) {
      expect(() => zendesk({ clientId: 'a', clientSecret: 'b', subdomain })).toThrow(/subdomain/)
      expect(() => bindConnectionParams(provider, { subdomain })).toThrow(/subdomain/)
    }
  })
})
