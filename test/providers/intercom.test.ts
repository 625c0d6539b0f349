import { describe, expect, it } from 'vitest'
import { intercom } from '../../src/providers/presets/intercom.js'
import { startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

describe('intercom preset', () => {
  it('connects with a token that does not expire and names the admin and workspace from /me', async () => {
    // https://developers.intercom.com/docs/build-an-integration/learn-more/authentication/setting-up-oauth
    const fake = await startFakeProvider({
      token: () => ({
        token_type: 'Bearer',
        token: 'dG9rOmNkZmYwYjE3-CANARY',
        access_token: 'dG9rOmNkZmYwYjE3-CANARY',
      }),
      // https://developers.intercom.com/docs/references/rest-api/api.intercom.io/admins/identifyadmin
      userInfo: () => ({
        type: 'admin',
        id: '991267464',
        email: 'ana@example.com',
        name: 'Ana',
        email_verified: true,
        app: { type: 'app', id_code: 'x1fy0mcu', name: 'Acme Support', region: 'US' },
      }),
    })
    const provider = intercom({
      clientId: 'ic-id',
      clientSecret: 'ic-secret-CANARY',
      endpoints: { ...fake.endpoints, apiBaseUrl: fake.url },
    })
    const run = await connectThroughFake(provider, fake)

    // Permissions live in the app's settings: no scope is asked for.
    expect(run.authorization.get('scope') ?? '').toBe('')
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({
      method: 'post',
      clientId: 'ic-id',
      clientSecret: 'ic-secret-CANARY',
    })
    expect(run.connection).toMatchObject({
      provider: 'intercom',
      accountId: '991267464',
      accountEmail: 'ana@example.com',
      grantedScopes: [],
      expiresAt: null,
      metadata: { appId: 'x1fy0mcu', appName: 'Acme Support' },
    })
    const token = await run.app.router.connections.getAccessToken('ana', 'intercom')
    expect(token).toMatchObject({ accessToken: 'dG9rOmNkZmYwYjE3-CANARY', expiresAt: null })
  })

  it('takes the token from `token` when access_token is missing', () => {
    const provider = intercom({ clientId: 'a', clientSecret: 'b' })
    expect(provider.parseTokenResponse({ token_type: 'Bearer', token: 'dG9r-CANARY' })).toMatchObject({
      access_token: 'dG9r-CANARY',
    })
  })
})
