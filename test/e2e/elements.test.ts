import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sleep } from '../support/as-client.js'
import {
  authorizeAtProvider,
  expectNoAxeViolations,
  openPage,
  screenshotBothThemes,
  type WatchedPage,
} from './browser-page.js'
import { launchChromium } from './chromium.js'
import { type ElementsHost, startElementsHost } from './elements-host.js'

/**
 * The web components in Debian's Chromium, against the real router and the local OAuth server,
 * each through its whole life, on pages that are one script tag (the router's /ui.js, with its
 * integrity) and one element, under a CSP without inline script or style.
 */

let host: ElementsHost
let browser: Browser
let ana: WatchedPage
let page: Page

beforeAll(async () => {
  host = await startElementsHost()
  browser = await launchChromium()
  ana = await openPage(browser, host.url, 'ana')
  page = ana.page
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await host?.close()
}, 30_000)

/** The router's API as the signed-in owner, from the test (what the page shows is checked against it). */
async function asAna<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${host.mount}${path}`, {
    ...init,
    headers: { 'x-user': 'ana', 'content-type': 'application/json', ...init.headers },
  })
  return ((await response.json()) as { data: T }).data
}

const provider = (id: string) => page.locator(`connections-panel [data-provider="${id}"]`)
const badge = (id: string) => provider(id).locator('h3 ~ .badge')
const row = (id: string) => provider(id).locator('.connection')
const notice = () => page.locator('connections-panel [role="status"] .notice')

describe('<connections-panel>', () => {
  it('connects, renames, reconnects after needs_reauth and revokes, through the real flow', {
    timeout: 60_000,
  }, async () => {
    await page.goto(`${host.url}/panel`)
    await expect.poll(() => badge('local').getAttribute('data-status')).toBe('not_connected')
    expect(await badge('local').innerText()).toBe('Not connected')
    await expectNoAxeViolations(page, 'connections-panel')

    // Connect: the router's redirect flow, login and consent at the provider, back on this page.
    await provider('local').getByRole('button', { name: 'Connect: Local OAuth' }).click()
    await authorizeAtProvider(page, host.url, 'ana@example.com')
    await page.waitForURL(`${host.url}/panel`) // the router's connection_id is taken off the URL
    await expect.poll(() => badge('local').getAttribute('data-status')).toBe('active')
    expect(await notice().innerText()).toBe('Connected Local OAuth (ana@example.com).')
    const [connection] = await asAna<Array<{ id: string; label: string }>>('/connections')
    expect(await row('local').getAttribute('data-connection-id')).toBe(connection?.id)

    // Rename.
    await row('local').getByRole('button', { name: 'Rename: ana@example.com' }).click()
    await row('local').getByLabel('New name for ana@example.com').fill('Work account')
    await row('local').getByRole('button', { name: 'Save' }).click()
    await expect.poll(() => row('local').locator('.label').innerText()).toBe('Work account')
    expect(await notice().innerText()).toBe('Renamed to Work account.')
    expect((await asAna<{ label: string }>(`/connections/${connection?.id}`)).label).toBe('Work account')

    // The provider refuses the refresh: the connection needs re-authorization, and the panel says so.
    host.fault.current = { status: 400, body: { error: 'invalid_grant', error_description: 'grant revoked' } }
    await sleep(1100)
    await fetch(`${host.mount}/connections/${connection?.id}/token`, { headers: { 'x-user': 'ana' } })
    host.fault.current = undefined
    await page.reload()
    await expect.poll(() => row('local').locator('.badge').getAttribute('data-status')).toBe('needs_reauth')
    expect(await row('local').locator('.badge').innerText()).toBe('Needs reconnecting')
    expect(await row('local').locator('.reason').innerText()).toContain('invalid_grant')
    await expectNoAxeViolations(page, 'connections-panel')

    // Reconnect: consent again, same connection (id and label kept), active again.
    await row('local').getByRole('button', { name: 'Reconnect: Work account' }).click()
    await authorizeAtProvider(page, host.url, 'ana@example.com')
    await page.waitForURL(`${host.url}/panel`)
    await expect.poll(() => row('local').locator('.badge').getAttribute('data-status')).toBe('active')
    expect(await row('local').getAttribute('data-connection-id')).toBe(connection?.id)
    expect(await row('local').locator('.label').innerText()).toBe('Work account')
    await screenshotBothThemes(page, `${host.url}/panel`, 'connections-panel', 'connections-panel')

    // Revoke, after the panel's own confirmation.
    await page.goto(`${host.url}/panel`)
    await row('local').getByRole('button', { name: 'Revoke: Work account' }).click()
    await row('local').getByRole('button', { name: 'Yes, revoke' }).click()
    await expect.poll(() => row('local').count()).toBe(0)
    await expect.poll(() => badge('local').getAttribute('data-status')).toBe('not_connected')
    expect(await notice().innerText()).toBe('Work account revoked.')
    const revoked = await asAna<Array<{ id: string; status: string }>>('/connections?status=revoked')
    expect(revoked).toEqual([expect.objectContaining({ id: connection?.id, status: 'revoked' })])
    expect(ana.errors).toEqual([])
    expect(ana.offsite).toEqual([])
  })
})
