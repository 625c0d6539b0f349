import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..', '..')
const built = (file: string) => readFileSync(join(root, 'dist', file), 'utf8')

/** Every module specifier a built file loads: static and dynamic imports, re-exports. */
function specifiers(source: string): string[] {
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s*)['"]([^'"]+)['"]/gm
  return [...source.matchAll(pattern)].map(([, specifier = '']) => specifier)
}

describe('the built elements (after npm run build)', () => {
  it('express-connections/elements loads lit and nothing else: the app bundles one copy of lit', () => {
    const loaded = new Set(specifiers(built('elements/index.js')))
    expect([...loaded].filter((s) => s !== 'lit')).toEqual([])
    expect(loaded.has('lit')).toBe(true)
  })

  it('ui.js is one self-contained ES module that a strict CSP can load (no eval, no Function)', () => {
    const source = built('ui.js')
    expect(specifiers(source)).toEqual([])
    expect(source).not.toMatch(/\beval\(|new Function\(|\bprocess\.|\brequire\(/)
    for (const tag of ['connections-panel', 'approvals-inbox', 'agent-policies', 'connection-tools']) {
      expect(source).toContain(`"${tag}"`)
    }
    // Small enough to load on a settings page: lit and the three elements.
    expect(gzipSync(source).length).toBeLessThan(20_000)
  })
})
