import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import type { ReadableStream as NodeReadableStream } from 'node:stream/web'
import Keyv from 'keyv'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ConnectionsError } from '../../src/core/errors.js'
import type { ConnectionRecord } from '../../src/core/model.js'
import { ProviderRegistry } from '../../src/core/provider-registry.js'
import { callProvider } from '../../src/core/proxy.js'
import { createPinnedFetch, resolver } from '../../src/core/resolve-guard.js'
import type { TokenManager } from '../../src/core/tokens.js'
import { isNonPublicAddress } from '../../src/core/url-policy.js'
import { Keyring } from '../../src/crypto/keyring.js'
import { InProcessLock } from '../../src/locks/lock.js'
import { fetchProviderJson, fetchUserInfo } from '../../src/oauth/profile.js'
import { createTokenEndpoint } from '../../src/oauth/token-client.js'
import { providers } from '../../src/providers/index.js'
import type { OAuth2Provider } from '../../src/providers/types.js'
import { CustomProviderStore } from '../../src/storage/custom-providers.js'
import { SafeStore } from '../../src/storage/safe-store.js'
import { providerRefusal } from '../support/refusal.js'

// Names under .test never resolve: the injected lookup decides where they point.
const BASE = 'https://sso.example.test'

/**
 * The registry as the router builds it under the default URL policy (with `createPinnedFetch()`),
 * holding one custom provider whose URLs are https on a name: everything publicHttpsOnly accepts.
 */
async function customProvider(guarded = true): Promise<OAuth2Provider> {
  const keyring = new Keyring([randomBytes(32).toString('base64')])
  const store = new CustomProviderStore(new SafeStore(new Keyv(), 5000), new InProcessLock(), keyring)
  await store.put(
    'org-1',
    {
      slug: 'acme-sso',
      name: 'Acme SSO',
      authorizationUrl: `${BASE}/authorize`,
      tokenUrl: `${BASE}/token`,
      userInfoUrl: `${BASE}/userinfo`,
      revocationUrl: `${BASE}/revoke`,
      apiBaseUrl: 'https://api.example.test/v1',
      scopes: ['openid'],
      tokenAuth: 'client_secret_post',
      clientId: 'acme-client',
      clientSecret: 'CANARY-custom-client-secret',
    },
    new Date(),
  )
  const registry = new ProviderRegistry(new Map(), store, guarded ? { customFetch: createPinnedFetch() } : {})
  await registry.load('org-1')
  const provider = registry.get('acme-sso', 'org-1')
  if (provider?.kind !== 'oauth2') throw new Error('no custom provider')
  return provider
}

const record = {
  id: 'conn-1',
  owner: 'org-1',
  provider: 'acme-sso',
  metadata: {},
  apiBaseUrl: null,
} as unknown as ConnectionRecord

const tokens = {
  accessToken: async (r: ConnectionRecord) => ({
    token: { accessToken: 'CANARY-access-token', tokenType: 'Bearer' },
    record: r,
  }),
} as unknown as TokenManager

/** Refused as provider_error, without saying which host or address. */
async function refusal(call: Promise<unknown>): Promise<ConnectionsError> {
  const error = await providerRefusal(call)
  expect(error.message).not.toMatch(/10\.0\.0\.7|example\.test/)
  return error
}

const originalLookup = resolver.lookup
afterEach(() => {
  resolver.lookup = originalLookup
  vi.restoreAllMocks()
})

