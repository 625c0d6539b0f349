import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { expect } from 'vitest'
import { isLoopback } from './chromium.js'

/** Screenshots of the elements, kept as test artefacts (test-results/ is ignored by git). */
export const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'test-results', 'elements')

export interface WatchedPage {
  context: BrowserContext
  page: Page
  /** Page errors and console errors (a CSP violation, a failed script) of the app's own pages. */
  errors: string[]
  /** Every URL asked for that is not on this machine. */
  offsite: string[]
}

/** A browser context signed in as `user` (the host reads `x-user`), that may reach nothing off this machine. */
export async function openPage(browser: Browser, appUrl: string, user: string): Promise<WatchedPage> {
  await mkdir(SCREENSHOTS, { recursive: true })
  const context = await browser.newContext({
    viewport: { width: 900, height: 800 },
    extraHTTPHeaders: { 'x-user': user },
  })
  const watched: WatchedPage = { context, page: undefined as unknown as Page, errors: [], offsite: [] }
  context.on('request', (request) => {
    const url = new URL(request.url())
    if (url.protocol !== 'data:' && !isLoopback(url)) watched.offsite.push(url.href)
  })
  await context.route(
    (url) => !isLoopback(url),
    (route) => route.abort(),
  )
  const page = await context.newPage()
  page.setDefaultTimeout(10_000)
  page.on('pageerror', (error) => watched.errors.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error' && page.url().startsWith(appUrl)) {
      watched.errors.push(`${message.text()} (${message.location().url || page.url()})`)
    }
  })
  watched.page = page
  return watched
}

/** Signs in (if asked) and consents at the local oidc-provider's pages, until the browser is back. */
export async function authorizeAtProvider(page: Page, appUrl: string, login: string): Promise<void> {
  await page.waitForURL((url) => !url.href.startsWith(appUrl))
  while (!page.url().startsWith(appUrl)) {
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

/** axe-core on the element (its shadow DOM included): no violation of WCAG 2.x A/AA. */
export async function expectNoAxeViolations(page: Page, selector: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .include(selector)
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze()
  const found = results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`,
  )
  expect(found).toEqual([])
}

/** The element in the light and the dark theme, as PNGs under test-results/elements/. */
export async function screenshotBothThemes(
  page: Page,
  url: string,
  tag: string,
  name: string,
): Promise<void> {
  for (const theme of ['light', 'dark']) {
    const themed = new URL(url)
    themed.searchParams.set('theme', theme)
    await page.goto(themed.href)
    await page.locator(`${tag}[theme="${theme}"]`).waitFor()
    // (Not waitForFunction: its polling evaluates a string, which the page's CSP forbids.)
    await expect
      .poll(() => page.locator(tag).evaluate((element) => (element as { loading?: boolean }).loading))
      .toBe(false)
    await page.locator(tag).screenshot({ path: join(SCREENSHOTS, `${name}-${theme}.png`) })
  }
}
