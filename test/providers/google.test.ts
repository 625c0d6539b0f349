import { describe, expect, it } from 'vitest'
import {
  gmail,
  google,
  googleCalendar,
  googleDrive,
  googleSheets,
} from '../../src/providers/presets/google.js'
import { startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

const app = { clientId: 'g-id.apps.googleusercontent.com', clientSecret: 'g-secret-CANARY' }

describe('google presets', () => {
  it('gmail asks for offline access with consent, stores the refresh token, and revokes at Google', async () => {
    // https://developers.google.com/identity/protocols/oauth2/web-server#exchange-authorization-code
    const fake = await startFakeProvider({
      token: (request) =>
        request.form.grant_type === 'refresh_token'
          ? { access_token: 'ya29.refreshed-CANARY', expires_in: 3599, scope: 'openid', token_type: 'Bearer' }
          : {
              access_token: 'ya29.a0AfH6SM-CANARY',
              expires_in: 3599,
              refresh_token: '1//04dX-CANARY',
              scope:
                'openid https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/gmail.readonly',
              token_type: 'Bearer',
              id_token: 'eyJhbGciOiJSUzI1NiJ9.e30.sig-CANARY',
            },
      userInfo: () => ({ sub: '1043', email: 'ana@gmail.com', email_verified: true, name: 'Ana' }),
    })
    const provider = gmail({ ...app, endpoints: fake.endpoints })
    const run = await connectThroughFake(provider, fake)

    expect(run.authorization.get('access_type')).toBe('offline')
    expect(run.authorization.get('prompt')).toBe('consent')
    expect(run.authorization.get('scope')).toBe(
      'openid email profile https://www.googleapis.com/auth/gmail.readonly',
    )
    expect(clientCredentials(fake.tokenRequests[0])).toMatchObject({ method: 'post', clientId: app.clientId })
    expect(run.connection).toMatchObject({
      provider: 'gmail',
      providerName: 'Gmail',
      accountId: '1043',
      accountEmail: 'ana@gmail.com',
    })
    expect(run.connection.grantedScopes).toContain('https://www.googleapis.com/auth/gmail.readonly')
    const lifetime = Date.parse(run.connection.expiresAt ?? '') - Date.now()
    expect(lifetime).toBeGreaterThan(3500_000)
    expect(lifetime).toBeLessThanOrEqual(3599_000)

    await run.app.router.connections.revoke('ana', run.connection.id)
    expect(fake.revocations.map((r) => r.form.token).sort()).toEqual([
      '1//04dX-CANARY',
      'ya29.a0AfH6SM-CANARY',
    ])
  })

  it('shares one Google app between the service entries, each with its own id and scopes', () => {
    const entries = [google(app), gmail(app), googleCalendar(app), googleDrive(app), googleSheets(app)]
    expect(entries.map((p) => p.id)).toEqual([
      'google',
      'gmail',
      'google_calendar',
      'google_drive',
      'google_sheets',
    ])
    expect(new Set(entries.map((p) => p.clientId)).size).toBe(1)
    expect(new Set(entries.map((p) => p.scopes.join(' '))).size).toBe(5)
    expect(googleCalendar(app).scopes).toContain('https://www.googleapis.com/auth/calendar.readonly')
  })
})
