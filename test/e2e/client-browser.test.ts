import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestApp } from '../support/app.js'
import { useOAuthSuite } from '../support/suite.js'
import { isLoopback, launchChromium } from './chromium.js'

/**
 * The built browser client (dist/client/index.js, after npm run build) in Debian's Chromium, on a page
 * of the host app: it loads as a plain ES module, and its writes pass the router's cross-site check
 * with the headers the browser adds by itself.
 */

const suite = useOAuthSuite()
let browser: Browser | undefined

beforeAll(async () => {
  browser = await launchChromium()
}, 60_000)

afterAll(async () => {
  await browser?.close()
})

describe('express-connections/client in a browser', () => {
  it('manages agents from a page of the app and throws ConnectionsClientError with the router’s code', async () => {
    const app: TestApp = await suite.appWith()
    const bundle = await readFile(join(import.meta.dirname, '..', '..', 'dist', 'client', 'index.js'), 'utf8')
    const context = await (browser as Browser).newContext()
    // The test app's stand-in login: every request of this browser is Ana's.
    await context.setExtraHTTPHeaders({ 'x-user': 'ana' })
    await context.route(
      (url) => !isLoopback(url),
      (route) => route.abort(),
    )
    try {
      const page = await context.newPage()
      const errors: string[] = []
      const writeOrigins: Array<string | undefined> = []
      page.on('request', async (request) => {
        if (request.method() !== 'GET') writeOrigins.push((await request.allHeaders()).origin)
      })
      page.on('pageerror', (error) => errors.push(error.message))
      await page.route(`${app.url}/client.js`, (route) =>
        route.fulfill({ contentType: 'text/javascript', body: bundle }),
      )
      await page.route(`${app.url}/page`, (route) =>
        route.fulfill({
          contentType: 'text/html',
          body: `<!doctype html><title>settings</title><script type="module">
          import * as client from '/client.js'
          window.expressConnectionsClient = client
        </script>`,
        }),
      )
      await page.goto(`${app.url}/page`)
      await page.waitForFunction(() => 'expressConnectionsClient' in globalThis)

      const result = await page.evaluate(async () => {
        const { createConnectionsClient, ConnectionsClientError } = (
          globalThis as unknown as { expressConnectionsClient: typeof import('../../src/client/index.js') }
        ).expressConnectionsClient
        const client = createConnectionsClient({ baseUrl: '/integrations' })
        const made = await client.agents.create('Browser bot')
        const listed = await client.agents.list()
        const rotated = await client.agents.rotateKey(made.agent.id)
        const failure = await client.agents.create('').catch((error: unknown) => error)
        await client.agents.remove(made.agent.id)
        return {
          key: typeof made.key === 'string' && made.key.startsWith('ak_'),
          listed: listed.map((a: { name: string }) => a.name),
          rotated: rotated.key !== made.key,
          failure: {
            isClientError: failure instanceof ConnectionsClientError,
            code: (failure as { code?: string }).code,
            status: (failure as { status?: number }).status,
            details: Array.isArray((failure as { details?: unknown }).details),
          },
          after: (await client.agents.list()).length,
        }
      })
      expect(result).toEqual({
        key: true,
        listed: ['Browser bot'],
        rotated: true,
        failure: { isClientError: true, code: 'invalid_request', status: 400, details: true },
        after: 0,
      })
      expect(errors).toEqual([])
      // The browser sent its Origin on each write (create, rotate, the refused create, delete), and the
      // router's cross-site check let the app's own origin through.
      expect(writeOrigins).toEqual([app.url, app.url, app.url, app.url])
    } finally {
      await context.close()
    }
  }, 30_000)
})
