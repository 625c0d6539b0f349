import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isLoopback, launchChromium } from './chromium.js'
import { type DemoProcess, startDemoProcess } from './demo-process.js'

/**
 * `npm run demo` in Debian's Chromium, as a person uses it: sign in to the example app, connect an
 * account at the bundled OAuth provider (its real login and consent pages), call its API through
 * the proxy, rename, reconnect and revoke the connection.
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

const localCard = () => page.locator('[data-provider="local"]')
const localBadge = (status: string) => localCard().locator(`.provider-head [data-status="${status}"]`)
const connectionRow = () => localCard().locator('.connection')
const banner = () => page.locator('#banner')

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
  it('connects, calls the API, renames, reconnects and revokes', { timeout: 60_000 }, async () => {
    let app = demo?.url ?? ''

    // The host app's own login.
    await page.goto(app)
    await page.waitForURL(`${app}/login`)
    await page.fill('#name', 'Ana')
    await page.click('button:has-text("Sign in")')
    await page.waitForURL(`${app}/settings`)
    await expect(page.locator('.account .who').innerText()).resolves.toBe('Signed in as Ana')
    await localBadge('not_connected').waitFor()

    // Cancelled at the provider: back on the settings page with the error in a banner.
    await localCard().locator('a:has-text("Connect")').click()
    await page.waitForURL((url) => url.pathname.startsWith('/interaction/'))
    await page.click('text=[ Cancel ]')
    await page.waitForURL((url) => url.pathname === '/settings' && url.searchParams.has('error'))
    expect(await banner().innerText()).toBe('Could not connect: End-User aborted interaction (access_denied)')
    expect(await banner().getAttribute('class')).toContain('banner-error')
    await localBadge('not_connected').waitFor()

    // Connect: the real redirect flow, login and consent at the provider.
    await localCard().locator('a:has-text("Connect")').click()
    // A login name that is already an email is the account's email as typed.
    await authorizeAtProvider('ana@example.com')
    await page.waitForURL((url) => url.pathname === '/settings' && url.searchParams.has('connection_id'))
    const connectionId = new URL(page.url()).searchParams.get('connection_id')
    await localBadge('active').waitFor()
    expect(await banner().innerText()).toBe('Connected Local OAuth as ana@example.com.')
    expect(await connectionRow().count()).toBe(1)
    expect(await connectionRow().getAttribute('data-connection-id')).toBe(connectionId)
    expect(await connectionRow().locator('.connection-label').innerText()).toBe('ana@example.com')

    // Call API: the provider's userinfo (`/me`) through the proxy shows the account's profile.
    await connectionRow().locator('button:has-text("Call API")').click()
    const result = connectionRow().locator('.api-result')
    await result.locator('dl').waitFor()
    const profile = await result.innerText()
    expect(profile).toContain('GET /me through the proxy')
    expect(profile).toContain('ana@example.com')
    expect(profile).toContain('Test User ana@example.com')
    await page.screenshot({ path: join(SCREENSHOTS, 'demo-settings.png'), fullPage: true })

    // Rename.
    await connectionRow().locator('button:has-text("Rename")').click()
    await connectionRow().locator('input[name="label"]').fill('Work account')
    await connectionRow().locator('button:has-text("Save")').click()
    await page.waitForURL((url) => url.searchParams.get('notice') === 'relabeled')
    expect(await connectionRow().locator('.connection-label').innerText()).toBe('Work account')
    expect(await banner().innerText()).toBe('Label saved.')

    // Restart the demo on the same data directory (its ports change): still signed in, the
    // connection still decrypts, but the bundled provider kept its tokens in memory and has forgotten
    // them. Calling the API then fails the refresh too, and the connection needs re-authorization.
    await demo?.stop()
    demo = await startDemoProcess(dataDir)
    app = demo.url
    await page.goto(`${app}/settings`)
    await localBadge('active').waitFor()
    expect(await connectionRow().locator('.connection-label').innerText()).toBe('Work account')
    await connectionRow().locator('button:has-text("Call API")').click()
    await localBadge('needs_reauth').waitFor()
    expect(await result.locator('.api-error').innerText()).toContain('needs re-authorization')
    await page.reload()
    await localBadge('needs_reauth').waitFor()
    expect(await connectionRow().locator('.reason').innerText()).toContain('invalid_grant')
    await page.screenshot({ path: join(SCREENSHOTS, 'demo-needs-reauth.png'), fullPage: true })

    // Reconnect: consent again, same connection (id and label kept), new tokens.
    await connectionRow().locator('button:has-text("Reconnect")').click()
    await authorizeAtProvider('ana@example.com')
    await page.waitForURL((url) => url.searchParams.get('connection_id') === connectionId)
    await localBadge('active').waitFor()
    expect(await banner().innerText()).toBe('Reconnected Local OAuth as ana@example.com.')
    expect(await connectionRow().count()).toBe(1)
    expect(await connectionRow().locator('.connection-label').innerText()).toBe('Work account')
    await connectionRow().locator('button:has-text("Call API")').click()
    await result.locator('dl').waitFor()

    // Revoke, after the confirmation dialog.
    page.once('dialog', (dialog) => void dialog.accept())
    await connectionRow().locator('button:has-text("Revoke")').click()
    await page.waitForURL((url) => url.searchParams.get('notice') === 'revoked')
    await localBadge('not_connected').waitFor()
    expect(await connectionRow().count()).toBe(0)
    expect(await banner().innerText()).toContain('Connection revoked')
    const revoked = await page.request.get(`${app}/integrations/connections?status=revoked`)
    const tombstones = ((await revoked.json()) as { data: Array<{ id: string; status: string }> }).data
    expect(tombstones).toEqual([expect.objectContaining({ id: connectionId, status: 'revoked' })])
    await page.screenshot({ path: join(SCREENSHOTS, 'demo-revoked.png'), fullPage: true })

    // The generated encryption key was never printed nor rendered; the page logged no error.
    const key = (await readFile(join(dataDir, 'connections.key'), 'utf8')).trim()
    expect(key.length).toBeGreaterThanOrEqual(40)
    expect(demo?.output()).not.toContain(key)
    expect(await page.content()).not.toContain(key)
    expect(pageErrors).toEqual([])
    expect(offsite).toEqual([])
  })
})
