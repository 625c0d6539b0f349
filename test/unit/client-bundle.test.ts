import { readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..', '..')
const BUILTINS = new Set(builtinModules)

/** Every module specifier a built file loads: static and dynamic imports, re-exports, require(). */
function specifiers(source: string): string[] {
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+|\brequire\s*\(\s*)['"]([^'"]+)['"]/gm
  return [...source.matchAll(pattern)].map(([, specifier = '']) => specifier)
}

describe('the built client (dist/client, after npm run build)', () => {
  it.each(['index.js', 'index.cjs'])(
    '%s loads no Node built-in and no package: it runs in a browser',
    (file) => {
      const source = readFileSync(join(root, 'dist', 'client', file), 'utf8')
      const loaded = specifiers(source)
      expect(loaded.filter((s) => s.startsWith('node:') || BUILTINS.has(s.split('/')[0] ?? ''))).toEqual([])
      expect(loaded).toEqual([])
      expect(source).not.toMatch(/\bprocess\.|\bBuffer\b|\bzod\b/)
    },
  )

  it('the scan sees imports and requires of built-ins', () => {
    expect(
      specifiers("import { a } from 'node:fs'\nconst b = require(\"crypto\")\nawait import('x')"),
    ).toEqual(['node:fs', 'crypto', 'x'])
  })
})
