import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isLoopback, launchChromium } from './chromium.js'
import { type DemoProcess, startDemoProcess } from './demo-process.js'

/**
 * `npm run demo` in Debian's Chromium, as a person uses it: sign in to the example app, connect an
 * account at the bundled OAuth provider (its real login and consent pages) in the router's
 * `<connections-panel>`, rename, reconnect after the provider forgot the grant, and revoke.
 */

const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'test-results')

let dataDir = ''
let demo: DemoProcess | undefined
let browser: Browser | undefined
let page: Page
const pageErrors: string[] = []
/** Every URL the browser asked for that is not on this machine (the pages must work offline). */
const offsite: string[] = []

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'express-connections-demo-'))
  await mkdir(SCREENSHOTS, { recursive: true })
  demo = await startDemoProcess(dataDir)
  browser = await launchChromium()
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } })
  context.on('request', (request) => {
    const url = new URL(request.url())
    if (url.protocol !== 'data:' && !isLoopback(url)) offsite.push(url.href)
  })
  // Nothing leaves this machine, even if a page asks (the test then fails on `offsite`).
  await context.route(
    (url) => !isLoopback(url),
    (route) => route.abort(),
  )
  page = await context.newPage()
  page.setDefaultTimeout(15_000)
  const origin = demo.url
  page.on('pageerror', (error) => pageErrors.push(error.message))
  page.on('console', (message) => {
    // The demo's own pages must log no error (a CSP violation, a failed script or asset).
    if (message.type() === 'error' && page.url().startsWith(origin)) {
      pageErrors.push(`${message.text()} (${message.location().url || page.url()})`)
    }
  })
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await demo?.stop()
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
}, 30_000)

const localCard = () => page.locator('connections-panel [data-provider="local"]')
const localBadge = (status: string) => localCard().locator(`h3 ~ .badge[data-status="${status}"]`)
const connectionRow = () => localCard().locator('.connection')
const notice = () => page.locator('connections-panel [role="status"] .notice')

/** Signs in (if asked) and consents at the bundled provider's pages, until the browser is back. */
async function authorizeAtProvider(login: string): Promise<void> {
  const appOrigin = demo?.url ?? ''
  await page.waitForURL((url) => !url.href.startsWith(appOrigin))
  while (!page.url().startsWith(appOrigin)) {
    const loginField = page.locator('input[name="login"]')
    const next = page.locator('button[type="submit"]:visible').first()
    await next.waitFor()
    if (await loginField.isVisible()) {
      await loginField.fill(login)
      await page.locator('input[name="password"]').fill('any password')
    }
    await Promise.all([page.waitForNavigation(), next.click()])
  }
}

