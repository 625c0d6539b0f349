import { existsSync } from 'node:fs'
import { type Browser, chromium } from 'playwright-core'

export const CHROMIUM_PATH = '/usr/bin/chromium'

/**
 * Debian's Chromium, headless. Never a downloaded browser: the machines reach no browser download
 * host. The flags keep Chromium from calling out (it would be refused, many times over).
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `The browser test needs Debian's Chromium at ${CHROMIUM_PATH} (apt-get install chromium); it never downloads a browser.`,
    )
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

/** Loopback only: what this test's pages load from anywhere else (a web font, say) is refused at once. */
export function isLoopback(url: URL): boolean {
  return ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)
}
