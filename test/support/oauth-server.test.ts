import { createHash, randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BrowserClient, loginAndConsent } from './browser-client.js'
import { type OAuthServer, startOAuthServer } from './oauth-server.js'

interface TokenResponse {
  access_token?: string
  refresh_token?: string
  token_type?: string
  error?: string
}

const base64url = (buffer: Buffer): string => buffer.toString('base64url')

describe('test OAuth server + browser client', () => {
  let oauth: OAuthServer
  let app: Server
  let redirectUri: string

  beforeAll(async () => {
    oauth = await startOAuthServer()
    // Stands in for the app under test: its port is only known after the OAuth server started.
    app = createServer((_req, res) => res.end('callback reached'))
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve))
    redirectUri = `http://127.0.0.1:${(app.address() as AddressInfo).port}/cb`
    oauth.setRedirectUris([redirectUri])
  })

  afterAll(async () => {
    app.closeAllConnections()
    await new Promise((resolve) => app.close(resolve))
    await oauth.close()
  })

  const authorizationUrl = (params: Record<string, string>): string => {
    const url = new URL(oauth.authorizationUrl)
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: oauth.clientId,
      redirect_uri: redirectUri,
      scope: 'openid email offline_access',
      prompt: 'consent',
      ...params,
    }).toString()
    return url.href
  }

  const tokenRequest = async (
    params: Record<string, string>,
  ): Promise<{ status: number; body: TokenResponse }> => {
    const res = await fetch(oauth.tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({ client_id: oauth.clientId, client_secret: oauth.clientSecret, ...params }),
    })
    return { status: res.status, body: (await res.json()) as TokenResponse }
  }

  it('runs authorization code + PKCE, userinfo, refresh rotation and revocation', async () => {
    const verifier = base64url(randomBytes(32))
    const challenge = base64url(createHash('sha256').update(verifier).digest())
    const state = base64url(randomBytes(16))

    const browser = new BrowserClient()
    const { callbackUrl } = await loginAndConsent(
      browser,
      authorizationUrl({ state, code_challenge: challenge, code_challenge_method: 'S256' }),
      'alice',
    )
    const callback = new URL(callbackUrl)
    expect(`${callback.origin}${callback.pathname}`).toBe(redirectUri)
    expect(callback.searchParams.get('state')).toBe(state)
    const code = callback.searchParams.get('code')
    expect(code).toBeTruthy()
    // The session cookie stays; the resume cookies were deleted (expired) on the way out.
    const cookieNames = browser.cookies().map((c) => c.name)
    expect(cookieNames).toContain('_session')
    expect(cookieNames).not.toContain('_interaction_resume')

    const issued = await tokenRequest({
      grant_type: 'authorization_code',
      code: code ?? '',
      redirect_uri: redirectUri,
      code_verifier: verifier,
    })
    expect(issued.status).toBe(200)
    expect(issued.body.access_token).toBeTruthy()
    expect(issued.body.refresh_token).toBeTruthy()
    expect(oauth.grants.authorizationCode).toBe(1)

    const userinfo = await fetch(oauth.userInfoUrl, {
      headers: { authorization: `Bearer ${issued.body.access_token}` },
    })
    expect(userinfo.status).toBe(200)
    expect(await userinfo.json()).toMatchObject({ sub: 'alice', email: 'alice@example.com' })

    const refreshed = await tokenRequest({
      grant_type: 'refresh_token',
      refresh_token: issued.body.refresh_token ?? '',
    })
    expect(refreshed.status).toBe(200)
    expect(refreshed.body.access_token).toBeTruthy()
    expect(refreshed.body.refresh_token).toBeTruthy()
    expect(refreshed.body.refresh_token).not.toBe(issued.body.refresh_token)
    expect(oauth.grants.refreshToken).toBe(1)

    // The rotated-out refresh token is dead.
    const reused = await tokenRequest({
      grant_type: 'refresh_token',
      refresh_token: issued.body.refresh_token ?? '',
    })
    expect(reused.body.error).toBe('invalid_grant')

    const revocation = await fetch(oauth.revocationUrl, {
      method: 'POST',
      body: new URLSearchParams({
        client_id: oauth.clientId,
        client_secret: oauth.clientSecret,
        token: refreshed.body.refresh_token ?? '',
        token_type_hint: 'refresh_token',
      }),
    })
    expect(revocation.status).toBe(200)

    const afterRevocation = await tokenRequest({
      grant_type: 'refresh_token',
      refresh_token: refreshed.body.refresh_token ?? '',
    })
    expect(afterRevocation.body.error).toBe('invalid_grant')
  })

  it('refuses an authorization request without PKCE', async () => {
    const { response, url } = await new BrowserClient().follow(authorizationUrl({ state: 'no-pkce' }), {
      stopAt: (target) => target.origin !== oauth.url,
    })
    expect(response.status).toBeGreaterThanOrEqual(300)
    const callback = new URL(url)
    expect(`${callback.origin}${callback.pathname}`).toBe(redirectUri)
    expect(callback.searchParams.get('error')).toBe('invalid_request')
    expect(callback.searchParams.get('error_description')).toMatch(/PKCE/)
    expect(callback.searchParams.get('code')).toBeNull()
  })

  it('checks redirect URIs against the current registration', async () => {
    const elsewhere = 'http://127.0.0.1:1/elsewhere'
    const start = (): Promise<Response> =>
      fetch(
        authorizationUrl({
          redirect_uri: elsewhere,
          code_challenge: 'x'.repeat(43),
          code_challenge_method: 'S256',
        }),
        {
          redirect: 'manual',
        },
      )

    const refused = await start()
    expect(refused.status).toBe(400)
    expect(await refused.json()).toMatchObject({ error: 'invalid_redirect_uri' })

    oauth.setRedirectUris([redirectUri, elsewhere])
    try {
      const accepted = await start()
      expect(accepted.status).toBe(303)
      expect(accepted.headers.get('location')).toMatch(/^\/interaction\//)
    } finally {
      oauth.setRedirectUris([redirectUri])
    }
  })

  it('honours accessTokenTtl and custom clients', async () => {
    const client = { clientId: 'other', clientSecret: 'other-secret', redirectUris: [redirectUri] }
    const short = await startOAuthServer({ accessTokenTtl: 30, clients: [client] })
    try {
      expect(short.clientId).toBe('other')
      const verifier = base64url(randomBytes(32))
      const url = new URL(short.authorizationUrl)
      url.search = new URLSearchParams({
        response_type: 'code',
        client_id: 'other',
        redirect_uri: redirectUri,
        scope: 'openid',
        code_challenge: base64url(createHash('sha256').update(verifier).digest()),
        code_challenge_method: 'S256',
      }).toString()
      const { callbackUrl } = await loginAndConsent(new BrowserClient(), url.href, 'bob')
      const res = await fetch(short.tokenUrl, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          client_id: 'other',
          client_secret: 'other-secret',
          code: new URL(callbackUrl).searchParams.get('code') ?? '',
          redirect_uri: redirectUri,
          code_verifier: verifier,
        }),
      })
      const body = (await res.json()) as TokenResponse & { expires_in?: number }
      expect(body.expires_in).toBe(30)
      // Refresh tokens are issued even without offline_access.
      expect(body.refresh_token).toBeTruthy()
    } finally {
      await short.close()
    }
  })
})
