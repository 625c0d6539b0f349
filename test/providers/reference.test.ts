import { describe, expect, it } from 'vitest'
import * as presets from '../../src/providers/presets/index.js'
import type { OAuth2Provider } from '../../src/providers/types.js'
import { loadReferenceRows } from '../support/reference-rows.js'
import type { ReferenceRow } from './reference/row.js'

/**
 * Every preset's real endpoints, client authentication, PKCE choice and default scopes, pinned in
 * test/providers/reference/*.ts with their sources: a typo or a silent change fails here. Every file
 * in that folder (but row.ts) is a rows file, loaded as it is found, so a new one joins without edits.
 */
const rows = await loadReferenceRows()
const factories = presets as unknown as Record<string, (options: object) => OAuth2Provider>

const FIELDS = [
  'id',
  'authorizationUrl',
  'tokenUrl',
  'refreshUrl',
  'userInfoUrl',
  'revocationUrl',
  'apiBaseUrl',
  'tokenAuth',
  'pkce',
  'scopes',
] as const

/** What a preset really uses when nothing is overridden. */
function actual(provider: OAuth2Provider): Record<(typeof FIELDS)[number], unknown> {
  return {
    id: provider.id,
    authorizationUrl: provider.authorizationUrl,
    tokenUrl: provider.tokenUrl,
    refreshUrl: provider.refreshUrl,
    userInfoUrl: provider.userInfoUrl,
    revocationUrl: provider.revocationUrl,
    apiBaseUrl: provider.apiBaseUrl,
    tokenAuth: provider.tokenAuth,
    pkce: provider.pkce,
    scopes: provider.scopes,
  }
}

function expected(row: ReferenceRow): Record<(typeof FIELDS)[number], unknown> {
  return {
    id: row.id,
    authorizationUrl: row.authorizationUrl,
    tokenUrl: row.tokenUrl,
    refreshUrl: row.refreshUrl ?? null,
    userInfoUrl: row.userInfoUrl,
    revocationUrl: row.revocationUrl,
    apiBaseUrl: row.apiBaseUrl,
    tokenAuth: row.tokenAuth,
    pkce: row.pkce,
    scopes: row.scopes,
  }
}

/** A documentation URL followed by the date it was read: 'https://… (2026-12-07)'. */
const SOURCE = /^https:\/\/\S+.* \(\d{4}-\d{2}-\d{2}\)$/

describe('the reference table', () => {
  it('has a row for every preset and names only presets, once each', () => {
    const named = rows.map(({ row }) => row.factory)
    const missing = Object.keys(factories).filter((factory) => !named.includes(factory))
    expect
      .soft(missing, `presets without a row in test/providers/reference/: ${missing.join(', ')}`)
      .toEqual([])
    const unknown = rows
      .filter(({ row }) => !(row.factory in factories))
      .map(({ file, row }) => `${file}: ${row.factory}`)
    expect.soft(unknown, 'rows naming no preset exported from src/providers/presets/index.ts').toEqual([])
    const twice = named.filter((factory, index) => named.indexOf(factory) !== index)
    expect(twice, 'presets with more than one row').toEqual([])
  })

  it.each(rows.map(({ file, row }) => [row.factory, file, row] as const))(
    '%s (%s) uses the endpoints, client authentication, PKCE and scopes its sources say',
    (_factory, _file, row) => {
      const factory = factories[row.factory]
      if (!factory) return // reported by the test above
      const provider = factory({
        clientId: 'reference-client',
        clientSecret: 'reference-secret',
        ...row.options,
      })
      expect(actual(provider)).toEqual(expected(row))
    },
  )

  it.each(rows.map(({ file, row }) => [row.factory, file, row] as const))(
    '%s (%s) says where every value was read, and when',
    (_factory, _file, row) => {
      const entries = Object.entries(row.sources)
      expect(entries.length).toBeGreaterThan(0)
      for (const [field, source] of entries) {
        expect(['all', ...FIELDS], `sources.${field}`).toContain(field)
        expect(source, `sources.${field}`).toMatch(SOURCE)
      }
      const uncovered = FIELDS.filter(
        (field) => field !== 'id' && !('all' in row.sources) && !(field in row.sources),
      )
      expect(uncovered, 'fields without a source (or an `all` source)').toEqual([])
    },
  )
})