describe('custom provider on a public name that resolves to a private address (default URL policy)', () => {
  it('is refused before anything is sent: code exchange, refresh, revocation, profile, lookup, proxy', async () => {
    const asked: string[] = []
    resolver.lookup = async (hostname) => {
      asked.push(hostname)
      return [{ address: '10.0.0.7', family: 4 }]
    }
    const sent = vi.spyOn(globalThis, 'fetch')
    try {
      const provider = await customProvider()
      const endpoint = createTokenEndpoint(1000)
      await refusal(endpoint.exchange(provider, 'CANARY-code', { redirect_uri: 'https://app.test/cb' }))
      await refusal(endpoint.refresh(provider, 'CANARY-refresh-token'))
      await refusal(endpoint.revoke(provider, 'CANARY-access-token', 'access_token'))
      await refusal(fetchUserInfo(provider, 'CANARY-access-token', 1000))
      await refusal(fetchProviderJson(provider, 'CANARY-access-token', `${BASE}/sites`, {}, 1000))
      await refusal(callProvider(tokens, provider, record, '/me', {}, { actor: 'org-1', timeoutMs: 1000 }))
      expect(sent).not.toHaveBeenCalled()
      expect(asked).toEqual([
        'sso.example.test',
        'sso.example.test',
        'sso.example.test',
        'sso.example.test',
        'sso.example.test',
        'api.example.test',
      ])
    } finally {
      resolver.lookup = originalLookup
    }
  })

  it('is refused when the name resolves to a public and a metadata address; a public-only answer goes on to connect', async () => {
    resolver.lookup = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '169.254.169.254', family: 4 },
    ]
    const sent = vi.spyOn(globalThis, 'fetch')
    try {
      const provider = await customProvider()
      await refusal(fetchUserInfo(provider, 'CANARY-access-token', 1000))

      // TEST-NET-1 (RFC 5737): public by the classification, and never answers. The call gets past the
      // check and fails to connect instead.
      const asked: string[] = []
      resolver.lookup = async (hostname) => {
        asked.push(hostname)
        return [{ address: '192.0.2.1', family: 4 }]
      }
      await expect(fetchUserInfo(provider, 'CANARY-access-token', 500)).rejects.toMatchObject({
        code: 'provider_error',
        message: expect.stringMatching(/did not answer the profile request/),
      })
      expect(asked).toEqual(['sso.example.test'])
      expect(sent).not.toHaveBeenCalled()
    } finally {
      resolver.lookup = originalLookup
    }
  })

  it('is not checked when the registry has no guard (a host with its own customProviderUrls)', async () => {
    const lookup = vi.fn(async () => [{ address: '10.0.0.7', family: 4 }])
    resolver.lookup = lookup
    const sent = vi.spyOn(globalThis, 'fetch').mockResolvedValue(Response.json({ sub: 'ana' }))
    try {
      const provider = await customProvider(false)
      expect(provider.fetch).toBeUndefined()
      await expect(fetchUserInfo(provider, 'CANARY-access-token', 1000)).resolves.toEqual({ sub: 'ana' })
      expect(lookup).not.toHaveBeenCalled()
      expect(sent).toHaveBeenCalledOnce()
    } finally {
      resolver.lookup = originalLookup
    }
  })
})

describe('custom provider API calls through the pinned fetch', () => {
  it('stream the response as it arrives, as the proxy relays it (an undici Response through Readable.fromWeb)', async () => {
    let finish = () => {}
    const finished = new Promise<void>((resolve) => {
      finish = resolve
    })
    const api = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'x-ratelimit-remaining': '41' })
      res.write(`first:${req.headers.authorization === 'Bearer CANARY-access-token'}\n`)
      void finished.then(() => res.end('last\n'))
    })
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve))
    const { port } = api.address() as AddressInfo
    try {
      const provider = {
        ...providers.oauth2({
          id: 'acme-sso',
          authorizationUrl: `${BASE}/authorize`,
          tokenUrl: `${BASE}/token`,
          apiBaseUrl: `http://api.example.test:${port}/v1`,
          clientId: 'acme-client',
          clientSecret: 'CANARY-custom-client-secret',
          allowInsecureHttp: true,
        }),
        // Loopback stands in for a public address here.
        fetch: createPinnedFetch({
          lookup: async () => [{ address: '127.0.0.1', family: 4 }],
          isRefused: (address) => address !== '127.0.0.1' && isNonPublicAddress(address),
        }),
      }
      const { response } = await callProvider(
        tokens,
        provider,
        record,
        '/files/1',
        {},
        {
          actor: 'org-1',
          timeoutMs: 1000,
        },
      )
      expect(response.status).toBe(200)
      const relayed: Record<string, string> = {}
      response.headers.forEach((value, name) => {
        relayed[name] = value
      })
      expect(relayed).toMatchObject({ 'content-type': 'text/plain', 'x-ratelimit-remaining': '41' })
      const body = Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>)
      // The first chunk arrives while the provider is still sending.
      const [first] = (await once(body, 'data')) as [Buffer]
      expect(first.toString()).toBe('first:true\n')
      finish()
      const rest: Buffer[] = []
      for await (const chunk of body) rest.push(chunk as Buffer)
      expect(Buffer.concat(rest).toString()).toBe('last\n')
    } finally {
      finish()
      api.closeAllConnections()
      await new Promise((resolve) => api.close(resolve))
    }
  })
})
