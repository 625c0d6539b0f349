import { describe, expect, it } from 'vitest'
import { calCom } from '../../src/providers/presets/cal-com.js'
import { endpointsWithout, startFakeProvider } from '../support/fake-provider.js'
import { clientCredentials, connectThroughFake } from '../support/preset-flow.js'

describe('cal.com preset', () => {
  it('asks for upper-case scopes and names the account from the data of /v2/me', async () => {
    // https://cal.com/docs/api-reference/v2/oauth2/exchange-authorization-code-or-refresh-token-for-tokens
    const fake = await startFakeProvider({
      token: () => ({
        access_token: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.cal-CANARY',
        token_type: 'bearer',
        refresh_token: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.refresh-CANARY',
        expires_in: 1800,
        scope: 'PROFILE_READ BOOKING_READ EVENT_TYPE_READ SCHEDULE_READ',
      }),
      // https://cal.com/docs/api-reference/v2/me/get-my-profile
      userInfo: () => ({
        status: 'success',
        data: {
          id: 1337,
          username: 'ana',
          email: 'ana@example.com',
          name: 'Ana',
          timeFormat: 24,
          defaultScheduleId: 1,
          weekStart: 'Monday',
          timeZone: 'Europe/Berlin',
          organizationId: null,
        },
      }),
    })
    const provider = calCom({
      clientId: 'cal-id',
      clientSecret: 'cal-secret-CANARY',
      endpoints: { ...endpointsWithout(fake, 'revocationUrl'), apiBaseUrl: fake.url },
    })
    const run = await connectThroughFake(provider, fake)

    expect(run.authorization.get('scope')).toBe('PROFILE_READ BOOKING_READ EVENT_TYPE_READ SCHEDULE_READ')
    expect(clientCredentials(fake.tokenRequests[0])).toEqual({
      method: 'post',
      clientId: 'cal-id',
      clientSecret: 'cal-secret-CANARY',
    })
    expect(run.connection).toMatchObject({
      provider: 'cal_com',
      providerName: 'Cal.com',
      accountId: '1337',
      accountEmail: 'ana@example.com',
      grantedScopes: ['PROFILE_READ', 'BOOKING_READ', 'EVENT_TYPE_READ', 'SCHEDULE_READ'],
      metadata: { username: 'ana' },
    })
    const lifetime = Date.parse(run.connection.expiresAt ?? '') - Date.now()
    expect(lifetime).toBeGreaterThan(1700_000)
    expect(lifetime).toBeLessThanOrEqual(1800_000)
    expect(calCom({ clientId: 'a', clientSecret: 'b' }).revocationUrl).toBeNull()
  })

  it('stores no expiry when the token response has no expires_in', async () => {
    const fake = await startFakeProvider({
      token: () => ({ access_token: 'cal-access-CANARY', refresh_token: 'cal-refresh-CANARY' }),
      userInfo: () => ({ status: 'success', data: { id: 7, username: 'bo', email: 'bo@example.com' } }),
    })
    const run = await connectThroughFake(
      calCom({ clientId: 'a', clientSecret: 'b', endpoints: endpointsWithout(fake, 'revocationUrl') }),
      fake,
    )
    expect(run.connection).toMatchObject({ accountId: '7', expiresAt: null })
  })
})
