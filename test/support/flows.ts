import { expect } from 'vitest'
import type { TestApp } from './app.js'
import { BrowserClient, loginAndConsent } from './browser-client.js'

/** Where an app answers: a TestApp, or a load balancer in front of several instances. */
export type AppAddress = Pick<TestApp, 'url' | 'mount'>

/** A browser whose requests to the app carry `x-user` (the host's stand-in for a signed-in user). */
export function browserAs(app: AppAddress, user?: string): BrowserClient {
  return new BrowserClient({ headers: user ? { [app.url]: { 'x-user': user } } : {} })
}

/** Starts a flow in `browser` and walks the provider's login and consent; returns the callback URL. */
export async function authorizeIn(
  browser: BrowserClient,
  app: AppAddress,
  login: string,
  query = '',
  provider = 'local',
): Promise<string> {
  const start = await browser.request(`${app.mount}/connect/${provider}${query}`)
  expect(start.status).toBe(302)
  const { callbackUrl } = await loginAndConsent(browser, start.headers.get('location') ?? '', login)
  return callbackUrl
}

/** Connects `login`'s account for `user` through the whole browser flow; returns the connection id. */
export async function connect(
  app: AppAddress,
  user: string,
  login = user,
  provider = 'local',
): Promise<string> {
  const browser = browserAs(app, user)
  const callbackUrl = await authorizeIn(browser, app, login, '', provider)
  const response = await browser.request(callbackUrl)
  const body = (await response.json()) as { data?: { id: string }; error?: unknown }
  // The refusal's body says which step failed (exchange, profile, store) when a connect does not complete.
  expect({ status: response.status, error: body.error }).toEqual({ status: 200, error: undefined })
  return (body.data as { id: string }).id
}

export async function json<T = Record<string, unknown>>(response: Response): Promise<T> {
  return (await response.json()) as T
}
