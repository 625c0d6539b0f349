import request from 'supertest'
import { afterAll, beforeAll, expect } from 'vitest'
import { type PolicyInput, PolicyStore } from '../../src/agents/policies.js'
import { InProcessLock } from '../../src/locks/lock.js'
import type { Policy } from '../../src/policy/index.js'
import { SafeStore } from '../../src/storage/safe-store.js'
import type { TestApp } from './app.js'
import { type FakeProvider, startFakeProvider } from './fake-provider.js'
import { startEchoApi } from './http-fakes.js'

export const owner = { 'x-user': 'ana' }
export const bearer = (key: string) => ({ authorization: `Bearer ${key}` })

export interface TestAgent {
  agent: { id: string; name: string }
  key: string
}

/** An agent of `as` (Ana by default), made over HTTP: its key is in this answer only. */
export async function createAgent(app: TestApp, name = 'Support bot', as = owner): Promise<TestAgent> {
  const res = await request(app.url).post('/integrations/agents').set(as).send({ name })
  expect(res.status).toBe(201)
  return res.body.data
}

/**
 * Binds `agent` to a connection with the policy store the router reads (the same Keyv store),
 * as `POST /policies` will: rules not given take their defaults.
 */
export async function bindPolicy(
  app: TestApp,
  agent: TestAgent,
  connectionId: string,
  rules: Omit<PolicyInput, 'connectionId' | 'agentId'> = {},
  ownerId = 'ana',
): Promise<Policy> {
  const policies = new PolicyStore(new SafeStore(app.store, 5000), new InProcessLock())
  return policies.create(ownerId, { ...rules, connectionId, agentId: agent.agent.id }, agent.agent)
}

type EchoApi = Awaited<ReturnType<typeof startEchoApi>>

/** One echoing provider API for the file: `calls(path)` counts the requests that reached it. */
export function useEchoApi(): {
  readonly url: string
  calls(path: string): number
  seen(path: string): EchoApi['seen']
} {
  let echo: EchoApi | undefined
  beforeAll(async () => {
    echo = await startEchoApi()
  })
  afterAll(async () => {
    await echo?.close()
  })
  const started = (): EchoApi => {
    if (!echo) throw new Error('The echo API starts in beforeAll: use it inside a test.')
    return echo
  }
  return {
    get url() {
      return started().url
    },
    seen: (path) => started().seen.filter((r) => r.url === path),
    calls: (path) => started().seen.filter((r) => r.url === path).length,
  }
}

/** A bot token in Telegram's shape (a canary: it must never show up anywhere but the store, sealed). */
export const TELEGRAM_BOT = '123456789:AAE-CANARY-bot-token-0123456789abcdefghij'

/** The Bot API's getMe and sendMessage, in their documented shapes, for `TELEGRAM_BOT`. */
export function startTelegramFake(): Promise<FakeProvider> {
  // https://core.telegram.org/bots/api#getme and #sendmessage
  return startFakeProvider({
    token: () => ({}),
    routes: {
      [`/bot${TELEGRAM_BOT}/getMe`]: () => ({
        ok: true,
        result: { id: 123456789, is_bot: true, first_name: 'Helper' },
      }),
      [`/bot${TELEGRAM_BOT}/sendMessage`]: (r) => ({
        ok: true,
        result: { message_id: 1, chat: { id: Number(r.form.chat_id) } },
      }),
    },
  })
}
