import { describe, expect, it } from 'vitest'
import { github } from '../../src/providers/presets/github.js'
import { gmail } from '../../src/providers/presets/google.js'
import type { OAuth2Provider } from '../../src/providers/types.js'
import { connectionKeys, startTestApp } from '../support/app.js'
import { BrowserClient } from '../support/browser-client.js'
import { type FakeProvider, startFakeProvider } from '../support/fake-provider.js'
import { connectThroughFake } from '../support/preset-flow.js'

/**
 * RFC 9207 for the presets whose providers send `iss` on their redirect back: Google
 * (`https://accounts.google.com`) and GitHub (`https://github.com/login/oauth`). Neither advertises it
 * in metadata, so a missing `iss` is accepted (§2.4 allows that for servers not known to send it),
 * but one naming another server is refused before the code is exchanged.
 */
const cases: Array<[string, string, (fake: FakeProvider) => OAuth2Provider]> = [
  [
    'gmail',
    'https://accounts.google.com',
    (fake) => gmail({ clientId: 'g-id', clientSecret: 'g-secret-CANARY', endpoints: fake.endpoints }),
  ],
  [
    'github',
    'https://github.com/login/oauth',
    (fake) => github({ clientId: 'gh-id', clientSecret: 'gh-secret-CANARY', endpoints: fake.endpoints }),
  ],
]

function fakeSending(iss: string | null): Promise<FakeProvider> {
  return startFakeProvider({
    token: () => ({ access_token: 'at-CANARY', token_type: 'Bearer', scope: 'openid email' }),
    userInfo: () => ({ id: 7, sub: '7', login: 'ana', email: 'ana@example.com' }),
    routes: { '/emails': () => [{ email: 'ana@example.com', primary: true, verified: true }] },
    ...(iss === null ? {} : { callbackParams: { iss } }),
  })
}

describe.each(cases)('%s preset and iss (RFC 9207)', (_id, issuer, build) => {
  it('connects when the provider sends its own iss, or none', async () => {
    expect(build(await fakeSending(null))).toMatchObject({ issuer, requireIss: false })
    for (const iss of [issuer, null]) {
      const fake = await fakeSending(iss)
      const run = await connectThroughFake(build(fake), fake)
      expect(run.connection.status).toBe('active')
    }
  })

  it('refuses an iss naming another server before exchanging the code', async () => {
    const fake = await fakeSending('https://evil.example')
    const provider = build(fake)
    const app = await startTestApp(null, { providers: [provider] })
    try {
      const browser = new BrowserClient({ headers: { [app.url]: { 'x-user': 'ana' } } })
      const { response } = await browser.follow(`${app.mount}/connect/${provider.id}`)
      expect(response.status).toBe(403)
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('forbidden')
      expect(fake.tokenRequests).toEqual([])
      expect(connectionKeys(app.raw)).toEqual([])
    } finally {
      await app.close()
    }
  })
})
