import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import request from 'supertest'
import ts from 'typescript'
import { afterEach, describe, expect, it } from 'vitest'
import { providers } from '../../../src/index.js'
import { owner, startTelegramFake, TELEGRAM_BOT, useEchoApi } from '../../support/agent-policy.js'
import { localProvider } from '../../support/app.js'
import type { FakeProvider } from '../../support/fake-provider.js'
import { connect } from '../../support/flows.js'
import { useOAuthSuite } from '../../support/suite.js'
import { tsBlocks } from '../../unit/readme-blocks.js'

const suite = useOAuthSuite()
const echo = useEchoApi()

const fakes: FakeProvider[] = []
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()))
})

/** The ts blocks between the README's worked-example markers, in order, as one async function body. */
function workedExample(): string {
  const readme = readFileSync(join(import.meta.dirname, '..', '..', '..', 'README.md'), 'utf8')
  const section = /<!-- worked-example -->\n([\s\S]*?)<!-- \/worked-example -->/.exec(readme)?.[1]
  if (section === undefined) throw new Error('README.md has no worked-example markers')
  const code = tsBlocks(section)
    .map((block) => block.code)
    .join('\n')
  return ts.transpileModule(code, { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText
}

type Run = (base: string, asOwner: object, apiId: string, botId: string, a: typeof assert) => Promise<void>
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => Run

describe('README "Agents and policies": the worked example', () => {
  it('runs as written: read-only agent, a write approved once, a Telegram bot kept to chat 42', async () => {
    const telegram = await startTelegramFake()
    fakes.push(telegram)
    const app = await suite.appWith({
      providers: [
        localProvider(suite.oauth, { apiBaseUrl: echo.url }),
        providers.telegram({ baseUrl: telegram.url }),
      ],
    })
    const apiId = await connect(app, 'ana')
    const created = await request(app.url)
      .post('/integrations/connections/telegram')
      .set(owner)
      .send({ botToken: TELEGRAM_BOT })
    expect(created.status).toBe(201)
    const botId: string = created.body.data.connection.id

    const run = new AsyncFunction('base', 'asOwner', 'apiId', 'botId', 'assert', workedExample())
    await run(`${app.url}/integrations`, owner, apiId, botId, assert)

    // What reached the stand-ins: the read, the approved write once; one message, to chat 42.
    expect(echo.seen('/issues').map((r) => r.method)).toEqual(['GET', 'POST'])
    expect(
      telegram.requests.filter((r) => r.path.endsWith('/sendMessage')).map((r) => r.form.chat_id),
    ).toEqual(['42'])
  })
})
