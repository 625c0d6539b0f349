import { afterEach, describe, expect, it } from 'vitest'
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
    const provider = zendesk({
      clientId: 'acme_connector',
      clientSecret: 'zd-secret-CANARY',
      subdomain: 'acme',
      endpoints: { ...fake.endpoints, apiBaseUrl: fake.url },
    })
    run = await connectThroughFake(provider, fake)

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

  it("builds the account's URLs from the subdomain and refuses anything else", () => {
    const provider = zendesk({ clientId: 'a', clientSecret: 'b', subdomain: 'Acme-Support' })
    expect(provider.authorizationUrl).toBe('https://acme-support.zendesk.com/oauth/authorizations/new')
    expect(provider.tokenUrl).toBe('https://acme-support.zendesk.com/oauth/tokens')
    expect(provider.userInfoUrl).toBe('https://acme-support.zendesk.com/api/v2/users/me.json')
    expect(provider.apiBaseUrl).toBe('https://acme-support.zendesk.com/api/v2')
    for (const subdomain of ['', 'acme.zendesk.com', 'evil.com/x', '-acme', 'a b']) {
      expect(() => zendesk({ clientId: 'a', clientSecret: 'b', subdomain })).toThrow(/subdomain/)
    }
  })
})
