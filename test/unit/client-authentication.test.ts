import { describe, expect, it } from 'vitest'
import { providers } from '../../src/index.js'

const base = {
  id: 'acme',
  authorizationUrl: 'https://acme.example/authorize',
  tokenUrl: 'https://acme.example/token',
  clientId: 'acme-app',
}

describe("providers.oauth2 with tokenAuth 'none' (a public client)", () => {
  it('takes no secret, and keeps none', () => {
    const provider = providers.oauth2({ ...base, tokenAuth: 'none' })
    expect(provider).toMatchObject({ tokenAuth: 'none', clientSecret: null, clientAssertion: null })
  })

  it('refuses a secret with it (a type error too), and says how to declare a public client without one', () => {
    // @ts-expect-error a public client has no secret
    expect(() => providers.oauth2({ ...base, tokenAuth: 'none', clientSecret: 'unused-CANARY' })).toThrow(
      /providers\.oauth2 "acme": clientSecret is not used with tokenAuth 'none': leave it out/,
    )
    // @ts-expect-error a confidential client needs its secret
    expect(() => providers.oauth2({ ...base })).toThrow(
      /clientSecret is required \(a public client .*'none'\)/,
    )
  })

  it('is open to presets: an app registered as a public client leaves the secret out', () => {
    expect(providers.spotify({ clientId: 'spotify-app', tokenAuth: 'none' })).toMatchObject({
      tokenAuth: 'none',
      clientSecret: null,
    })
    expect(() => providers.spotify({ clientId: 'spotify-app' })).toThrow(/clientSecret is required/)
    expect(() => providers.github({ clientId: 'gh', clientSecret: 'gh-CANARY', tokenAuth: 'none' })).toThrow(
      /clientSecret is not used with tokenAuth 'none'/,
    )
  })
})

describe('basicAuthEncoding', () => {
  it("defaults to the RFC's form encoding, and sends raw only when asked", () => {
    const secret = { ...base, clientSecret: 'a/b+c=-CANARY', tokenAuth: 'client_secret_basic' as const }
    expect(providers.oauth2(secret).basicAuthEncoding).toBe('form')
    expect(providers.oauth2({ ...secret, basicAuthEncoding: 'raw' }).basicAuthEncoding).toBe('raw')
    expect(
      providers.spotify({ clientId: 's', clientSecret: 's-CANARY', basicAuthEncoding: 'raw' }),
    ).toMatchObject({
      tokenAuth: 'client_secret_basic',
      basicAuthEncoding: 'raw',
    })
  })

  it("refuses 'raw' for a client id with a colon, which Basic cannot carry unencoded (RFC 7617 §2)", () => {
    expect(() =>
      providers.oauth2({ ...base, clientId: 'urn:acme', clientSecret: 's-CANARY', basicAuthEncoding: 'raw' }),
    ).toThrow(/basicAuthEncoding 'raw' cannot send a clientId with ':'/)
  })
})
