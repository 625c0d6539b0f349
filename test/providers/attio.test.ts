import { describe, expect, it } from 'vitest'
import { attio } from '../../src/providers/presets/attio.js'
import { endpointsWithout, startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

describe('attio preset', () => {
  it('names no scopes, keeps a non-expiring token and makes the workspace the account', async () => {
    const fake = await startFakeProvider({
      // https://docs.attio.com/docs/oauth/token (read 2026-12-07)
      token: () => ({ access_token: 'attio-7b3a1f0e6c2d4e5f-CANARY', token_type: 'Bearer' }),
      // https://docs.attio.com/rest-api/endpoint-reference/meta/identify (read 2026-12-07)
      userInfo: () => ({
        active: true,
        scope: 'record_permission:read object_configuration:read',
        client_id: 'a8e54b4a-2b7f-4d6c-9c0e-2f1a3b4c5d6e',
        token_type: 'Bearer',
        exp: null,
        iat: 1764000000,
        sub: '14beef7a-99f7-4534-a87e-70b564330a4c',
        aud: 'a8e54b4a-2b7f-4d6c-9c0e-2f1a3b4c5d6e',
        iss: 'attio.com',
        authorized_by_workspace_member_id: '50cf242c-7fa3-4cad-87d0-75b1af71c57b',
        workspace_id: '14beef7a-99f7-4534-a87e-70b564330a4c',
        workspace_name: 'Acme Sales',
        workspace_slug: 'acme-sales',
        workspace_logo_url: null,
      }),
    })
    const provider = attio({
      clientId: 'a8e54b4a-2b7f-4d6c-9c0e-2f1a3b4c5d6e',
      clientSecret: 'attio-secret-CANARY',
      endpoints: endpointsWithout(fake, 'revocationUrl'),
    })
    const run = await connectThroughFake(provider, fake)

    expect(run.authorization.has('scope')).toBe(false)
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({
      method: 'post',
      clientId: 'a8e54b4a-2b7f-4d6c-9c0e-2f1a3b4c5d6e',
      clientSecret: 'attio-secret-CANARY',
    })
    expect(fake.userInfoRequests[0]?.headers.authorization).toBe('Bearer attio-7b3a1f0e6c2d4e5f-CANARY')
    expect(run.connection).toMatchObject({
      provider: 'attio',
      accountId: '14beef7a-99f7-4534-a87e-70b564330a4c',
      accountEmail: null,
      label: 'Acme Sales',
      expiresAt: null,
      metadata: {
        workspaceId: '14beef7a-99f7-4534-a87e-70b564330a4c',
        workspaceSlug: 'acme-sales',
        authorizedBy: '50cf242c-7fa3-4cad-87d0-75b1af71c57b',
      },
    })
    await run.app.router.connections.revoke('ana', run.connection.id)
    expect(fake.revocations).toHaveLength(0)
  })

  it('points at app.attio.com for OAuth and api.attio.com/v2 for the API', () => {
    const provider = attio({ clientId: 'a', clientSecret: 'b' })
    expect(provider.authorizationUrl).toBe('https://app.attio.com/authorize')
    expect(provider.tokenUrl).toBe('https://app.attio.com/oauth/token')
    expect(provider.userInfoUrl).toBe('https://api.attio.com/v2/self')
    expect(provider.apiBaseUrl).toBe('https://api.attio.com/v2')
    expect(provider.scopes).toEqual([])
  })
})
