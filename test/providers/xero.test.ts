import { describe, expect, it } from 'vitest'
import { xero } from '../../src/providers/presets/xero.js'
import { startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

describe('xero preset', () => {
  it('authenticates with Basic, reads the user and the organisation, and revokes at Xero', async () => {
    // https://developer.xero.com/documentation/guides/oauth2/auth-flow/#3-exchange-the-code
    const fake = await startFakeProvider({
      token: () => ({
        id_token: 'eyJhbGciOiJSUzI1NiJ9.e30.sig-CANARY',
        access_token: 'eyJhbGciOiJSUzI1NiJ9.access.sig-CANARY',
        expires_in: 1800,
        token_type: 'Bearer',
        refresh_token: 'fa7b1e0fd2e2a1bfb7b2e4b2a0e6d5c0-CANARY',
        scope: 'openid profile email offline_access accounting.invoices',
      }),
      userInfo: () => ({
        sub: 'b9a5b3b1e3b24a7e8f1c0d2e3f4a5b6c',
        xero_userid: '6d9c8b3a-1f2e-4d5c-9b8a-7c6d5e4f3a2b',
        given_name: 'Ana',
        family_name: 'Lima',
        email: 'ana@acme.co.nz',
        preferred_username: 'ana@acme.co.nz',
      }),
      routes: {
        // https://developer.xero.com/documentation/guides/oauth2/auth-flow/#5-check-the-tenants-youre-authorized-to-access
        '/connections': () => [
          {
            id: '1b5c2a8e-5f4d-4e3c-8b2a-1c0d9e8f7a6b',
            authEventId: 'd99ecdfe-391d-43d2-b834-17636ba90e8d',
            tenantId: 'a3a4dbaf-3495-4b8f-a0f3-7fd1b1b7c4d9',
            tenantType: 'PRACTICE',
            tenantName: 'Acme Practice',
            createdDateUtc: '2024-05-01T10:00:00.0000000',
            updatedDateUtc: '2024-05-01T10:00:00.0000000',
          },
          {
            id: 'e1eede29-f875-4a5d-8470-17f6a29a88b1',
            authEventId: 'd99ecdfe-391d-43d2-b834-17636ba90e8d',
            tenantId: '70784a63-d24b-46a9-a4db-0e70a274b056',
            tenantType: 'ORGANISATION',
            tenantName: 'Maple Florists Ltd',
            createdDateUtc: '2024-05-01T10:00:00.0000000',
            updatedDateUtc: '2024-05-01T10:00:00.0000000',
          },
        ],
      },
    })
    const provider = xero({
      clientId: 'XERO-ID',
      clientSecret: 'xero-secret-CANARY',
      endpoints: { ...fake.endpoints, apiBaseUrl: `${fake.url}/api.xro/2.0` },
    })
    const run = await connectThroughFake(provider, fake)

    // accounting.transactions is refused for apps created since 2026-03-02: the granular scope replaces it.
    expect(run.authorization.get('scope')).toBe('openid profile email offline_access accounting.invoices')
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({
      method: 'basic',
      clientId: 'XERO-ID',
      clientSecret: 'xero-secret-CANARY',
    })
    expect(fake.requests.find((r) => r.path === '/connections')?.headers.authorization).toBe(
      'Bearer eyJhbGciOiJSUzI1NiJ9.access.sig-CANARY',
    )
    expect(run.connection).toMatchObject({
      provider: 'xero',
      accountId: '6d9c8b3a-1f2e-4d5c-9b8a-7c6d5e4f3a2b',
      accountEmail: 'ana@acme.co.nz',
      grantedScopes: ['openid', 'profile', 'email', 'offline_access', 'accounting.invoices'],
      metadata: {
        tenantId: '70784a63-d24b-46a9-a4db-0e70a274b056',
        tenantName: 'Maple Florists Ltd',
      },
    })
    expect(run.connection.metadata.tenants).toHaveLength(2)
    // API calls carry the connection's organisation.
    await run.app.router.connections.fetch('ana', 'xero', '/Invoices')
    const call = fake.requests.find((r) => r.path.endsWith('/Invoices'))
    expect(call?.headers['xero-tenant-id']).toBe(run.connection.metadata.tenantId)
    const lifetime = Date.parse(run.connection.expiresAt ?? '') - Date.now()
    expect(lifetime).toBeGreaterThan(1700_000)
    expect(lifetime).toBeLessThanOrEqual(1800_000)

    await run.app.router.connections.revoke('ana', run.connection.id)
    expect(fake.revocations.map((r) => r.form.token).sort()).toEqual([
      'eyJhbGciOiJSUzI1NiJ9.access.sig-CANARY',
      'fa7b1e0fd2e2a1bfb7b2e4b2a0e6d5c0-CANARY',
    ])
    expect(fake.revocations.every((r) => r.basic?.clientId === 'XERO-ID')).toBe(true)
  })

  it('asks for none of the broad scopes Xero refuses to apps created since 2026-03-02', () => {
    const scopes = xero({ clientId: 'a', clientSecret: 'b' }).scopes
    expect(scopes).not.toContain('accounting.transactions')
    expect(scopes).not.toContain('accounting.reports.read')
    expect(scopes).toContain('accounting.invoices')
  })
})
