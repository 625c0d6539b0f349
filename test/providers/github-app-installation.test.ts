import { generateKeyPairSync, verify } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { providers } from '../../src/providers/index.js'
import { startFakeProvider } from '../support/fake-provider.js'

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()

function decode(jwt: string) {
  const [header = '', claims = '', signature = ''] = jwt.split('.')
  const json = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))
  const signed = verify(
    'sha256',
    Buffer.from(`${header}.${claims}`),
    publicKey,
    Buffer.from(signature, 'base64url'),
  )
  return { header: json(header), claims: json(claims), signed }
}

describe('githubApp.installationToken', () => {
  it('signs an app JWT with the private key and exchanges it for an installation access token', async () => {
    // https://docs.github.com/en/rest/apps/apps#create-an-installation-access-token-for-an-app (read 2026-12-07)
    const fake = await startFakeProvider({
      token: () => ({ error: 'unused' }),
      routes: {
        '/app/installations/42/access_tokens': () => ({
          status: 201,
          body: {
            token: 'ghs_16C7e42F292c6912E7710c838347Ae178B4a-CANARY',
            expires_at: '2026-12-07T06:07:00Z',
            permissions: { issues: 'write', metadata: 'read' },
            repository_selection: 'selected',
            repositories: [{ id: 1296269, name: 'Hello-World', full_name: 'acme/Hello-World' }],
          },
        }),
      },
    })
    const token = await providers.githubApp.installationToken({
      appId: 123456,
      privateKey: pem,
      installationId: '42',
      repositories: ['Hello-World'],
      permissions: { issues: 'write' },
      apiBaseUrl: fake.url,
    })
    expect(token).toEqual({
      token: 'ghs_16C7e42F292c6912E7710c838347Ae178B4a-CANARY',
      expiresAt: '2026-12-07T06:07:00Z',
      permissions: { issues: 'write', metadata: 'read' },
      repositorySelection: 'selected',
    })
    const sent = fake.requests[0]
    expect(sent?.method).toBe('POST')
    expect(sent?.headers.accept).toBe('application/vnd.github+json')
    // The narrowing goes as JSON (the fake flattens it to strings).
    expect(sent?.headers['content-type']).toBe('application/json')
    expect(sent?.form.repositories).toBe('Hello-World')
    const jwt = decode(String(sent?.headers.authorization).replace(/^Bearer /, ''))
    expect(jwt.signed).toBe(true)
    expect(jwt.header).toEqual({ alg: 'RS256', typ: 'JWT' })
    expect(jwt.claims.iss).toBe('123456')
    // Issued a minute in the past against clock drift; GitHub refuses more than 10 minutes of life.
    const now = Math.floor(Date.now() / 1000)
    expect(jwt.claims.iat).toBeLessThanOrEqual(now - 59)
    expect(jwt.claims.exp - jwt.claims.iat).toBeLessThanOrEqual(600)
    expect(jwt.claims.exp).toBeGreaterThan(now)
  })

  it('says GitHub refused, without the JWT, and refuses bad input before signing', async () => {
    const fake = await startFakeProvider({
      token: () => ({ error: 'unused' }),
      routes: {
        '/app/installations/7/access_tokens': () => ({
          status: 401,
          body: {
            message: 'A JSON web token could not be decoded',
            documentation_url: 'https://docs.github.com/rest',
          },
        }),
      },
    })
    const refused = providers.githubApp.installationToken({
      appId: 'Iv23liAbCdEf123456',
      privateKey: pem,
      installationId: 7,
      apiBaseUrl: fake.url,
    })
    await expect(refused).rejects.toMatchObject({
      code: 'provider_error',
      message: expect.stringMatching(/\(401\)/),
    })
    const message = await refused.catch((error: Error) => error.message)
    expect(message).not.toContain(String(fake.requests[0]?.headers.authorization).slice(7, 40))

    const bad = (extra: object) =>
      providers.githubApp.installationToken({
        appId: 1,
        privateKey: pem,
        installationId: 7,
        apiBaseUrl: fake.url,
        ...extra,
      })
    await expect(bad({ installationId: '7/../../user' })).rejects.toThrow(/installationId/)
    await expect(bad({ apiBaseUrl: 'http://api.github.example' })).rejects.toThrow(/apiBaseUrl/)
    await expect(bad({ privateKey: 'not a key' })).rejects.toThrow(/privateKey is not a readable/)
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
    await expect(bad({ privateKey: ec })).rejects.toThrow(/RSA/)
    expect(fake.requests).toHaveLength(1)
  })
})