describe('npm run demo in a browser', () => {
  it('connects, renames, reconnects and revokes in the <connections-panel> of the settings page', {
    timeout: 60_000,
  }, async () => {
    let app = demo?.url ?? ''

    // The host app's own login.
    await page.goto(app)
    await page.waitForURL(`${app}/login`)
    await page.fill('#name', 'Ana')
    await page.click('button:has-text("Sign in")')
    await page.waitForURL(`${app}/settings`)
    await expect(page.locator('.account .who').innerText()).resolves.toBe('Signed in as Ana')
    await localBadge('not_connected').waitFor()

    // Cancelled at the provider: back on the settings page with the error in the panel.
    await localCard().getByRole('button', { name: 'Connect: Local OAuth' }).click()
    await page.waitForURL((url) => url.pathname.startsWith('/interaction/'))
    await page.click('text=[ Cancel ]')
    await page.waitForURL(`${app}/settings`)
    expect(await notice().innerText()).toBe('Could not connect: End-User aborted interaction')
    await localBadge('not_connected').waitFor()

    // Connect: the real redirect flow, login and consent at the provider.
    await localCard().getByRole('button', { name: 'Connect: Local OAuth' }).click()
    // A login name that is already an email is the account's email as typed.
    await authorizeAtProvider('ana@example.com')
    await page.waitForURL(`${app}/settings`)
    await localBadge('active').waitFor()
    expect(await notice().innerText()).toBe('Connected Local OAuth (ana@example.com).')
    expect(await connectionRow().count()).toBe(1)
    const connectionId = await connectionRow().getAttribute('data-connection-id')
    expect(await connectionRow().locator('.label').innerText()).toBe('ana@example.com')
    await page.screenshot({ path: join(SCREENSHOTS, 'demo-settings.png'), fullPage: true })

    // Rename.
    await connectionRow().getByRole('button', { name: 'Rename: ana@example.com' }).click()
    await connectionRow().locator('input[name="label"]').fill('Work account')
    await connectionRow().getByRole('button', { name: 'Save' }).click()
    await expect.poll(() => connectionRow().locator('.label').innerText()).toBe('Work account')
    expect(await notice().innerText()).toBe('Renamed to Work account.')

    // Restart the demo on the same data directory (its ports change): still signed in, the
    // connection still decrypts, but the bundled provider kept its tokens in memory and has forgotten
    // them. A call through the proxy then fails the refresh too, and the connection needs re-authorization.
    await demo?.stop()
    demo = await startDemoProcess(dataDir)
    app = demo.url
    await page.goto(`${app}/settings`)
    await localBadge('active').waitFor()
    expect(await connectionRow().locator('.label').innerText()).toBe('Work account')
    const call = await page.request.get(`${app}/integrations/connections/${connectionId}/proxy/me`)
    expect(call.status()).toBe(409)
    await page.reload()
    await localBadge('needs_reauth').waitFor()
    expect(await connectionRow().locator('.reason').innerText()).toContain('invalid_grant')
    await page.screenshot({ path: join(SCREENSHOTS, 'demo-needs-reauth.png'), fullPage: true })

    // Reconnect: consent again, same connection (id and label kept), new tokens.
    await connectionRow().getByRole('button', { name: 'Reconnect: Work account' }).click()
    await authorizeAtProvider('ana@example.com')
    await page.waitForURL(`${app}/settings`)
    await localBadge('active').waitFor()
    expect(await connectionRow().count()).toBe(1)
    expect(await connectionRow().getAttribute('data-connection-id')).toBe(connectionId)
    expect(await connectionRow().locator('.label').innerText()).toBe('Work account')
    const profile = await page.request.get(`${app}/integrations/connections/${connectionId}/proxy/me`)
    expect(await profile.text()).toContain('ana@example.com')

    // The connection's tools, with their switches: turned off here, the router has it off.
    await connectionRow().getByRole('button', { name: 'Tools: Work account' }).click()
    const readProfile = connectionRow().locator('connection-tools [data-tool="read_profile"]')
    await readProfile.waitFor()
    expect(await readProfile.getByRole('switch').isChecked()).toBe(true)
    await readProfile.getByRole('switch').click()
    const toolsUrl = `${app}/integrations/connections/${connectionId}/tools`
    const enabled = async () =>
      (
        (await (await page.request.get(toolsUrl)).json()) as {
          data: Array<{ slug: string; isEnabled: boolean }>
        }
      ).data.find((t) => t.slug === 'read_profile')?.isEnabled
    await expect.poll(enabled).toBe(false)
    await page.screenshot({ path: join(SCREENSHOTS, 'demo-tools.png'), fullPage: true })

    // Revoke, after the panel's confirmation.
    await connectionRow().getByRole('button', { name: 'Revoke: Work account' }).click()
    await connectionRow().getByRole('button', { name: 'Yes, revoke' }).click()
    await expect.poll(() => connectionRow().count()).toBe(0)
    await localBadge('not_connected').waitFor()
    expect(await notice().innerText()).toBe('Work account revoked.')
    const revoked = await page.request.get(`${app}/integrations/connections?status=revoked`)
    const tombstones = ((await revoked.json()) as { data: Array<{ id: string; status: string }> }).data
    expect(tombstones).toEqual([expect.objectContaining({ id: connectionId, status: 'revoked' })])
    await page.screenshot({ path: join(SCREENSHOTS, 'demo-revoked.png'), fullPage: true })

    // The generated encryption key was never printed nor rendered; the page logged no error (a CSP
    // violation, a script refused for its integrity) and asked for nothing off this machine.
    const key = (await readFile(join(dataDir, 'connections.key'), 'utf8')).trim()
    expect(key.length).toBeGreaterThanOrEqual(40)
    expect(demo?.output()).not.toContain(key)
    expect(await page.content()).not.toContain(key)
    expect(pageErrors).toEqual([])
    expect(offsite).toEqual([])
  })
})
