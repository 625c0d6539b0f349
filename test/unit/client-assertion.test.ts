import { constants, generateKeyPairSync, type KeyObject, verify } from 'node:crypto'
import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { type ClientAssertionKey, providers } from '../../src/index.js'
import { createClientAssertionSigner } from '../../src/oauth/client-assertion.js'
import { registerPrivateKey } from '../support/canary.js'

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const rsaPem = rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()

function decode(jwt: string): { header: Record<string, unknown>; claims: Record<string, unknown> } {
  const [header = '', claims = ''] = jwt.split('.')
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString()) as Record<string, unknown>,
    claims: JSON.parse(Buffer.from(claims, 'base64url').toString()) as Record<string, unknown>,
  }
}

function verifies(jwt: string, publicKey: KeyObject, algorithm: string): boolean {
  const [header, claims, signature = ''] = jwt.split('.')
  const data = Buffer.from(`${header}.${claims}`)
  const sig = Buffer.from(signature, 'base64url')
  if (algorithm === 'ES256') return verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, sig)
  if (algorithm === 'PS256') {
    const options = { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }
    return verify('sha256', data, options, sig)
  }
  return verify('sha256', data, publicKey, sig)
}

const base = {
  id: 'acme',
  authorizationUrl: 'https://acme.example/authorize',
  tokenUrl: 'https://acme.example/token',
  clientId: 'acme-app',
}

describe('private_key_jwt client assertions (RFC 7523 §2.2)', () => {
  it.each([
    ['RS256', rsa.privateKey, rsa.publicKey],
    ['PS256', rsa.privateKey, rsa.publicKey],
    ['ES256', ec.privateKey, ec.publicKey],
  ] as const)(
    'signs %s assertions: iss = sub = client id, aud, a fresh jti, at most 60 s',
    (algorithm, privateKey, publicKey) => {
      const signer = createClientAssertionSigner({ privateKey, algorithm, keyId: 'key-1' })
      const before = Math.floor(Date.now() / 1000)
      const first = signer.sign('acme-app', 'https://acme.example/token')
      const second = signer.sign('acme-app', 'https://acme.example/token')
      expect(verifies(first, publicKey, algorithm)).toBe(true)
      const { header, claims } = decode(first)
      expect(header).toEqual({ alg: algorithm, typ: 'JWT', kid: 'key-1' })
      expect(claims).toMatchObject({ iss: 'acme-app', sub: 'acme-app', aud: 'https://acme.example/token' })
      expect(claims.iat).toBeGreaterThanOrEqual(before)
      expect(Number(claims.exp) - Number(claims.iat)).toBe(60)
      expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/)
      expect(decode(second).claims.jti).not.toBe(claims.jti)
    },
  )

  it('reads a PEM string, picks the algorithm from the key, and leaves kid out without a keyId', () => {
    expect(createClientAssertionSigner({ privateKey: rsaPem }).algorithm).toBe('RS256')
    const signer = createClientAssertionSigner({ privateKey: ec.privateKey })
    expect(signer.algorithm).toBe('ES256')
    expect(decode(signer.sign('a', 'b')).header).toEqual({ alg: 'ES256', typ: 'JWT' })
  })
})

describe('providers.oauth2 with tokenAuth private_key_jwt', () => {
  it('needs clientAssertionKey instead of clientSecret, and refuses the two mixed up', () => {
    const provider = providers.oauth2({
      ...base,
      tokenAuth: 'private_key_jwt',
      clientAssertionKey: { privateKey: rsaPem, keyId: 'key-1' },
    })
    expect(provider).toMatchObject({ tokenAuth: 'private_key_jwt', clientSecret: null })
    expect(provider.clientAssertion).toMatchObject({ algorithm: 'RS256', keyId: 'key-1' })

    // The types refuse these too; JavaScript callers get the same at run time.
    // @ts-expect-error private_key_jwt needs clientAssertionKey
    expect(() => providers.oauth2({ ...base, tokenAuth: 'private_key_jwt' })).toThrow(
      /providers\.oauth2 "acme": clientAssertionKey is required with 'private_key_jwt'/,
    )
    expect(() =>
      // @ts-expect-error a secret and a key are not both taken
      providers.oauth2({
        ...base,
        tokenAuth: 'private_key_jwt',
        clientSecret: 'unused-CANARY',
        clientAssertionKey: { privateKey: rsaPem },
      }),
    ).toThrow(/clientSecret is not used with 'private_key_jwt'/)
    // @ts-expect-error a key needs tokenAuth private_key_jwt
    expect(() => providers.oauth2({ ...base, clientAssertionKey: { privateKey: rsaPem } })).toThrow(
      /clientSecret is required [^;]*; clientAssertionKey is only used with tokenAuth 'private_key_jwt'/,
    )
  })

  it.each([
    ['a public key', { privateKey: rsa.publicKey }, /privateKey must be a private key/],
    [
      'text that is not a key',
      { privateKey: 'not a key CANARY' },
      /privateKey is not a readable private key/,
    ],
    [
      'an EC key for RS256',
      { privateKey: ec.privateKey, algorithm: 'RS256' },
      /must be an RSA key for RS256/,
    ],
    ['an RSA key for ES256', { privateKey: rsa.privateKey, algorithm: 'ES256' }, /must be an EC P-256 key/],
    [
      'an RSA key under 2048 bits',
      { privateKey: generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey },
      /at least 2048 bits/,
    ],
    ['an unknown algorithm', { privateKey: rsaPem, algorithm: 'HS256' }, /clientAssertionKey\.algorithm/],
  ] as const)('refuses %s, naming the problem and never the key', (_name, key, message) => {
    const make = () =>
      providers.oauth2({
        ...base,
        tokenAuth: 'private_key_jwt',
        clientAssertionKey: key as ClientAssertionKey,
      })
    expect(make).toThrow(message)
    expect(make).toThrow(expect.objectContaining({ message: expect.not.stringMatching(/CANARY|BEGIN/) }))
  })

  it('keeps the private key out of JSON, inspect and every enumerable field of the provider', () => {
    const material = registerPrivateKey(rsa.privateKey, 'client assertion private key')
    for (const privateKey of [rsa.privateKey, rsaPem]) {
      const provider = providers.oauth2({
        ...base,
        tokenAuth: 'private_key_jwt',
        clientAssertionKey: { privateKey },
      })
      const dumps = [
        JSON.stringify(provider),
        inspect(provider, { depth: Number.POSITIVE_INFINITY, showHidden: true, getters: true }),
        inspect(provider.clientAssertion, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
        JSON.stringify(Object.entries(provider)),
      ]
      for (const dump of dumps) {
        for (const part of material) expect(dump).not.toContain(part)
        expect(dump).not.toContain('PRIVATE KEY')
      }
    }
  })
})
