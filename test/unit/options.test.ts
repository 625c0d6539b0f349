import { randomBytes } from 'node:crypto'
import Keyv from 'keyv'
import { describe, expect, it, vi } from 'vitest'
import { type ConnectionsRouterOptions, createConnectionsRouter, providers } from '../../src/index.js'

const acme = () =>
  providers.oauth2({
    id: 'acme',
    authorizationUrl: 'https://acme.example/authorize',
    tokenUrl: 'https://acme.example/token',
    clientId: 'id',
    clientSecret: 'secret',
  })

const valid = (): ConnectionsRouterOptions => ({
  store: new Keyv(),
  providers: [acme()],
  encryptionKey: randomBytes(32).toString('base64'),
})

function attempt(patch: Record<string, unknown>): () => unknown {
  return () => createConnectionsRouter({ ...valid(), ...patch } as ConnectionsRouterOptions)
}

describe('createConnectionsRouter options', () => {
  it('refuses to start in production without an https baseUrl', () => {
    vi.stubEnv('NODE_ENV', 'production')
    try {
      const base = {
        store: new Keyv(),
        encryptionKey: randomBytes(32).toString('base64'),
        providers: [acme()],
      }
      expect(() => createConnectionsRouter(base)).toThrow(/set baseUrl/)
      expect(() => createConnectionsRouter({ ...base, baseUrl: 'http://app.example.com' })).toThrow(/https/)
      expect(() => createConnectionsRouter({ ...base, baseUrl: 'https://app.example.com' })).not.toThrow()
      expect(() => createConnectionsRouter({ ...base, baseUrl: 'http://localhost:3000' })).not.toThrow()
    } finally {
      vi.unstubAllEnvs()
    }
  })

  it('builds a router with only the three required options', () => {
    const router = createConnectionsRouter(valid())
    expect(typeof router).toBe('function')
    expect(typeof router.connections.list).toBe('function')
  })

  it.each([
    ['a missing store', { store: undefined }, /store must be a Keyv instance/],
    ['a store without methods', { store: {} }, /store must be a Keyv instance/],
    ['no providers', { providers: [] }, /at least one provider/],
    ['a provider not made by a factory', { providers: [{ id: 'x' }] }, /providers\.oauth2\(\)/],
    ['duplicate provider ids', { providers: [acme(), acme()] }, /unique/],
    ['a missing key', { encryptionKey: undefined }, /encryptionKey is required/],
    [
      'a short key',
      { encryptionKey: randomBytes(16).toString('hex') },
      /encryptionKey must be 32 bytes.*got 16 bytes of hex/,
    ],
    ['a relative baseUrl', { baseUrl: '/app' }, /baseUrl must be an absolute http\(s\) URL/],
    ['a getOwner that is not a function', { getOwner: 'user.id' }, /getOwner must be a function/],
    ['returnUrls that are not URLs', { returnUrls: ['example.com'] }, /returnUrls/],
    ['an unknown session option', { session: { cookie: {} } }, /session/],
    ['a lock without withLock', { lock: {} }, /lock must have a withLock/],
  ])('refuses %s with a clear message', (_name, patch, message) => {
    expect(attempt(patch)).toThrow(message)
  })
})

describe('providers.oauth2', () => {
  it('refuses default scopes outside its own allowedScopes, naming the scope', () => {
    const options = {
      id: 'acme',
      authorizationUrl: 'https://acme.example/a',
      tokenUrl: 'https://acme.example/t',
      clientId: 'x',
      clientSecret: 'y-CANARY',
      scopes: ['read', 'admin'],
      allowedScopes: ['read'],
    }
    expect(() => providers.oauth2(options)).toThrow(/"admin" is not in allowedScopes/)
    expect(() => providers.oauth2({ ...options, scopes: ['read'] })).not.toThrow()
  })

  it('refuses http:// endpoints that carry codes, tokens or the secret, except on localhost or when allowed', () => {
    const base = { id: 'acme', authorizationUrl: 'https://acme.example/a', clientId: 'x', clientSecret: 'y' }
    for (const field of ['tokenUrl', 'refreshUrl', 'userInfoUrl', 'revocationUrl', 'apiBaseUrl'] as const) {
      const options = { tokenUrl: 'https://acme.example/t', ...base, [field]: 'http://idp.internal/x' }
      expect(() => providers.oauth2(options), field).toThrow(new RegExp(`${field} must be https`))
      expect(() => providers.oauth2({ ...options, allowInsecureHttp: true }), field).not.toThrow()
    }
    expect(() =>
      providers.oauth2({ ...base, authorizationUrl: 'http://acme.example/a', tokenUrl: 'https://a.b/t' }),
    ).toThrow(/authorizationUrl must be https/)
    for (const host of ['localhost:8080', '127.0.0.1:9', '[::1]:3000']) {
      expect(() => providers.oauth2({ ...base, tokenUrl: `http://${host}/token` }), host).not.toThrow()
    }
  })

  it.each([
    ['an id that is not a slug', { id: 'Acme Inc' }, /id must be a lowercase slug/],
    ['a token URL that is not a URL', { tokenUrl: 'token' }, /tokenUrl must be an absolute http\(s\) URL/],
    ['a javascript: URL', { authorizationUrl: 'javascript:alert(1)' }, /authorizationUrl/],
    ['an empty client secret', { clientSecret: '' }, /clientSecret is required/],
    ['an unknown option', { tokenURL: 'https://x.example' }, /tokenURL/],
  ])('refuses %s, naming the provider', (_name, patch, message) => {
    const options = {
      id: 'acme',
      authorizationUrl: 'https://acme.example/authorize',
      tokenUrl: 'https://acme.example/token',
      clientId: 'id',
      clientSecret: 'secret',
      ...patch,
    }
    expect(() => providers.oauth2(options)).toThrow(message)
  })

  it('never puts the client secret in an error message', () => {
    expect(() =>
      providers.oauth2({
        id: 'acme',
        authorizationUrl: 'nope',
        tokenUrl: 'https://acme.example/token',
        clientId: 'id',
        clientSecret: 'super-secret-value',
      }),
    ).toThrow(expect.objectContaining({ message: expect.not.stringContaining('super-secret-value') }))
  })
})
