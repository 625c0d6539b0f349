import { describe, expect, it } from 'vitest'
import { notion } from '../../src/providers/presets/notion.js'
import { startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

describe('notion preset', () => {
  it('asks owner=user, exchanges with Basic and JSON, and names the workspace and user from the token response', async () => {
    // https://developers.notion.com/docs/authorization#step-4-notion-responds-with-an-access_token-and-some-additional-information
    const fake = await startFakeProvider({
      token: () => ({
        access_token: 'ntn_e202e8c909904-CANARY',
        token_type: 'bearer',
        bot_id: 'b3414d65-1224-5ty7-6ffr-cc9d8773d601',
        workspace_name: "Ada's Notion Workspace",
        workspace_icon: 'https://website.domain/images/image.png',
        workspace_id: 'j565j4d7-2882-61bs-564a-jj9d9uic36hx',
        owner: {
          type: 'user',
          user: {
            object: 'user',
            id: '8a3c2e7f-0f1a-4c1b-9d1e-3b2f5c6d7e8f',
            name: 'Ada Lovelace',
            avatar_url: null,
            type: 'person',
            person: { email: 'ada@example.com' },
          },
        },
        duplicated_template_id: null,
        request_id: '3c90c3cc-0d44-4b50-8888-8dd25736052a',
      }),
      routes: { '/users/me': () => ({ object: 'user', type: 'bot' }) },
    })
    const provider = notion({
      clientId: 'notion-id',
      clientSecret: 'notion-secret-CANARY',
      endpoints: {
        authorizationUrl: fake.endpoints.authorizationUrl,
        tokenUrl: fake.endpoints.tokenUrl,
        revocationUrl: fake.endpoints.revocationUrl,
        apiBaseUrl: fake.url,
      },
    })
    const run = await connectThroughFake(provider, fake)

    expect(run.authorization.get('owner')).toBe('user')
    // No scopes: the engine sends an empty scope (or none), which Notion ignores.
    expect(run.authorization.get('scope') ?? '').toBe('')
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({
      method: 'basic',
      clientId: 'notion-id',
      clientSecret: 'notion-secret-CANARY',
    })
    expect(fake.tokenRequests[0]?.headers['content-type']).toBe('application/json')
    expect(run.connection).toMatchObject({
      provider: 'notion',
      accountId: 'j565j4d7-2882-61bs-564a-jj9d9uic36hx:8a3c2e7f-0f1a-4c1b-9d1e-3b2f5c6d7e8f',
      accountEmail: 'ada@example.com',
      grantedScopes: [],
      expiresAt: null,
      metadata: {
        workspaceId: 'j565j4d7-2882-61bs-564a-jj9d9uic36hx',
        workspaceName: "Ada's Notion Workspace",
        botId: 'b3414d65-1224-5ty7-6ffr-cc9d8773d601',
      },
    })

    await run.app.router.connections.fetch('ana', 'notion', '/users/me')
    const call = fake.requests.at(-1)
    expect(call?.headers['notion-version']).toBe('2022-06-28')
    expect(call?.headers.authorization).toBe('Bearer ntn_e202e8c909904-CANARY')

    // Notion's revocation needs its version header, a JSON body and the client as Basic.
    await run.app.router.connections.revoke('ana', run.connection.id)
    expect(fake.revocations).toHaveLength(1)
    const revocation = fake.revocations[0]
    expect(revocation?.headers['notion-version']).toBe('2025-09-03')
    expect(revocation?.headers['content-type']).toBe('application/json')
    expect(revocation?.form).toEqual({ token: 'ntn_e202e8c909904-CANARY' })
    expect(clientCredentials(revocation)).toEqual({
      method: 'basic',
      clientId: 'notion-id',
      clientSecret: 'notion-secret-CANARY',
    })
  })
})
