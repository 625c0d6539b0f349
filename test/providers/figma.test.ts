import { describe, expect, it } from 'vitest'
import { createTokenEndpoint } from '../../src/oauth/token-client.js'
import { figma } from '../../src/providers/presets/figma.js'
import { endpointsWithout, startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

describe('figma preset', () => {
  it('sends comma-separated scopes, authenticates with Basic and names the account from /v1/me', async () => {
    // https://developers.figma.com/docs/rest-api/authentication/ (token response: no scope field)
    const fake = await startFakeProvider({
      token: () => ({
        user_id_string: '1234567890123456789',
        access_token: 'figu_abc123-CANARY',
        token_type: 'bearer',
        expires_in: 7776000,
        refresh_token: 'figur_def456-CANARY',
      }),
      // https://developers.figma.com/docs/rest-api/users-endpoints/#get-me-endpoint
      userInfo: () => ({
        id: '1234567890123456789',
        email: 'designer@example.com',
        handle: 'Dee Signer',
        img_url: 'https://s3-alpha.figma.com/profile/abc',
      }),
    })
    const provider = figma({
      clientId: 'figma-id',
      clientSecret: 'figma-secret-CANARY',
      endpoints: { ...endpointsWithout(fake, 'revocationUrl'), apiBaseUrl: fake.url },
    })
    const run = await connectThroughFake(provider, fake)

    expect(run.authorization.get('scope')).toBe('current_user:read,file_content:read')
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({
      method: 'basic',
      clientId: 'figma-id',
      clientSecret: 'figma-secret-CANARY',
    })
    expect(run.connection).toMatchObject({
      provider: 'figma',
      accountId: '1234567890123456789',
      accountEmail: 'designer@example.com',
      grantedScopes: ['current_user:read', 'file_content:read'],
      metadata: { handle: 'Dee Signer' },
    })
    const lifetime = Date.parse(run.connection.expiresAt ?? '') - Date.now()
    expect(lifetime).toBeGreaterThan(7775900_000)
    expect(lifetime).toBeLessThanOrEqual(7776000_000)
    expect(figma({ clientId: 'a', clientSecret: 'b' }).revocationUrl).toBeNull()
  })

  it('refreshes at the separate refresh endpoint, with Basic', async () => {
    const fake = await startFakeProvider({
      token: () => ({ error: 'unexpected' }),
      routes: {
        '/refresh': () => ({ access_token: 'figu_new-CANARY', token_type: 'bearer', expires_in: 7776000 }),
      },
    })
    const provider = figma({
      clientId: 'figma-id',
      clientSecret: 'figma-secret-CANARY',
      endpoints: { tokenUrl: fake.endpoints.tokenUrl, refreshUrl: `${fake.url}/refresh` },
    })
    expect(figma({ clientId: 'a', clientSecret: 'b' }).refreshUrl).toBe(
      'https://api.figma.com/v1/oauth/refresh',
    )
    const tokens = await createTokenEndpoint(2000).refresh(provider, 'figur_def456-CANARY')
    expect(tokens.access_token).toBe('figu_new-CANARY')
    const sent = fake.requests.find((r) => r.path === '/refresh')
    expect(sent?.form).toMatchObject({ grant_type: 'refresh_token', refresh_token: 'figur_def456-CANARY' })
    expect(sent?.basic).toEqual({ clientId: 'figma-id', clientSecret: 'figma-secret-CANARY' })
  })
})
