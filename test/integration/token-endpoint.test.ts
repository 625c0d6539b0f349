import { describe, expect, it } from 'vitest'
import { providers } from '../../src/index.js'
import { fetchProviderJson } from '../../src/oauth/profile.js'
import { createTokenEndpoint } from '../../src/oauth/token-client.js'
import { checkRequest } from '../../src/providers/credentials/define.js'
import { startFakeProvider } from '../support/fake-provider.js'
import { startHugeAnswers } from '../support/http-fakes.js'

describe('calls to a token endpoint', () => {
  it('never follow a redirect, so the client secret and the code go only where they were sent', async () => {
    const elsewhere = await startFakeProvider({ token: () => ({ access_token: 'stolen-CANARY' }) })
    const provider = await startFakeProvider({
      token: () => ({ status: 307, headers: { location: `${elsewhere.url}/token` }, body: '' }),
    })
    const acme = providers.oauth2({
      id: 'acme',
      authorizationUrl: provider.endpoints.authorizationUrl,
      tokenUrl: provider.endpoints.tokenUrl,
      clientId: 'id',
      clientSecret: 'redirect-canary-secret-CANARY',
    })
    const endpoint = createTokenEndpoint(2000)
    await expect(endpoint.exchange(acme, 'code-1', { code_verifier: 'v' })).rejects.toMatchObject({
      code: 'provider_error',
    })
    await expect(endpoint.refresh(acme, 'refresh-1')).rejects.toMatchObject({ code: 'provider_error' })
    expect(provider.tokenRequests).toHaveLength(2)
    expect(elsewhere.requests).toHaveLength(0)
  })

  it('refuses a token, profile or credentials-check answer over 1 MiB, with or without a length, and stops reading', async () => {
    const big = await startHugeAnswers()
    const url = big.url
    try {
      const acme = providers.oauth2({
        id: 'acme',
        authorizationUrl: `${url}/authorize`,
        tokenUrl: `${url}/token-chunked`,
        clientId: 'id',
        clientSecret: 'secret',
      })
      const tooLarge = { code: 'provider_error', message: expect.stringMatching(/more than 1 MiB/) }
      await expect(createTokenEndpoint(5000).exchange(acme, 'code', {})).rejects.toMatchObject(tooLarge)
      await expect(fetchProviderJson(acme, 'token', `${url}/me`, {}, 5000)).rejects.toMatchObject(tooLarge)
      await expect(checkRequest('Acme', `${url}/check-chunked`, { timeoutMs: 5000 })).rejects.toMatchObject(
        tooLarge,
      )
      expect(big.sent()).toBeLessThan(16 * 1024 * 1024)
    } finally {
      await big.close()
    }
  })
})
