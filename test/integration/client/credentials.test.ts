import { afterEach, describe, expect, it } from 'vitest'
import { createConnectionsClient } from '../../../src/client/index.js'
import { providers } from '../../../src/index.js'
import { startTelegramFake, TELEGRAM_BOT } from '../../support/agent-policy.js'
import { startTestApp, type TestApp } from '../../support/app.js'
import type { FakeProvider } from '../../support/fake-provider.js'

const running: Array<TestApp | FakeProvider> = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.close()))
})

async function telegramApp() {
  const fake = await startTelegramFake()
  const app = await startTestApp(null, { providers: [providers.telegram({ baseUrl: fake.url })] })
  running.push(fake, app)
  return createConnectionsClient({ baseUrl: app.mount, headers: { 'x-user': 'ana' } })
}

describe("the user's client connects credentials providers", () => {
  it('connects a Telegram bot by its token, and by the generic credentials body; the token never comes back', async () => {
    const ana = await telegramApp()
    const made = await ana.connections.connectTelegram({ botToken: TELEGRAM_BOT, label: 'Support' })
    expect(made).toMatchObject({
      connection: { provider: 'telegram', label: 'Support', status: 'active' },
      botInfo: { id: 123456789 },
    })
    expect(JSON.stringify(made)).not.toContain(TELEGRAM_BOT)

    const again = await ana.connections.connectCredentials({
      provider: 'telegram',
      credentials: { botToken: TELEGRAM_BOT },
    })
    expect(again).toMatchObject({ provider: 'telegram', status: 'active' })
    expect(JSON.stringify(again)).not.toContain(TELEGRAM_BOT)
  })

  it('refuses a token Telegram refuses with invalid_credentials, without the token in the error', async () => {
    const ana = await telegramApp()
    const wrong = '987654321:AAE-not-a-bot-the-fake-knows-0123456789'
    const error = await ana.connections.connectTelegram({ botToken: wrong }).catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'ConnectionsClientError', code: 'invalid_credentials', status: 422 })
    expect(`${(error as Error).message} ${JSON.stringify(error)}`).not.toContain(wrong)
  })
})
