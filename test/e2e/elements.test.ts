import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sleep } from '../support/as-client.js'
import {
  authorizeAtProvider,
  expectNoAxeViolations,
  openPage,
  SCREENSHOTS,
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

    // Nothing secret in the DOM, shadow roots included: not the live token, not the client secret.
    const { accessToken } = await asAna<{ accessToken: string }>(`/connections/${connection?.id}/token`)
    expect(accessToken.length).toBeGreaterThan(10)
    const dom = await wholeDom(page)
    expect(dom).toContain('Work account') // the walk reaches into the panel's shadow root
    expect(dom).not.toContain(accessToken)
    expect(dom).not.toContain('CANARY')

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

interface AgentAnswer {
  data: { approval: { id: string }; output: unknown }
  error?: { code: string }
}

describe('loading and error states', () => {
  it('says what failed and retries when the router does not answer', { timeout: 20_000 }, async () => {
    const other = await openPage(browser, host.url, 'ana')
    await other.page.goto(`${host.url}/broken`)
    const alert = other.page.locator('connections-panel [role="alert"]')
    await alert.waitFor()
    expect(await alert.innerText()).toContain('Could not load: HTTP 404')
    await expectNoAxeViolations(other.page, 'connections-panel')
    // Retry asks again (and fails again, the router still not being there).
    let asked = 0
    other.page.on('request', (request) => {
      if (request.url().includes('/nowhere/')) asked++
    })
    await alert.getByRole('button', { name: 'Try again' }).click()
    await expect.poll(() => asked).toBeGreaterThan(0)
    await alert.waitFor()
    await other.context.close()
  })
})

/** An agent's HTTP call, with its key (what an agent script does). */
async function asAgent(key: string, path: string, body: unknown, approvalId?: string) {
  const response = await fetch(`${host.mount}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
      ...(approvalId ? { 'x-approval-id': approvalId } : {}),
    },
    body: JSON.stringify(body),
  })
  return { status: response.status, body: (await response.json()) as AgentAnswer }
}

interface ToolState {
  slug: string
  isEnabled: boolean
  inputDefaults: Record<string, unknown>
  pinnedFields: string[]
}

let trackerId = ''
let agent = { id: '', key: '' }
let policyId = ''
const tool = (slug: string) => row('tracker').locator(`connection-tools [data-tool="${slug}"]`)

describe('<connections-panel> tools', () => {
  it('connects a provider with tools and turns them on and off, with defaults and pins', {
    timeout: 30_000,
  }, async () => {
    await page.goto(`${host.url}/panel`)
    await provider('tracker').getByRole('button', { name: 'Connect: Tracker' }).click()
    await page.waitForURL(`${host.url}/panel`)
    await expect.poll(() => row('tracker').count()).toBe(1)
    trackerId = (await row('tracker').getAttribute('data-connection-id')) ?? ''

    await row('tracker').getByRole('button', { name: 'Tools: ana@example.com' }).click()
    await tool('list_items').waitFor()
    expect(await tool('create_item').getByRole('switch').isChecked()).toBe(true)
    await tool('create_item').getByRole('switch').click()
    await expect
      .poll(
        async () =>
          (await asAna<ToolState[]>(`/connections/${trackerId}/tools`)).find((t) => t.slug === 'create_item')
            ?.isEnabled,
      )
      .toBe(false)
    expect(await tool('create_item').getByRole('switch').isChecked()).toBe(false)

    // A default for `project`, pinned: the agent can no longer choose another project.
    await tool('list_items').getByRole('button', { name: 'Defaults and pins: List items' }).click()
    await tool('list_items').getByLabel('Default for project').fill('acme')
    await tool('list_items').getByLabel('Default for limit').fill('5')
    await tool('list_items').getByLabel('Pin project (the agent cannot change it)').check()
    await tool('list_items').getByRole('button', { name: 'Save List items' }).click()
    await expect
      .poll(() => tool('list_items').locator('.muted').first().innerText())
      .toBe('2 defaults, 1 pinned')
    const listItems = (await asAna<ToolState[]>(`/connections/${trackerId}/tools`)).find(
      (t) => t.slug === 'list_items',
    )
    expect(listItems).toMatchObject({
      inputDefaults: { project: 'acme', limit: 5 },
      pinnedFields: ['project'],
    })
    await expectNoAxeViolations(page, 'connections-panel')
    await page
      .locator('connections-panel')
      .screenshot({ path: `${SCREENSHOTS}/connections-panel-tools-light.png` })
    expect(ana.errors).toEqual([])
  })
})

describe('<approvals-inbox>', () => {
  it('shows the call an agent waits on as it arrives, and the agent goes on once approved', {
    timeout: 30_000,
  }, async () => {
    const created = await asAna<{ agent: { id: string }; key: string }>('/agents', {
      method: 'POST',
      body: JSON.stringify({ name: 'Triage bot' }),
    })
    agent = { id: created.agent.id, key: created.key }
    const policy = await asAna<{ id: string }>('/policies', {
      method: 'POST',
      body: JSON.stringify({
        agentId: agent.id,
        connectionId: trackerId,
        defaultMode: 'read_write',
        stepUpApproval: 'always',
      }),
    })
    policyId = policy.id

    await page.goto(`${host.url}/inbox`)
    await page.locator('approvals-inbox').getByText('Nothing waits for your approval.').waitFor()
    await expectNoAxeViolations(page, 'approvals-inbox')

    // The agent's call waits for a human; the open inbox shows it without a reload.
    const asked = await asAgent(agent.key, `/connections/${trackerId}/tools/list_items/run`, { input: {} })
    expect(asked.status).toBe(202)
    const approvalId = asked.body.data.approval.id
    const item = page.locator(`approvals-inbox [data-approval-id="${approvalId}"]`)
    await item.waitFor()
    expect(await item.locator('h3').innerText()).toBe('Triage bot asks to use Tracker: ana@example.com')
    expect(await item.innerText()).toContain('list_items')
    await expectNoAxeViolations(page, 'approvals-inbox')
    await screenshotBothThemes(page, `${host.url}/inbox`, 'approvals-inbox', 'approvals-inbox')

    await item.getByRole('button', { name: 'Approve' }).click()
    await expect.poll(() => item.count()).toBe(0)

    // Polling stops with the element: no request for approvals after it left the page.
    let asks = 0
    const count = (request: { url(): string }) => {
      if (new URL(request.url()).pathname === '/integrations/approvals') asks++
    }
    page.on('request', count)
    await sleep(1200)
    expect(asks).toBeGreaterThan(0) // it polls (every 500 ms on this page) while shown
    await page.evaluate(`document.querySelector('approvals-inbox').remove()`)
    await sleep(100)
    asks = 0
    await sleep(1500)
    page.off('request', count)
    expect(asks).toBe(0)
    const ran = await asAgent(
      agent.key,
      `/connections/${trackerId}/tools/list_items/run`,
      { input: {} },
      approvalId,
    )
    expect(ran.status).toBe(200)
    expect(ran.body.data.output).toMatchObject({ total: 1 })
    // The pinned default reached the provider.
    expect(host.tracker.requests.at(-1)?.path).toBe('/projects/acme/items')
    expect(ana.errors).toEqual([])
  })
})

describe('<approvals-inbox> told by the page', () => {
  it('loads at once when the page dispatches connections-approval-requested', {
    timeout: 20_000,
  }, async () => {
    await page.goto(`${host.url}/quiet-inbox`)
    await page.locator('approvals-inbox').getByText('Nothing waits for your approval.').waitFor()
    const asked = await asAgent(agent.key, `/connections/${trackerId}/tools/list_items/run`, { input: {} })
    expect(asked.status).toBe(202)
    const item = page.locator(`approvals-inbox [data-approval-id="${asked.body.data.approval.id}"]`)
    await sleep(700)
    expect(await item.count()).toBe(0) // no poll brought it
    await page.evaluate(`document.dispatchEvent(new Event('connections-approval-requested'))`)
    await item.waitFor()
    await item.getByRole('button', { name: 'Deny' }).click()
    await expect.poll(() => item.count()).toBe(0)
    const denied = await asAna<Array<{ id: string }>>('/approvals?status=denied')
    expect(denied.map((a) => a.id)).toContain(asked.body.data.approval.id)
  })
})

describe('<agent-policies>', () => {
  it("edits an agent's policy, and the router enforces it on the agent's next call", {
    timeout: 30_000,
  }, async () => {
    await page.goto(`${host.url}/policies?agent=${agent.id}`)
    const form = page.locator(`agent-policies [data-policy-id="${policyId}"]`)
    await form.waitFor()
    expect(await form.locator('h3').innerText()).toBe('Triage bot on Tracker: ana@example.com')
    await expectNoAxeViolations(page, 'agent-policies')

    // A bad line is reported by its number and nothing is saved.
    await form.getByLabel(/^Rate limits/).fill('60/minute\nlots')
    await form.getByRole('button', { name: 'Save policy' }).click()
    await expect
      .poll(() => page.locator('agent-policies .notice').innerText())
      .toContain('Line 2 of "Rate limits')

    await form.getByLabel('Mode').selectOption('read_only')
    await form.getByLabel('Ask me first').selectOption('never')
    await form.getByLabel(/^Rate limits/).fill('60/minute')
    await form.getByLabel(/^Allowlist/).fill('tool:list_items\nGET /projects/*')
    await form.getByRole('button', { name: 'Save policy' }).click()
    await expect.poll(() => page.locator('agent-policies .notice').innerText()).toBe('Saved.')
    const saved = await asAna<Record<string, unknown>>(`/policies/${policyId}`)
    expect(saved).toMatchObject({
      defaultMode: 'read_only',
      stepUpApproval: 'never',
      rateLimits: [{ limit: 60, per: 'minute' }],
      allowlists: [{ tool: 'list_items' }, { method: 'GET', path: '/projects/*' }],
    })

    // Enforced: a read runs at once (no approval any more), a write is refused by the mode.
    const read = await asAgent(agent.key, `/connections/${trackerId}/tools/list_items/run`, { input: {} })
    expect(read.status).toBe(200)
    await asAna(`/connections/${trackerId}/tools/create_item`, {
      method: 'PATCH',
      body: JSON.stringify({ isEnabled: true }),
    })
    const write = await asAgent(agent.key, `/connections/${trackerId}/tools/create_item/run`, {
      input: { project: 'acme', title: 'Hi' },
    })
    expect(write.status).toBe(403)
    expect(write.body.error).toMatchObject({ code: 'policy_denied' })
    await screenshotBothThemes(
      page,
      `${host.url}/policies?agent=${agent.id}`,
      'agent-policies',
      'agent-policies',
    )
    expect(ana.errors).toEqual([])
    expect(ana.offsite).toEqual([])
  })
})

/** The page's HTML with every shadow root's content, as a string. */
const wholeDom = (p: Page) =>
  p.evaluate(`(() => {
    const walk = (root) => [...root.querySelectorAll('*')].map((el) => el.shadowRoot ? el.shadowRoot.innerHTML + walk(el.shadowRoot) : '').join('')
    return document.documentElement.outerHTML + walk(document)
  })()`) as Promise<string>

/** The focused control, through shadow roots: its aria-label, else its text, else its name or id. */
const focused = (p: Page) =>
  p.evaluate(`(() => {
    let a = document.activeElement
    while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement
    if (!a) return null
    return a.getAttribute('aria-label') || a.textContent.trim() || a.getAttribute('name') || a.id
  })()`) as Promise<string | null>

/** Presses Tab (and only Tab) until `name` has the focus. */
async function tabTo(p: Page, name: string): Promise<void> {
  for (let i = 0; i < 60; i++) {
    if ((await focused(p)) === name) return
    await p.keyboard.press('Tab')
  }
  throw new Error(`Tab never reached "${name}" (last: ${await focused(p)})`)
}

describe('<connections-panel> by keyboard only', () => {
  it('connects, renames, toggles a tool and revokes without a pointer', { timeout: 40_000 }, async () => {
    const bea = await openPage(browser, host.url, 'bea')
    const p = bea.page
    const beaRow = () => p.locator('connections-panel [data-provider="tracker"] .connection')
    await p.goto(`${host.url}/panel`)
    await p.locator('connections-panel [data-provider="tracker"]').waitFor()

    await tabTo(p, 'Connect: Tracker')
    await Promise.all([p.waitForURL(`${host.url}/panel`), p.keyboard.press('Enter')])
    await expect.poll(() => beaRow().count()).toBe(1)
    const id = (await beaRow().getAttribute('data-connection-id')) ?? ''

    await tabTo(p, 'Rename: ana@example.com')
    await p.keyboard.press('Enter')
    await expect.poll(() => focused(p)).toBe('label') // the field has the focus at once
    await p.keyboard.press('ControlOrMeta+A')
    await p.keyboard.type('Keyboard')
    await p.keyboard.press('Enter')
    await expect.poll(() => beaRow().locator('.label').innerText()).toBe('Keyboard')

    await tabTo(p, 'Tools: Keyboard')
    await p.keyboard.press('Enter')
    await beaRow().locator('connection-tools [data-tool="list_items"]').waitFor()
    await tabTo(p, 'ec-tool-list_items')
    await p.keyboard.press('Space')
    await expect
      .poll(async () => {
        const response = await fetch(`${host.mount}/connections/${id}/tools`, {
          headers: { 'x-user': 'bea' },
        })
        const tools = ((await response.json()) as { data: ToolState[] }).data
        return tools.find((t) => t.slug === 'list_items')?.isEnabled
      })
      .toBe(false)

    await tabTo(p, 'Revoke: Keyboard')
    await p.keyboard.press('Enter')
    await expect.poll(() => focused(p)).toBe('Yes, revoke') // the confirmation has the focus
    await p.keyboard.press('Enter')
    await expect.poll(() => beaRow().count()).toBe(0)
    expect(bea.errors).toEqual([])
    await bea.context.close()
  })
})
