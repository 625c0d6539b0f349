import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { type OAuth2Provider, providers } from '../../src/index.js'
import { bindConnectionParams } from '../../src/providers/connection-params.js'
import * as presets from '../../src/providers/presets/index.js'

const app = { clientId: 'id', clientSecret: 'secret' }

/** Every preset, built with the options each needs. */
function allPresets(): OAuth2Provider[] {
  return Object.entries(presets).map(([name, factory]) => {
    const extra = name === 'zendesk' ? { subdomain: 'acme' } : {}
    return (factory as (options: object) => OAuth2Provider)({ ...app, ...extra })
  })
}

describe('the provider catalogue', () => {
  const all = allPresets()

  it('has at least 30 OAuth presets with distinct ids, all reachable as providers.<name>', () => {
    expect(all.length).toBeGreaterThanOrEqual(30)
    expect(new Set(all.map((p) => p.id)).size).toBe(all.length)
    for (const name of Object.keys(presets))
      expect(typeof (providers as Record<string, unknown>)[name]).toBe('function')
  })

  it.each(all.map((p) => [p.id, p] as const))(
    '%s uses real https endpoints and says where its docs are',
    (_id, preset) => {
      // Per-connection URLs are checked as a connection gets them: filled with each param's example.
      const examples = Object.entries(preset.connectionParams).map(([name, spec]) => [name, spec.example])
      const p = bindConnectionParams(preset, Object.fromEntries(examples))
      for (const url of [
        p.authorizationUrl,
        p.tokenUrl,
        p.userInfoUrl,
        p.revocationUrl,
        p.apiBaseUrl,
        p.docsUrl,
      ]) {
        if (url !== null) expect(url).toMatch(/^https:\/\/[a-z0-9.-]+\.[a-z]{2,}(\/|$)/)
      }
      expect(p.docsUrl).not.toBeNull()
      expect(p.quirks.length).toBeGreaterThan(0)
    },
  )

  it('is listed in the README, a row per provider id', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8')
    for (const p of all) expect(readme, p.id).toContain(`| \`${p.id}\` |`)
    for (const id of ['telegram', 'twilio']) expect(readme).toContain(`| \`${id}\` |`)
  })
})
