import { describe, expect, it } from 'vitest'
import { shopify, shopifyCallbackHmac } from '../../src/providers/presets/shopify.js'
import { startTestApp } from '../support/app.js'
import { BrowserClient } from '../support/browser-client.js'
import { type FakeProvider, startFakeProvider } from '../support/fake-provider.js'
import { connectThroughFake } from '../support/preset-flow.js'

const SECRET = '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-CANARY'

/**
 * Shopify's token endpoint of each shop, answering as it does for an expiring offline token
 * (https://shopify.dev/changelog/offline-access-tokens-now-support-expiry-and-refresh, read 2026-12-07),
 * and its GraphQL Admin API answering the shop query. Its redirect back is signed as Shopify signs it,
 * unless `sign` says otherwise.
 */
async function shopifyFake(
  redirect: { sign?: (query: Record<string, string>) => string | null; shop?: string } = {},
) {
  const sign = redirect.sign ?? ((query) => shopifyCallbackHmac(query, SECRET))
  let issued = 0
  const fake: FakeProvider = await startFakeProvider({
    token: (request) => ({
      access_token: `shpat_${request.tenant}_${++issued}-CANARY`,
      scope: 'read_products,read_orders',
      expires_in: 3600,
      refresh_token: `shprt_${request.tenant}_${issued}-CANARY`,
      refresh_token_expires_in: 7776000,
    }),
    routes: {
      '/api/2026-10/graphql.json': (request) => ({
        data: {
          shop: {
            id: `gid://shopify/Shop/${request.tenant === 'acme' ? 1 : 2}`,
            name: `${request.tenant} store`,
            email: `owner@${request.tenant}.example`,
            myshopifyDomain: `${request.tenant}.myshopify.com`,
          },
        },
        extensions: { cost: { requestedQueryCost: 1 } },
      }),
    },
    callbackParams: (back): Record<string, string> => {
      // The authorization request, just received, named the shop in its path.
      const shop = redirect.shop ?? `${fake.requests.at(-1)?.tenant}.myshopify.com`
      const query: Record<string, string> = {
        code: back.searchParams.get('code') ?? '',
        state: back.searchParams.get('state') ?? '',
        shop,
        host: Buffer.from(`admin.shopify.com/store/${shop}`).toString('base64url'),
        timestamp: '1765000000',
      }
      const hmac = sign(query)
      const { code: _code, state: _state, ...added } = query
      return hmac === null ? { shop } : { ...added, hmac }
    },
  })
  return fake
}

function provider(fake: FakeProvider) {
  return shopify({
    clientId: 'shopify-app',
    clientSecret: SECRET,
    scopes: ['read_products', 'read_orders'],
    endpoints: {
      authorizationUrl: `${fake.url}/t/{shop}/authorize`,
      tokenUrl: `${fake.url}/t/{shop}/token`,
      apiBaseUrl: `${fake.url}/t/{shop}`,
    },
  })
}

