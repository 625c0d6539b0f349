import { describe, expect, it } from 'vitest'
import { googleDocs, youtube } from '../../src/providers/presets/google.js'
import { startFakeProvider } from '../support/fake-provider.js'
import { connectThroughFake } from '../support/preset-flow.js'

const app = { clientId: 'g-id.apps.googleusercontent.com', clientSecret: 'g-secret-CANARY' }

// https://developers.google.com/identity/protocols/oauth2/web-server#exchange-authorization-code (read 2026-12-07)
const googleToken = (scope: string) => () => ({
  access_token: 'ya29.a0AfH6SM-yt-CANARY',
  expires_in: 3599,
  refresh_token: '1//04yt-CANARY',
  scope: `openid https://www.googleapis.com/auth/userinfo.email ${scope}`,
  token_type: 'Bearer',
  id_token: 'eyJhbGciOiJSUzI1NiJ9.e30.sig-CANARY',
})
const googleUser = () => ({ sub: '1043', email: 'ana@gmail.com', email_verified: true, name: 'Ana' })

describe('youtube and google docs presets', () => {
  it('youtube asks for youtube.readonly offline and keeps the channel of the account in metadata', async () => {
    const fake = await startFakeProvider({
      token: googleToken('https://www.googleapis.com/auth/youtube.readonly'),
      userInfo: googleUser,
      routes: {
        // https://developers.google.com/youtube/v3/docs/channels/list#response (read 2026-12-07)
        '/youtube/v3/channels': (request) => ({
          kind: 'youtube#channelListResponse',
          etag: 'ZdXZ5zXIqQdp3h0C2PwZ2S0J4rM',
          pageInfo: { totalResults: request.query.get('mine') === 'true' ? 1 : 0, resultsPerPage: 5 },
          items:
            request.query.get('mine') === 'true'
              ? [
                  {
                    kind: 'youtube#channel',
                    etag: 'b2yJ8yVgk0mQzv0AqvUQZKnb0GA',
                    id: 'UC_x5XG1OV2P6uZZ5FSM9Ttw',
                    snippet: { title: 'Ana Makes Things', description: '', customUrl: '@anamakes' },
                  },
                ]
              : [],
        }),
      },
    })
    const provider = youtube({
      ...app,
      endpoints: { ...fake.endpoints, apiBaseUrl: `${fake.url}/youtube/v3` },
    })
    const run = await connectThroughFake(provider, fake)

    expect(run.authorization.get('scope')).toBe(
      'openid email profile https://www.googleapis.com/auth/youtube.readonly',
    )
    expect(run.authorization.get('access_type')).toBe('offline')
    const lookup = fake.requests.find((r) => r.path === '/youtube/v3/channels')
    expect(lookup?.query.get('part')).toBe('snippet')
    expect(lookup?.headers.authorization).toBe('Bearer ya29.a0AfH6SM-yt-CANARY')
    expect(run.connection).toMatchObject({
      provider: 'youtube',
      providerName: 'YouTube',
      accountId: '1043',
      accountEmail: 'ana@gmail.com',
      metadata: { channelId: 'UC_x5XG1OV2P6uZZ5FSM9Ttw', channelTitle: 'Ana Makes Things' },
    })
  })

  it('connects a Google account that has no YouTube channel', async () => {
    const fake = await startFakeProvider({
      token: googleToken('https://www.googleapis.com/auth/youtube.readonly'),
      userInfo: googleUser,
      routes: {
        '/youtube/v3/channels': () => ({
          kind: 'youtube#channelListResponse',
          pageInfo: { totalResults: 0, resultsPerPage: 5 },
        }),
      },
    })
    const provider = youtube({
      ...app,
      endpoints: { ...fake.endpoints, apiBaseUrl: `${fake.url}/youtube/v3` },
    })
    const run = await connectThroughFake(provider, fake)
    expect(run.connection).toMatchObject({ accountId: '1043', metadata: { channelId: null } })
  })

  it('google docs asks for documents.readonly and calls the Docs API through the proxy', async () => {
    const documentId = '195j9eDD3ccgjQRttHhJPymLJUCOUjs-jmwTrekvdjFE'
    const fake = await startFakeProvider({
      token: googleToken('https://www.googleapis.com/auth/documents.readonly'),
      userInfo: googleUser,
      routes: {
        // https://developers.google.com/workspace/docs/api/reference/rest/v1/documents/get (read 2026-12-07)
        // (wrapped: the document has a `body` field of its own)
        [`/v1/documents/${documentId}`]: () => ({
          body: { documentId, title: 'Quarterly plan', revisionId: 'ALm37BVn1', body: { content: [] } },
        }),
      },
    })
    const provider = googleDocs({ ...app, endpoints: { ...fake.endpoints, apiBaseUrl: `${fake.url}/v1` } })
    const run = await connectThroughFake(provider, fake)

    expect(run.authorization.get('scope')).toBe(
      'openid email profile https://www.googleapis.com/auth/documents.readonly',
    )
    expect(run.connection).toMatchObject({
      provider: 'google_docs',
      providerName: 'Google Docs',
      accountId: '1043',
    })
    const response = await run.app.router.connections.fetch('ana', 'google_docs', `/documents/${documentId}`)
    expect(await response.json()).toMatchObject({ documentId, title: 'Quarterly plan' })
  })

  it('shares the Google app and its endpoints with the other Google entries', () => {
    for (const entry of [googleDocs(app), youtube(app)]) {
      expect(entry.authorizationUrl).toBe('https://accounts.google.com/o/oauth2/v2/auth')
      expect(entry.tokenUrl).toBe('https://oauth2.googleapis.com/token')
      expect(entry.revocationUrl).toBe('https://oauth2.googleapis.com/revoke')
      expect(entry.quirks.join(' ')).toContain('google_docs, youtube')
    }
    expect(googleDocs(app).apiBaseUrl).toBe('https://docs.googleapis.com/v1')
    expect(youtube(app).apiBaseUrl).toBe('https://www.googleapis.com/youtube/v3')
  })
})
