import { randomBytes } from 'node:crypto'
import express from 'express'
import Keyv from 'keyv'
import request from 'supertest'
import { describe, expect, it, vi } from 'vitest'
import { Keyring } from '../../src/crypto/keyring.js'
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
    ['duplicate provider ids', { providers: [acme(), acme()] }, /unique ids: "acme" is given more than once/],
    ['a missing key', { encryptionKey: undefined }, /encryptionKey is required/],
    [
      'a short Buffer key',
      { encryptionKey: randomBytes(16) },
      /encryptionKey must be 32 bytes; got a Buffer of 16/,
    ],
    ['a mountPath with a trailing slash', { mountPath: '/integrations/' }, /mountPath must be a path/],
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
    ['a getAgent that is not a function', { getAgent: 'agent' }, /getAgent must be a function/],
    [
      'a rateLimitStore named by a string',
      { rateLimitStore: 'redis' },
      /rateLimitStore must be 'memory', \{ redis: client \} or \{ postgres: pool \}/,
    ],
    ['an approvalTtlMs of zero', { approvalTtlMs: 0 }, /approvalTtlMs/],
  ])('refuses %s with a clear message', (_name, patch, message) => {
    expect(attempt(patch)).toThrow(message)
  })

  it('names each option once in its message, never twice in a row ("store store must be")', () => {
    expect(attempt({ store: undefined, providers: undefined, encryptionKey: undefined })).toThrow(
      /^createConnectionsRouter: store must be a Keyv instance .*; providers must be an array; encryptionKey is required/,
    )
    try {
      attempt({ store: undefined, providers: undefined, encryptionKey: undefined })()
    } catch (error) {
      expect((error as Error).message).not.toMatch(/\b(\w+) \1\b/)
    }
  })

  it('takes a 32-byte Buffer or Uint8Array as the key, the same key as its base64', () => {
    const key = randomBytes(32)
    const fromBuffer = new Keyring([key])
    expect(fromBuffer.currentKeyId).toBe(new Keyring([key.toString('base64')]).currentKeyId)
    expect(new Keyring([new Uint8Array(key)]).currentKeyId).toBe(fromBuffer.currentKeyId)
    const sealed = fromBuffer.encrypt('secret', 'connection:1')
    key.fill(0) // the router keeps its own copy
    expect(fromBuffer.decrypt(sealed, 'connection:1')).toBe('secret')
    expect(attempt({ encryptionKey: randomBytes(32) })).not.toThrow()
    expect(attempt({ encryptionKey: [randomBytes(32), randomBytes(32).toString('hex')] })).not.toThrow()
  })
})

describe('development-mode warnings', () => {
  function capture() {
    const warnings: string[] = []
    return { warnings, logger: { warn: (message: string) => warnings.push(message), error: () => {} } }
  }

  function appWith(patch: Partial<ConnectionsRouterOptions>, login = false) {
    const app = express()
    if (login) {
      app.use((req, _res, next) => {
        ;(req as express.Request & { user?: unknown }).user = { name: 'ana' }
        next()
      })
    }
    app.use('/integrations', createConnectionsRouter({ ...valid(), ...patch }))
    return app
  }

  it('says once when baseUrl already ends with the mount path, naming the doubled callback path', async () => {
    const fromOption = capture()
    createConnectionsRouter({
      ...valid(),
      logger: fromOption.logger,
      baseUrl: 'https://app.example/integrations/',
      mountPath: '/integrations',
    })
    expect(fromOption.warnings).toHaveLength(1)
    expect(fromOption.warnings[0]).toMatch(/https:\/\/app\.example\/integrations\/integrations\/callback/)
    expect(fromOption.warnings[0]).toMatch(/did you mean https:\/\/app\.example\?/)

    const learned = capture()
    const app = appWith({ logger: learned.logger, baseUrl: 'https://app.example/Integrations' })
    for (let i = 0; i < 3; i += 1) await request(app).get('/integrations/providers')
    expect(learned.warnings).toHaveLength(1)
    expect(learned.warnings[0]).toMatch(/ends with the mount path \/integrations/)
  })

  it('says once when a request reaches the router elsewhere than the mountPath option says', async () => {
    const { warnings, logger } = capture()
    const app = appWith({ logger, mountPath: '/connections' })
    for (let i = 0; i < 2; i += 1) await request(app).get('/integrations/providers')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(
      /reached the router at \/integrations, but the mountPath option says \/connections/,
    )
  })

  it('says nothing about a baseUrl without the mount path', async () => {
    const { warnings, logger } = capture()
    const app = appWith({ logger, baseUrl: 'https://app.example/app', mountPath: '/integrations' })
    await request(app).get('/integrations/providers')
    expect(warnings).toEqual([])
  })

  it('says once why requests get 401, naming getOwner and req.user', async () => {
    const none = capture()
    const anonymous = appWith({ logger: none.logger })
    for (let i = 0; i < 3; i += 1)
      expect((await request(anonymous).get('/integrations/connections')).status).toBe(401)
    expect(none.warnings).toHaveLength(1)
    expect(none.warnings[0]).toMatch(/req\.user is not set/)
    expect(none.warnings[0]).toMatch(/getOwner/)

    const noId = capture()
    await request(appWith({ logger: noId.logger }, true)).get('/integrations/connections')
    expect(noId.warnings[0]).toMatch(/req\.user has no string or number id/)

    const custom = capture()
    await request(appWith({ logger: custom.logger, getOwner: () => undefined })).get(
      '/integrations/connections',
    )
    expect(custom.warnings[0]).toMatch(/your getOwner returned no owner/)
  })

  it('stays silent in production', async () => {
    vi.stubEnv('NODE_ENV', 'production')
    try {
      const { warnings, logger } = capture()
      const app = appWith({ logger, baseUrl: 'https://app.example/integrations', mountPath: '/integrations' })
      expect((await request(app).get('/integrations/connections')).status).toBe(401)
      expect(warnings).toEqual([])
    } finally {
      vi.unstubAllEnvs()
    }
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
