import { describe, expect, it } from 'vitest'
import { providers } from '../../src/index.js'
import type { OAuth2Provider } from '../../src/providers/types.js'
import { startTestApp } from '../support/app.js'
import { type FakeProvider, startFakeProvider } from '../support/fake-provider.js'
import { connectThroughFake } from '../support/preset-flow.js'

const SHOP = /^[a-z0-9][a-z0-9-]{0,59}$/

/** A provider whose every URL names the account, pointed at the fake under `/t/{shop}`. */
function perShop(fake: FakeProvider, extra: Partial<Parameters<typeof providers.oauth2>[0]> = {}) {
  return providers.oauth2({
    id: 'shopish',
    name: 'Shopish',
    connectionParams: { shop: { pattern: SHOP, description: "the shop's name", example: 'acme' } },
    authorizationUrl: `${fake.url}/t/{shop}/authorize`,
    tokenUrl: `${fake.url}/t/{shop}/token`,
    userInfoUrl: `${fake.url}/t/{shop}/userinfo`,
    revocationUrl: `${fake.url}/t/{shop}/revoke`,
    apiBaseUrl: `${fake.url}/t/{shop}/api`,
    clientId: 'shop-app',
    clientSecret: 'shop-secret-CANARY',
    scopes: ['read'],
    ...extra,
  } as Parameters<typeof providers.oauth2>[0])
}

/** An app that can also start flows from server code (which needs its public URL and mount path). */
function appFor(fake: FakeProvider) {
  return startTestApp(null, {
    providers: [perShop(fake)],
    authorize: () => true,
    baseUrl: 'http://placeholder.invalid',
    mountPath: '/integrations',
  })
}

async function shopFake(): Promise<FakeProvider> {
  let issued = 0
  let calls = 0
  return startFakeProvider({
    token: (request) => ({
      access_token: `at-${request.tenant}-${++issued}-CANARY`,
      refresh_token: `rt-${request.tenant}-${issued}-CANARY`,
      token_type: 'Bearer',
      expires_in: 3600,
    }),
    userInfo: (request) => ({ id: `user-of-${request.tenant}`, email: `owner@${request.tenant}.example` }),
    routes: {
      // The first call is refused as if its token had been revoked early: the proxy refreshes once.
      '/api/orders': (request) =>
        ++calls === 1 ? { status: 401, body: { errors: 'expired' } } : { shop: request.tenant, orders: [] },
    },
  })
}

