import { describe, expect, it } from 'vitest'
import { confluence, jira } from '../../src/providers/presets/atlassian.js'
import { startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

const app = { clientId: 'atl-id', clientSecret: 'atl-secret-CANARY' }
const cloudId = '1324a887-45db-1bf4-1e99-ef0ff456d421'

// https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/#3--make-calls-to-the-api-using-the-access-token
const resources = () => [
  {
    id: 'aaaa0000-0000-0000-0000-00000000conf',
    name: 'other',
    url: 'https://other.atlassian.net',
    scopes: ['read:confluence-content.all'],
    avatarUrl: 'https://site-admin-avatar-cdn.prod.public.atl-paas.net/avatars/240/rocket.png',
  },
  {
    id: 'bbbb0000-0000-0000-0000-00000000jira',
    name: 'first',
    url: 'https://first.atlassian.net',
    scopes: ['read:jira-work'],
    avatarUrl: 'https://site-admin-avatar-cdn.prod.public.atl-paas.net/avatars/240/star.png',
  },
  {
    id: cloudId,
    name: 'acme',
    url: 'https://acme.atlassian.net',
    scopes: ['read:jira-work', 'read:jira-user'],
    avatarUrl: 'https://site-admin-avatar-cdn.prod.public.atl-paas.net/avatars/240/flag.png',
  },
]

describe('atlassian presets', () => {
  it('jira asks audience and consent, finds the chosen site, and calls its API under /ex/jira/<cloudId>', async () => {
    // https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/#2--exchange-authorization-code-for-access-token
    const fake = await startFakeProvider({
      token: () => ({
        access_token: 'eyJraWQiOiJhdGxhc3NpYW4-CANARY',
        expires_in: 3600,
        token_type: 'Bearer',
        refresh_token: 'eyJraWQiOiJyZWZyZXNo-CANARY',
        scope: 'read:jira-work read:jira-user read:me offline_access',
      }),
      // https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/#how-do-i-retrieve-the-public-profile-of-the-authenticated-user-
      userInfo: () => ({
        account_type: 'atlassian',
        account_id: '5b10ac8d82e05b22cc7d4ef5',
        email: 'ana@acme.com',
        name: 'Ana',
        account_status: 'active',
      }),
      routes: {
        '/oauth/token/accessible-resources': resources,
        [`/ex/jira/${cloudId}/rest/api/3/myself`]: () => ({ accountId: '5b10ac8d82e05b22cc7d4ef5' }),
      },
    })
    const provider = jira({
      ...app,
      site: 'https://acme.atlassian.net/',
      endpoints: {
        authorizationUrl: fake.endpoints.authorizationUrl,
        tokenUrl: fake.endpoints.tokenUrl,
        userInfoUrl: fake.endpoints.userInfoUrl,
        apiBaseUrl: fake.url,
      },
    })
    const run = await connectThroughFake(provider, fake)

    expect(run.authorization.get('audience')).toBe('api.atlassian.com')
    expect(run.authorization.get('prompt')).toBe('consent')
    expect(run.authorization.get('scope')).toBe('read:jira-work read:jira-user read:me offline_access')
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({ method: 'post', ...app })
    expect(fake.tokenRequests[0]?.headers['content-type']).toBe('application/json')
    expect(run.connection).toMatchObject({
      provider: 'jira',
      // One connection per site: the site is part of the account id.
      accountId: `${cloudId}:5b10ac8d82e05b22cc7d4ef5`,
      accountEmail: 'ana@acme.com',
      grantedScopes: ['read:jira-work', 'read:jira-user', 'read:me', 'offline_access'],
      metadata: { cloudId, siteUrl: 'https://acme.atlassian.net', siteName: 'acme' },
    })
    const lifetime = Date.parse(run.connection.expiresAt ?? '') - Date.now()
    expect(lifetime).toBeGreaterThan(3500_000)
    expect(lifetime).toBeLessThanOrEqual(3600_000)

    const response = await run.app.router.connections.fetch('ana', 'jira', '/rest/api/3/myself')
    expect(await response.json()).toEqual({ accountId: '5b10ac8d82e05b22cc7d4ef5' })

    // Atlassian has no revocation endpoint: nothing is sent.
    expect(provider.revocationUrl).toBeNull()
    await run.app.router.connections.revoke('ana', run.connection.id)
    expect(fake.revocations).toHaveLength(0)
  })

  it('confluence shares the app, asks its own scopes, and picks a confluence site', async () => {
    const fake = await startFakeProvider({
      token: () => ({ access_token: 'at-CANARY', expires_in: 3600, token_type: 'Bearer', scope: 'read:me' }),
      userInfo: () => ({ account_id: '5b10', email: 'ana@acme.com', name: 'Ana' }),
      routes: { '/oauth/token/accessible-resources': resources },
    })
    const provider = confluence({
      ...app,
      endpoints: {
        authorizationUrl: fake.endpoints.authorizationUrl,
        tokenUrl: fake.endpoints.tokenUrl,
        userInfoUrl: fake.endpoints.userInfoUrl,
        apiBaseUrl: fake.url,
      },
    })
    const run = await connectThroughFake(provider, fake)
    expect(run.connection.metadata).toEqual({
      cloudId: 'aaaa0000-0000-0000-0000-00000000conf',
      siteUrl: 'https://other.atlassian.net',
      siteName: 'other',
    })
    expect(jira(app).clientId).toBe(confluence(app).clientId)
    expect(confluence(app).scopes).toContain('read:confluence-content.all')
    expect(jira(app).userInfoUrl).toBe('https://api.atlassian.com/me')
  })
})
