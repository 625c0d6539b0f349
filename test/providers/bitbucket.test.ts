import { describe, expect, it } from 'vitest'
import { bitbucket } from '../../src/providers/presets/bitbucket.js'
import { startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

// https://developer.atlassian.com/cloud/bitbucket/oauth-2/ (the answer names the scopes `scopes`)
const tokenAnswer = () => ({
  access_token: 'ZJAvfxJ8DBLxq4n0mO6Y3Qm8xUcKdlO8Ww==-CANARY',
  scopes: 'account email',
  expires_in: 7200,
  refresh_token: 'E4ZqbGm2wqMpvg7XK8-CANARY',
  token_type: 'bearer',
  state: 'authorization_code',
})

// https://developer.atlassian.com/cloud/bitbucket/rest/api-group-users/#api-user-get
const user = () => ({
  type: 'user',
  account_id: '557058:c0b72ad0-1cb5-4018-9cdc-0cde8492c443',
  uuid: '{d301aafa-d676-4ee0-88be-962be7417567}',
  display_name: 'Ana Lima',
  nickname: 'ana',
})

describe('bitbucket preset', () => {
  it('authenticates with Basic, reads `scopes`, and takes the primary email from /user/emails', async () => {
    const fake = await startFakeProvider({
      token: tokenAnswer,
      userInfo: user,
      routes: {
        // https://developer.atlassian.com/cloud/bitbucket/rest/api-group-users/#api-user-emails-get
        '/user/emails': () => ({
          pagelen: 10,
          page: 1,
          size: 2,
          values: [
            { type: 'email', email: 'old@example.com', is_primary: false, is_confirmed: true },
            { type: 'email', email: 'ana@example.com', is_primary: true, is_confirmed: true },
          ],
        }),
      },
    })
    const provider = bitbucket({
      clientId: 'bb-key',
      clientSecret: 'bb-secret-CANARY',
      endpoints: { ...fake.endpoints, apiBaseUrl: fake.url },
    })
    const run = await connectThroughFake(provider, fake)

    expect(run.authorization.get('scope')).toBe('account email')
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({
      method: 'basic',
      clientId: 'bb-key',
      clientSecret: 'bb-secret-CANARY',
    })
    expect(run.connection).toMatchObject({
      provider: 'bitbucket',
      accountId: '557058:c0b72ad0-1cb5-4018-9cdc-0cde8492c443',
      accountEmail: 'ana@example.com',
      grantedScopes: ['account', 'email'],
      metadata: { uuid: '{d301aafa-d676-4ee0-88be-962be7417567}', nickname: 'ana' },
    })
    const lifetime = Date.parse(run.connection.expiresAt ?? '') - Date.now()
    expect(lifetime).toBeGreaterThan(7100_000)
    expect(lifetime).toBeLessThanOrEqual(7200_000)
  })

  it('still connects, without an email, when /user/emails is refused', async () => {
    const fake = await startFakeProvider({
      token: () => ({ ...tokenAnswer(), scopes: 'account' }),
      userInfo: user,
      routes: {
        '/user/emails': () => ({ status: 403, body: { type: 'error', error: { message: 'scope' } } }),
      },
    })
    const provider = bitbucket({
      clientId: 'bb-key',
      clientSecret: 'bb-secret-CANARY',
      endpoints: { ...fake.endpoints, apiBaseUrl: fake.url },
    })
    const run = await connectThroughFake(provider, fake)
    expect(run.connection).toMatchObject({
      accountId: '557058:c0b72ad0-1cb5-4018-9cdc-0cde8492c443',
      accountEmail: null,
      grantedScopes: ['account'],
    })
  })
})
