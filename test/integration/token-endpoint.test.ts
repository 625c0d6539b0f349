import { describe, expect, it } from 'vitest'
import { providers } from '../../src/index.js'
import { createTokenEndpoint } from '../../src/oauth/token-client.js'
import { startFakeProvider } from '../support/fake-provider.js'

describe('calls to a token endpoint', () => {
  it('never follow a redirect, so the client secret and the code go only where they were sent', async () => {
    const elsewhere = await startFakeProvider({ token: () => ({ access_token: 'stolen' }) })
    const provider = await startFakeProvider({
      token: () => ({ status: 307, headers: { location: `${elsewhere.url}/token` }, body: '' }),
    })
    const acme = providers.oauth2({
      id: 'acme',
      authorizationUrl: provider.endpoints.authorizationUrl,
      tokenUrl: provider.endpoints.tokenUrl,
      clientId: 'id',
      clientSecret: 'redirect-canary-secret',
    })
    const endpoint = createTokenEndpoint(2000)
    await expect(endpoint.exchange(acme, 'code-1', { code_verifier: 'v' })).rejects.toMatchObject({
      code: 'provider_error',
    })
    await expect(endpoint.refresh(acme, 'refresh-1')).rejects.toMatchObject({ code: 'provider_error' })
    expect(provider.tokenRequests).toHaveLength(2)
    expect(elsewhere.requests).toHaveLength(0)
  })
})