describe('per-connection URLs', () => {
  it('connects two shops through one provider, each connection calling its own URLs ever after', async () => {
    const fake = await shopFake()
    const provider = perShop(fake)
    const first = await connectThroughFake(provider, fake, { query: { shop: 'acme' } })
    const second = await connectThroughFake(provider, fake, { query: { shop: 'globex' }, app: first.app })

    expect(fake.authorizations).toHaveLength(2)
    expect(fake.tokenRequests.map((r) => r.tenant)).toEqual(['acme', 'globex'])
    expect(fake.userInfoRequests.map((r) => r.tenant)).toEqual(['acme', 'globex'])
    expect(first.connection).toMatchObject({ params: { shop: 'acme' }, accountId: 'user-of-acme' })
    expect(second.connection).toMatchObject({ params: { shop: 'globex' }, accountId: 'user-of-globex' })

    const api = first.app.router.connections
    const orders = await api.fetch('ana', second.connection.id, '/orders')
    expect(await orders.json()).toEqual({ shop: 'globex', orders: [] })

    // The API refused the first token: the proxy refreshed it at globex's own token endpoint.
    expect(fake.tokenRequests.map((r) => [r.tenant, r.form.grant_type])).toEqual([
      ['acme', 'authorization_code'],
      ['globex', 'authorization_code'],
      ['globex', 'refresh_token'],
    ])
    await api.revoke('ana', first.connection.id)
    expect(fake.revocations.map((r) => r.tenant)).toEqual(['acme', 'acme'])
    expect(fake.revocations.map((r) => r.form.token)).toEqual(['rt-acme-1-CANARY', 'at-acme-1-CANARY'])
    expect(fake.requests.some((r) => r.tenant === null)).toBe(false)
  })

  it('takes the params in a start body and from server code', async () => {
    const fake = await shopFake()
    const app = await appFor(fake)
    try {
      const started = await app.router.connections.start('ana', {
        provider: 'shopish',
        params: { shop: 'initech' },
      })
      expect(new URL(started.authorizationUrl).pathname).toBe('/t/initech/authorize')
      const response = await fetch(`${app.mount}/connections/start`, {
        method: 'POST',
        headers: { 'x-user': 'ana', 'content-type': 'application/json' },
        body: JSON.stringify({ provider: 'shopish', params: { shop: 'hooli' } }),
      })
      const body = (await response.json()) as { data: { authorizationUrl: string } }
      expect(response.status).toBe(201)
      expect(new URL(body.data.authorizationUrl).pathname).toBe('/t/hooli/authorize')
    } finally {
      await app.close()
    }
  })

  it('refuses a value outside the pattern, a missing one and an unknown name, with nothing stored or sent', async () => {
    const fake = await shopFake()
    const app = await appFor(fake)
    try {
      const before = app.raw.size
      const connect = (query: string) =>
        fetch(`${app.mount}/connect/shopish${query}`, { headers: { 'x-user': 'ana' }, redirect: 'manual' })
      for (const query of ['?shop=evil.com%2Fx', '?shop=a%40b', '?shop=..', '?shop=ACME%20x', '']) {
        const response = await connect(query)
        const body = (await response.json()) as { error: { code: string; message: string } }
        expect(response.status, query).toBe(400)
        expect(body.error.code).toBe('invalid_request')
        expect(body.error.message).toMatch(/shop .*the shop's name, e\.g\. "acme"/)
        expect(body.error.message).not.toContain('evil')
      }
      const unknown = await fetch(`${app.mount}/connections/start`, {
        method: 'POST',
        headers: { 'x-user': 'ana', 'content-type': 'application/json' },
        body: JSON.stringify({ provider: 'shopish', params: { shop: 'acme', host: 'evil.com' } }),
      })
      expect(unknown.status).toBe(400)
      expect(JSON.stringify(await unknown.json())).toContain('params.host')
      await expect(
        app.router.connections.start('ana', { provider: 'shopish', params: { shop: 'evil.com/x' } }),
      ).rejects.toMatchObject({ code: 'invalid_request' })
      expect(fake.requests).toHaveLength(0)
      expect(app.raw.size).toBe(before)
    } finally {
      await app.close()
    }
  })

  it('opens no connection whose params were changed in the store: the tokens are bound to them', async () => {
    const fake = await shopFake()
    const run = await connectThroughFake(perShop(fake), fake, { query: { shop: 'acme' } })
    for (const [key, value] of run.app.raw) {
      if (typeof value !== 'string' || !value.includes(run.connection.id) || !value.includes('"shop"'))
        continue
      run.app.raw.set(key, value.replace('"shop":"acme"', '"shop":"globex"'))
    }
    const sent = fake.requests.length
    await expect(run.app.router.connections.fetch('ana', run.connection.id, '/orders')).rejects.toMatchObject(
      {
        code: 'internal_error',
      },
    )
    expect(fake.requests).toHaveLength(sent)
  })
})

describe('connection param definitions', () => {
  const base = {
    id: 'x',
    clientId: 'c',
    clientSecret: 's',
    tokenUrl: 'https://{shop}.myshopify.com/admin/oauth/access_token',
  }
  const shop = { pattern: SHOP, description: 'the shop', example: 'acme' }
  const define = (extra: Record<string, unknown>) =>
    providers.oauth2({ ...base, authorizationUrl: 'https://{shop}.myshopify.com/a', ...extra } as never)

  it('fills the host and path, and refuses templates a value could move to another host', () => {
    const provider: OAuth2Provider = define({ connectionParams: { shop } })
    expect(provider.connectionParams.shop?.example).toBe('acme')
    expect(() => define({})).toThrow(/\{shop\}, which is not a connectionParams entry/)
    expect(() => define({ connectionParams: { shop }, authorizationUrl: 'https://{shop}/a' })).toThrow(
      /before a fixed domain/,
    )
    expect(() => define({ connectionParams: { shop }, authorizationUrl: 'https://{shop}.com/a' })).toThrow(
      /before a fixed domain/,
    )
    expect(() =>
      define({ connectionParams: { shop }, authorizationUrl: 'https://a.com/x?s={shop}' }),
    ).toThrow(/host and path only/)
    expect(() =>
      define({ connectionParams: { shop }, authorizationUrl: 'http://{shop}.example.com/a' }),
    ).toThrow(/must be https/)
  })

  it('refuses names the connect query already uses, and examples outside the pattern', () => {
    for (const name of ['return_url', 'scopes', 'label']) {
      expect(() =>
        define({
          connectionParams: { shop, [name]: shop },
          authorizationUrl: 'https://{shop}.myshopify.com/a',
        }),
      ).toThrow(new RegExp(`collides with the connect query parameter "${name}"`))
    }
    expect(() => define({ connectionParams: { shop: { ...shop, example: 'Not A Shop' } } })).toThrow(
      /example does not match/,
    )
  })
})
