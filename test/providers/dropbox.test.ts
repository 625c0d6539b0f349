import { describe, expect, it } from 'vitest'
import { dropbox } from '../../src/providers/presets/dropbox.js'
import { endpointsWithout, startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

describe('dropbox preset', () => {
  it('asks for offline access, reads the account with a POST and does not call a revocation endpoint', async () => {
    // https://www.dropbox.com/developers/documentation/http/documentation#oauth2-token
    const fake = await startFakeProvider({
      token: () => ({
        access_token: 'sl.BXYZ-short-lived-CANARY',
        expires_in: 14400,
        token_type: 'bearer',
        scope: 'account_info.read files.metadata.read',
        refresh_token: 'dbx-refresh-CANARY',
        account_id: 'dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc',
        uid: '12345',
      }),
      // https://www.dropbox.com/developers/documentation/http/documentation#users-get_current_account
      userInfo: () => ({
        account_id: 'dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc',
        name: {
          given_name: 'Franz',
          surname: 'Ferdinand',
          familiar_name: 'Franz',
          display_name: 'Franz Ferdinand (Personal)',
          abbreviated_name: 'FF',
        },
        email: 'franz@dropbox.com',
        email_verified: true,
        disabled: false,
        country: 'US',
        locale: 'en',
        account_type: { '.tag': 'basic' },
      }),
    })
    const provider = dropbox({
      clientId: 'dbx-key',
      clientSecret: 'dbx-secret-CANARY',
      endpoints: { ...endpointsWithout(fake, 'revocationUrl'), apiBaseUrl: fake.url },
    })
    const run = await connectThroughFake(provider, fake)

    expect(run.authorization.get('token_access_type')).toBe('offline')
    expect(run.authorization.get('scope')).toBe('account_info.read files.metadata.read')
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({
      method: 'post',
      clientId: 'dbx-key',
      clientSecret: 'dbx-secret-CANARY',
    })
    expect(fake.userInfoRequests[0]?.method).toBe('POST')
    expect(fake.userInfoRequests[0]?.headers.authorization).toBe('Bearer sl.BXYZ-short-lived-CANARY')
    expect(run.connection).toMatchObject({
      provider: 'dropbox',
      accountId: 'dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc',
      accountEmail: 'franz@dropbox.com',
      label: 'franz@dropbox.com',
      grantedScopes: ['account_info.read', 'files.metadata.read'],
    })
    const lifetime = Date.parse(run.connection.expiresAt ?? '') - Date.now()
    expect(lifetime).toBeGreaterThan(14300_000)
    expect(lifetime).toBeLessThanOrEqual(14400_000)

    // Dropbox's /2/auth/token/revoke is not RFC 7009: the connection is revoked here only.
    expect(dropbox({ clientId: 'a', clientSecret: 'b' }).revocationUrl).toBeNull()
    const { connection } = await run.app.router.connections.revoke('ana', run.connection.id)
    expect(connection.status).toBe('revoked')
    expect(fake.revocations).toHaveLength(0)
  })
})