describe('shopify preset', () => {
  it('connects two shops through their own URLs, with expiring offline tokens and the token in X-Shopify-Access-Token', async () => {
    const fake = await shopifyFake()
    const shopifyProvider = provider(fake)
    const acme = await connectThroughFake(shopifyProvider, fake, { query: { shop: 'acme' } })
    const globex = await connectThroughFake(shopifyProvider, fake, {
      query: { shop: 'globex' },
      app: acme.app,
    })

    expect(acme.authorization.get('scope')).toBe('read_products,read_orders')
    expect(acme.authorization.has('grant_options[]')).toBe(false)
    const exchange = fake.tokenRequests[0]
    expect(exchange?.tenant).toBe('acme')
    expect(exchange?.headers['content-type']).toBe('application/json')
    expect(exchange?.form).toMatchObject({ client_id: 'shopify-app', client_secret: SECRET, expiring: '1' })
    expect(fake.tokenRequests[1]?.tenant).toBe('globex')
    expect(acme.connection).toMatchObject({
      params: { shop: 'acme' },
      accountId: 'gid://shopify/Shop/1',
      accountEmail: 'owner@acme.example',
      metadata: { shop: 'acme.myshopify.com', shopName: 'acme store' },
      grantedScopes: ['read_products', 'read_orders'],
    })
    expect(globex.connection).toMatchObject({ params: { shop: 'globex' }, accountId: 'gid://shopify/Shop/2' })
    expect(Date.parse(acme.connection.expiresAt ?? '') - Date.now()).toBeGreaterThan(3500_000)

    const lookup = fake.requests.find((r) => r.path === '/api/2026-10/graphql.json')
    expect(lookup?.headers['x-shopify-access-token']).toBe('shpat_acme_1-CANARY')
    expect(lookup?.headers.authorization).toBeUndefined()

    const response = await acme.app.router.connections.fetch(
      'ana',
      globex.connection.id,
      '/api/2026-10/graphql.json',
      {
        method: 'POST',
        body: JSON.stringify({ query: '{ shop { name } }' }),
      },
    )
    expect(response.status).toBe(200)
    const call = fake.requests.at(-1)
    expect(call?.tenant).toBe('globex')
    expect(call?.headers['x-shopify-access-token']).toBe('shpat_globex_2-CANARY')
  })

  it('refuses a shop outside the pattern with nothing sent to any host', async () => {
    const fake = await shopifyFake()
    const app = await startTestApp(null, { providers: [provider(fake)], authorize: () => true })
    try {
      for (const shop of ['evil.com/x', 'a@b', 'acme.myshopify.com', 'evil.com#', '']) {
        const response = await fetch(`${app.mount}/connect/shopify?shop=${encodeURIComponent(shop)}`, {
          headers: { 'x-user': 'ana' },
          redirect: 'manual',
        })
        expect(response.status, shop).toBe(400)
        const body = (await response.json()) as { error: { code: string; message: string } }
        expect(body.error.code).toBe('invalid_request')
        expect(body.error.message).toContain('shop')
      }
      expect(fake.requests).toHaveLength(0)
      expect(fake.authorizations).toHaveLength(0)
    } finally {
      await app.close()
    }
  })

  it('refuses a redirect back without Shopify’s signature before the code is exchanged', async () => {
    const forged = (query: Record<string, string>) => shopifyCallbackHmac({ ...query, code: 'other' }, SECRET)
    for (const sign of [() => null, () => 'f'.repeat(64), forged]) {
      const fake = await shopifyFake({ sign })
      const app = await startTestApp(null, { providers: [provider(fake)], authorize: () => true })
      try {
        const browser = new BrowserClient({ headers: { [app.url]: { 'x-user': 'ana' } } })
        const { response } = await browser.follow(`${app.mount}/connect/shopify?shop=acme`)
        const body = (await response.json()) as { error?: { code: string; message: string } }
        expect(body.error?.code).toBe('invalid_request')
        expect(body.error?.message).toMatch(/Shopify's signature/)
        expect(fake.tokenRequests).toHaveLength(0)
      } finally {
        await app.close()
      }
    }
  })

  it('refuses a signed redirect that names another shop than the one connected', async () => {
    // Shopify signs a redirect for globex, while the flow is for acme.
    const fake = await shopifyFake({ shop: 'globex.myshopify.com' })
    const app = await startTestApp(null, { providers: [provider(fake)], authorize: () => true })
    try {
      const browser = new BrowserClient({ headers: { [app.url]: { 'x-user': 'ana' } } })
      const { response } = await browser.follow(`${app.mount}/connect/shopify?shop=acme`)
      const body = (await response.json()) as { error?: { message: string } }
      expect(body.error?.message).toMatch(/another shop/)
      expect(fake.tokenRequests).toHaveLength(0)
    } finally {
      await app.close()
    }
  })
})
