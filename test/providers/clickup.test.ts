import { describe, expect, it } from 'vitest'
import { clickup } from '../../src/providers/presets/clickup.js'
import { startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

describe('clickup preset', () => {
  it('connects without scopes, with a token that does not expire, named from /user', async () => {
    // https://developer.clickup.com/reference/getaccesstoken
    const fake = await startFakeProvider({
      token: () => ({ access_token: '12345678_9a7c0e9e8f1b2c3d4e5f-CANARY' }),
      // https://developer.clickup.com/reference/getauthorizeduser
      userInfo: () => ({
        user: {
          id: 123,
          username: 'John Doe',
          email: 'johndoe@gmail.com',
          color: '#000000',
          profilePicture: 'https://attachments-public.clickup.com/profilePictures/123_abc.jpg',
        },
      }),
    })
    const provider = clickup({
      clientId: 'CU-ID',
      clientSecret: 'cu-secret-CANARY',
      endpoints: { ...fake.endpoints, apiBaseUrl: fake.url },
    })
    const run = await connectThroughFake(provider, fake)

    expect(run.authorization.get('scope') ?? '').toBe('')
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({
      method: 'post',
      clientId: 'CU-ID',
      clientSecret: 'cu-secret-CANARY',
    })
    expect(run.connection).toMatchObject({
      provider: 'clickup',
      accountId: '123',
      accountEmail: 'johndoe@gmail.com',
      grantedScopes: [],
      expiresAt: null,
    })
  })
})
